/**
 * A tiny segment router. Patterns look like "/users/{id}/messages/{mid}";
 * literals match case-insensitively (Graph's paths do), parameters match any
 * one segment.
 */
import type { Directory } from "../data/directory";
import type { ResourceRequest, ResourceResponse } from "../exchange";

/** Everything a handler may use. Handlers are synchronous: delays happen before dispatch. */
export interface RouteContext {
  request: ResourceRequest;
  params: Readonly<Record<string, string>>;
  directory: Directory;
  /** "http://127.0.0.1:PORT/v1.0": the root relative URLs resolve against. */
  serviceRoot: string;
  /** Absolute, pre-authenticated download URL of a drive item. */
  downloadUrl(itemId: string): string;
}

export type Handler = (context: RouteContext) => ResourceResponse;

export interface Route {
  pattern: string;
  /** Keyed by upper-case method. */
  handlers: Partial<Record<string, Handler>>;
}

export type RouteMatch =
  | { kind: "found"; handler: Handler; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: string[] }
  /** `segment` is the first segment no route knows, for Graph's error message. */
  | { kind: "not-found"; segment: string };

interface CompiledRoute {
  route: Route;
  /** Lower-cased literal, or a parameter name. */
  parts: ({ literal: string } | { param: string })[];
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => ({
      route,
      parts: route.pattern
        .split("/")
        .filter((part) => part.length > 0)
        .map((part) => (part.startsWith("{") ? { param: part.slice(1, -1) } : { literal: part.toLowerCase() })),
    }));
  }

  match(method: string, segments: readonly string[]): RouteMatch {
    let deepest = 0;
    for (const { route, parts } of this.routes) {
      const matched = matchedPrefix(parts, segments);
      if (matched === segments.length && matched === parts.length) {
        const handler = route.handlers[method];
        if (!handler) return { kind: "method-not-allowed", allowed: Object.keys(route.handlers) };
        return { kind: "found", handler, params: bindParams(parts, segments) };
      }
      deepest = Math.max(deepest, matched);
    }
    return { kind: "not-found", segment: segments[Math.min(deepest, segments.length - 1)] ?? "" };
  }
}

/** Number of leading segments that fit the pattern. */
function matchedPrefix(parts: CompiledRoute["parts"], segments: readonly string[]): number {
  let i = 0;
  while (i < parts.length && i < segments.length) {
    const part = parts[i];
    if ("literal" in part && part.literal !== segments[i].toLowerCase()) break;
    i++;
  }
  return i;
}

function bindParams(parts: CompiledRoute["parts"], segments: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  parts.forEach((part, i) => {
    if ("param" in part) params[part.param] = segments[i];
  });
  return params;
}
