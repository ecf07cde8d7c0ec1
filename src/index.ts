export { BatchingMiddleware } from "./adapters/graph-client/BatchingMiddleware";
export { createBatchingMiddlewareChain } from "./adapters/graph-client/chain";
export { BatchingOptions, DEFAULTS } from "./options";
export type { BatchCandidate, BatchingAdapterOptions, BatchingMiddlewareOptions, BatchingOptionsInit, RequestCandidate, RetryOptions } from "./options";
export type {
  BatchAnsweredEvent,
  BatchingEvent,
  BatchingStats,
  BatchSentEvent,
  LimitChangedEvent,
  ScopePausedEvent,
  ScopeResumedEvent,
  SettledEvent,
  UnbatchedEvent,
  UnbatchedReason,
} from "./engine/events";
export type { BatchingLogger } from "./utils/debug";
export {
  BatchError,
  BatchingConfigError,
  BatchOrderingError,
  BatchResponseError,
  BatchTransportError,
  MissingResponseError,
} from "./errors";
