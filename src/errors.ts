/**
 * Errors raised by the middleware itself. Each has its own class and a stable `name`, because the
 * Graph client wraps a rejected middleware into a `GraphError` whose `code` is that name: callers
 * of `client.api(...).get()` see `err.code === "BatchResponseError"`, callers of the middleware
 * directly see these classes.
 */

/** Base class: every error the middleware raises on behalf of a batch. */
export class BatchError extends Error {
  /**
   * A literal in every class, not `new.target.name`: minifiers rename classes (in a minified
   * bundle `BatchResponseError` became "ir"), and this name is the `code` callers match on.
   */
  override name = "BatchError";
  /** HTTP status of the outer `$batch` call, when there was one. */
  readonly status?: number;
  /** Alias of `status`, the name `GraphError` uses. */
  readonly statusCode?: number;

  /**
   * @param message - what happened, for people.
   * @param options - `status`: the outer `$batch` call's HTTP status; `cause`: the underlying error.
   */
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message);
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
export class BatchTransportError extends BatchError {
  override name = "BatchTransportError";
}

/** The `$batch` call answered, but not with a batch response this middleware can read. */
export class BatchResponseError extends BatchError {
  override name = "BatchResponseError";
}

/** The batch response held no answer for this request, or an unreadable one. */
export class MissingResponseError extends BatchError {
  override name = "MissingResponseError";
}

/** A request's ordering (`BatchingOptions.dependsOn`) cannot be expressed in a Graph batch. */
export class BatchOrderingError extends BatchError {
  override name = "BatchOrderingError";
}

/** The middleware was configured with an invalid option. */
export class BatchingConfigError extends Error {
  /** A literal, as in BatchError: it survives minification. */
  override name = "BatchingConfigError";
  /** @param message - which option is wrong, and what it takes. */
  constructor(message: string) {
    super(message);
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
