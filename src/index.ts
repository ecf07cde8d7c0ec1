export { BatchingMiddleware } from "./adapters/graph-client/BatchingMiddleware";
export { createBatchingMiddlewareChain } from "./adapters/graph-client/chain";
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
