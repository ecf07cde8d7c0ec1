export { BatchingMiddleware } from "./BatchingMiddleware";
export { createBatchingMiddlewareChain } from "./chain";
export { BatchingOptions, DEFAULTS } from "./options";
export type { BatchCandidate, BatchingMiddlewareOptions, BatchingOptionsInit, RetryOptions } from "./options";
export {
  BatchError,
  BatchingConfigError,
  BatchOrderingError,
  BatchResponseError,
  BatchTransportError,
  MissingResponseError,
} from "./errors";
