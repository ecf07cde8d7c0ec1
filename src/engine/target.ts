/**
 * Where a request goes: which `$batch` endpoint could carry it, and the relative URL it would
 * have inside that batch. Pure string work: `new URL()` would re-encode the query, and Graph
 * compares `$filter` and `$search` values byte for byte.
 */

/** Graph's own hosts, as the SDK lists them in GRAPH_URLS (national clouds included). */
export const GRAPH_HOSTS: ReadonlySet<string> = new Set([
  "graph.microsoft.com",
  "graph.microsoft.us",
  "dod-graph.microsoft.us",
  "graph.microsoft.de",
  "microsoftgraph.chinacloudapi.cn",
  "canary.graph.microsoft.com",
]);

export interface Target {
  /** `scheme://host[:port]` as written in the request. */
  readonly origin: string;
  /** The version segment (`v1.0`, `beta`, ...). */
  readonly version: string;
  /** Path and query below the version, starting with `/`, byte for byte. */
  readonly relativeUrl: string;
}

const ABSOLUTE = /^(https?):\/\/([^/?#]+)(\/[^?#]*)?(\?[^#]*)?(#.*)?$/i;

/** Splits an absolute URL into origin, version and relative URL; undefined if it has no version segment. */
export function parseTarget(url: string): (Target & { host: string; hostname: string }) | undefined {
  const match = ABSOLUTE.exec(url);
  if (!match) return undefined;
  const [, scheme, authority, path = "", query = ""] = match;
  if (authority.includes("@")) return undefined; // credentials in the URL: not something to rewrite
  const segments = path.split("/"); // ["", "v1.0", "users", ...]
  const version = segments[1];
  if (!version) return undefined;
  const rest = path.slice(1 + version.length);
  const relativeUrl = (rest === "" ? "/" : rest) + query;
  const host = authority.toLowerCase();
  const hostname = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0];
  return { origin: `${scheme.toLowerCase()}://${authority}`, version, relativeUrl, host, hostname };
}

/** Graph's hosts, the client's customHosts, and the configured extra hosts are batched. */
export function isBatchableHost(
  host: string,
  hostname: string,
  customHosts: ReadonlySet<string> | undefined,
  extraHosts: ReadonlySet<string>,
): boolean {
  if (GRAPH_HOSTS.has(hostname)) return true;
  if (extraHosts.has(host) || extraHosts.has(hostname)) return true;
  if (customHosts) {
    for (const custom of customHosts) {
      const c = custom.toLowerCase();
      if (c === host || c === hostname) return true;
    }
  }
  return false;
}

/** `$batch` itself, and anything below it (nextLink pages), is never batched again. */
export function isBatchEndpoint(relativeUrl: string): boolean {
  return /^\/\$batch(?:[/?]|$)/i.test(relativeUrl);
}

export function batchUrl(target: Pick<Target, "origin" | "version">): string {
  return `${target.origin}/${target.version}/$batch`;
}
