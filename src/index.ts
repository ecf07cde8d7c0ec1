export { BatchingMiddleware } from "./adapters/graph-client/BatchingMiddleware";
export { createBatchingMiddlewareChain } from "./adapters/graph-client/chain";
export { BatchingOptions, DEFAULTS } from "./options";
export type { BatchCandidate, BatchingAdapterOptions, BatchingMiddlewareOptions, BatchingOptionsInit, RequestCandidate, RetryOptions } from "./options";
export {
  BatchError,
  BatchingConfigError,
  BatchOrderingError,
  BatchResponseError,
  BatchTransportError,
  MissingResponseError,
} from "./errors";
