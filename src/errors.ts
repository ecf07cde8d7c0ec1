/**
 * Errors raised by the middleware itself. Each has its own class and a stable `name`, because the
 * Graph client wraps a rejected middleware into a `GraphError` whose `code` is that name: callers
 * of `client.api(...).get()` see `err.code === "BatchResponseError"`, callers of the middleware
 * directly see these classes.
 */

/** Base class: every error the middleware raises on behalf of a batch. */
export class BatchError extends Error {
  /** HTTP status of the outer `$batch` call, when there was one. */
  readonly status?: number;
  /** Alias of `status`, the name `GraphError` uses. */
  readonly statusCode?: number;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message);
    this.name = new.target.name;
    this.status = options.status;
    this.statusCode = options.status;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * No longer raised: what the chain throws while sending a `$batch` call now reaches each caller
 * as it is, as unbatched (docs/failure-modes.md). Kept so that code catching it still compiles.
 */
export class BatchTransportError extends BatchError {}

/** The `$batch` call answered, but not with a batch response this middleware can read. */
export class BatchResponseError extends BatchError {}

/** The batch response held no answer for this request, or an unreadable one. */
export class MissingResponseError extends BatchError {}

/** A request's ordering (`BatchingOptions.dependsOn`) cannot be expressed in a Graph batch. */
export class BatchOrderingError extends BatchError {}

/** The middleware was configured with an invalid option. */
export class BatchingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BatchingConfigError";
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * The rejection for an aborted request. `fetch` rejects with `signal.reason`, which defaults to a
 * DOMException named "AbortError"; we do the same so that callers' abort handling keeps working.
 */
export function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  return new DOMException("This operation was aborted", "AbortError");
}
