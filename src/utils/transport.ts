/**
 * How a request travels, as opposed to what it asks: the fields of its fetch options (the v3
 * client's `fetchOptions` and `.option(...)`, Kiota's `RequestInit`, the batching fetch's `init`)
 * other than the four that describe the request itself. A proxy `agent` or undici `dispatcher`,
 * `credentials`, `mode`, `cache`, `redirect`, `keepalive`, `priority`: every HTTP call made on a
 * caller's behalf (`$batch`, nextLink, redirect follow) must carry them, or batching would change
 * the road a request takes (behind a proxy, it would not reach Graph at all).
 */
import { objectId } from "./identity";

/** Set per HTTP call by whoever makes it: the `$batch` call gets its own. */
const REQUEST_FIELDS = new Set(["method", "headers", "body", "signal"]);

/** The transport fields of fetch options, as a new object (absent and `undefined` fields left out). */
export function transportOptionsOf(init: object | null | undefined): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  if (!init) return options;
  for (const [name, value] of Object.entries(init)) {
    if (!REQUEST_FIELDS.has(name) && value !== undefined) options[name] = value;
  }
  return options;
}

/**
 * A key equal for two sets of transport options exactly when one `$batch` call can carry both:
 * objects and functions (agents, dispatchers) by identity, since two agents with equal settings
 * are still two connection pools and may be two proxies; everything else by value.
 */
export function transportKey(options: Record<string, unknown>): string {
  return Object.keys(options)
    .sort()
    .map((name) => {
      const value = options[name];
      const part =
        value !== null && (typeof value === "object" || typeof value === "function")
          ? `#${objectId(value)}`
          : typeof value === "bigint" || typeof value === "symbol"
            ? `${typeof value}:${String(value)}`
            : JSON.stringify(value);
      return `${name}=${part}`;
    })
    .join("&");
}
