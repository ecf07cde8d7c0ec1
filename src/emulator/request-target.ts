/** Splitting a request target into a decoded path and its query, for both transports. */
import { badRequest } from "./graph-error";

export const SUPPORTED_VERSIONS = ["v1.0", "beta"] as const;

export interface RequestTarget {
  /** Decoded, always starting with "/". */
  path: string;
  query: URLSearchParams;
}

/** "/users/u-0001?$select=id" (or without the leading slash) -> path + query. */
export function parseTarget(pathAndQuery: string): RequestTarget {
  const withoutFragment = pathAndQuery.split("#")[0];
  const queryStart = withoutFragment.indexOf("?");
  const rawPath = queryStart === -1 ? withoutFragment : withoutFragment.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? "" : withoutFragment.slice(queryStart + 1);
  const segments = rawPath.split("/").filter((segment) => segment.length > 0);
  return { path: `/${segments.map(decodeSegment).join("/")}`, query: new URLSearchParams(rawQuery) };
}

/** Splits "/v1.0/users" into its version and the rest; the version is checked, case-insensitively. */
export function splitVersion(path: string): { version: string; rest: string } {
  const [, first = "", ...rest] = path.split("/");
  const version = SUPPORTED_VERSIONS.find((known) => known === first.toLowerCase());
  if (!version) {
    throw badRequest(`Invalid version: '${first}'. The Graph emulator serves 'v1.0' and 'beta'.`);
  }
  return { version, rest: `/${rest.join("/")}` };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`Malformed URL segment '${segment}'.`);
  }
}
