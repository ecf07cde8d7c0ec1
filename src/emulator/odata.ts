/**
 * The slice of OData query handling the emulator supports: $select, $top and
 * server-driven paging with $skiptoken. Other system query options are
 * rejected rather than silently ignored, so a test never passes on data the
 * emulator did not actually filter.
 */
import type { ResourceRequest } from "./exchange";
import { badRequest } from "./graph-error";

const SUPPORTED_OPTIONS = new Set(["$select", "$top", "$skiptoken"]);

/** Reads one system query option, whatever the case of its name. */
function option(query: URLSearchParams, name: string): string | undefined {
  for (const [key, value] of query) if (key.toLowerCase() === name) return value;
  return undefined;
}

export function rejectUnsupportedOptions(query: URLSearchParams): void {
  for (const key of query.keys()) {
    const name = key.toLowerCase();
    if (name.startsWith("$") && !SUPPORTED_OPTIONS.has(name)) {
      throw badRequest(`The query option '${key}' is not supported by the Graph emulator.`);
    }
  }
}

/**
 * Parses $select against the properties the entity really has. Matching is
 * case-insensitive; the answer uses the canonical names.
 */
export function parseSelect(query: URLSearchParams, sample: object, typeName: string): string[] | undefined {
  const raw = option(query, "$select");
  if (raw === undefined) return undefined;
  const canonical = new Map(Object.keys(sample).map((key) => [key.toLowerCase(), key]));
  const names = raw.split(",").map((name) => name.trim()).filter((name) => name.length > 0);
  return names.map((name) => {
    const match = canonical.get(name.toLowerCase());
    if (!match) throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
    return match;
  });
}

export function applySelect<T extends object>(entity: T, select: string[] | undefined): Partial<T> {
  if (!select) return entity;
  const result: Record<string, unknown> = {};
  for (const key of select) result[key] = (entity as Record<string, unknown>)[key];
  return result as Partial<T>;
}

/** $top within [1, max]; Graph answers 400 outside that range. */
export function parseTop(query: URLSearchParams, max: number): number | undefined {
  const raw = option(query, "$top");
  if (raw === undefined) return undefined;
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1 || top > max) {
    throw badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`);
  }
  return top;
}

/** The skip token is an opaque wrapper around an offset. */
function encodeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodeSkipToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString());
  if (!match) throw badRequest(`Invalid $skiptoken '${token}'.`);
  return Number(match[1]);
}

/** Builds a query string the way Graph prints it: `$` and `,` left readable. */
function formatQuery(params: [string, string][]): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/%24/g, "$").replace(/%2C/gi, ",");
  return params.map(([key, value]) => `${encode(key)}=${encode(value)}`).join("&");
}

export interface PageOptions {
  /** Page size when the caller gives no $top. */
  defaultPageSize: number;
  /** Largest $top accepted. */
  maxPageSize: number;
  /** Absolute URL of the collection, without query, for @odata.nextLink. */
  collectionUrl: string;
}

export interface Page<T> {
  items: T[];
  nextLink?: string;
}

/**
 * Cuts one page out of a collection. The nextLink keeps the caller's other
 * query options and replaces $skiptoken, like Graph's.
 */
export function paginate<T>(request: ResourceRequest, all: readonly T[], options: PageOptions): Page<T> {
  const pageSize = parseTop(request.query, options.maxPageSize) ?? options.defaultPageSize;
  const token = option(request.query, "$skiptoken");
  const offset = token === undefined ? 0 : decodeSkipToken(token);
  const items = all.slice(offset, offset + pageSize);
  if (offset + pageSize >= all.length) return { items };
  const kept = [...request.query].filter(([key]) => key.toLowerCase() !== "$skiptoken");
  const query = formatQuery([...kept, ["$skiptoken", encodeSkipToken(offset + pageSize)]]);
  return { items, nextLink: `${options.collectionUrl}?${query}` };
}

/** `@odata.context` for a collection or entity of an entity set, e.g. `users(id,mail)/$entity`. */
export function contextUrl(serviceRoot: string, path: string, select: string[] | undefined, entity: boolean): string {
  const selected = select ? `(${select.join(",")})` : "";
  return `${serviceRoot}/$metadata#${path}${selected}${entity ? "/$entity" : ""}`;
}
