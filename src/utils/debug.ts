/**
 * Seeing into the middleware: events as one line each, for `DEBUG=msgraph-batching` (the `debug`
 * package's convention, read in Node only) or a `logger` option, and the guard that keeps a
 * throwing listener from ever breaking a request.
 */
import type { BatchingEvent } from "../engine/events";

/** Where debug lines go: a function, or an object with a `debug` method (console, pino, winston, …). */
export type BatchingLogger =
  | ((line: string) => void)
  | {
      /** Receives one line per event. */
      debug(line: string): void;
    };

/** The namespace `DEBUG` is matched against. */
export const DEBUG_NAMESPACE = "msgraph-batching";

/**
 * Whether `DEBUG` turns our lines on, with the `debug` package's rules: a comma- or
 * space-separated list of namespaces, `*` as a wildcard, `-name` to exclude. `msgraph-batching:*`
 * counts too, as users of namespaced libraries write it.
 */
export function debugEnabled(debug: string | undefined): boolean {
  if (!debug) return false;
  let enabled = false;
  for (const pattern of debug.split(/[\s,]+/).filter(Boolean)) {
    const exclude = pattern.startsWith("-");
    const body = exclude ? pattern.slice(1) : pattern;
    const regex = new RegExp(`^${body.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*?")}$`);
    const matches = regex.test(DEBUG_NAMESPACE) || body.startsWith(`${DEBUG_NAMESPACE}:`);
    if (matches && exclude) return false;
    if (matches) enabled = true;
  }
  return enabled;
}

/** The `DEBUG` environment variable, where there is an environment (not in browsers). */
export function environmentDebug(): string | undefined {
  const processLike = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return processLike?.env?.DEBUG;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : word.endsWith("h") ? "es" : "s"}`;

/** One line per event, for people reading a log. */
export function formatEvent(event: BatchingEvent): string {
  switch (event.type) {
    case "unbatched":
      return `unbatched ${event.method} ${event.url} (${event.reason})`;
    case "batch-sent":
      return `batch #${event.batchId} sent: ${plural(event.size, "request")} to ${event.url}, oldest waited ${Math.round(event.oldestWaitMs)} ms`;
    case "batch-answered":
      return `batch #${event.batchId} answered ${event.status || "no status"} in ${Math.round(event.durationMs)} ms (${event.throttled} throttled, ${event.retried} retried)`;
    case "settled": {
      const outcome = event.status !== undefined ? String(event.status) : (event.error ?? "error");
      const how = event.shared ? "shared" : event.batched ? "batched" : "unbatched";
      return `settled ${event.method} ${event.url} -> ${outcome} (${how}, ${plural(event.attempts, "attempt")})`;
    }
    case "scope-paused":
      return `scope ${event.scope} paused for ${Math.round(event.retryAfterMs)} ms`;
    case "scope-resumed":
      return `scope ${event.scope} resumed`;
    case "limit-changed":
      return `limit: ${plural(event.limit, "batch")} in flight`;
  }
}

/**
 * One function that hands an event to the listener and the log, or undefined when nobody listens
 * (the engine then builds no events at all). A listener that throws is reported once with
 * console.warn and otherwise ignored: observing must never change what a caller gets.
 */
export function eventSink(
  onEvent: ((event: BatchingEvent) => void) | undefined,
  logger: BatchingLogger | undefined,
  debug: string | undefined,
): ((event: BatchingEvent) => void) | undefined {
  const write: ((line: string) => void) | undefined =
    typeof logger === "function"
      ? logger
      : logger
        ? (line) => logger.debug(line)
        : debugEnabled(debug)
          ? (line) => console.error(`${DEBUG_NAMESPACE} ${line}`)
          : undefined;
  if (!onEvent && !write) return undefined;
  let warned = false;
  const guard = (what: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      if (warned) return;
      warned = true;
      console.warn(`msgraph-batching-middleware: the ${what} threw; requests are unaffected and further errors are not reported:`, error);
    }
  };
  return (event) => {
    if (onEvent) guard("onEvent listener", () => onEvent(event));
    if (write) guard("logger", () => write(formatEvent(event)));
  };
}
