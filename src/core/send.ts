/**
 * Send: one `$batch` POST down the rest of the middleware chain, then the GETs of any top-level
 * nextLink, so that authentication, retry (of the outer call), redirect, telemetry and the HTTP
 * handler apply to the batch as to any request.
 */
import type { Context, Middleware, MiddlewareOptions } from "@microsoft/microsoft-graph-client";
import { parseBatchResponse, SubResponse } from "./decode";
import type { BatchOutcome } from "./settle";

/**
 * The handlers read their options only from a context whose middlewareControl is an
 * `instanceof MiddlewareControl` of their own copy of the SDK (its CommonJS or its ES build).
 * The SDK does not export the class, so we build the batch's control with the constructor of
 * the control the callers' requests came with: the same copy as the handlers'. Without one
 * (a context built by hand), a look-alike keeps the same surface.
 */
type ControlClass = new (options?: MiddlewareOptions[]) => NonNullable<Context["middlewareControl"]>;

class OptionsControl {
  private readonly options = new Map<Function, MiddlewareOptions>();
  constructor(options: readonly MiddlewareOptions[]) {
    for (const option of options) this.options.set(option.constructor, option);
  }
  getMiddlewareOptions(fn: Function): MiddlewareOptions {
    return this.options.get(fn) as MiddlewareOptions;
  }
  setMiddlewareOptions(fn: Function, option: MiddlewareOptions): void {
    this.options.set(fn, option);
  }
}

export function middlewareControlFor(options: readonly MiddlewareOptions[], like?: Context["middlewareControl"]): Context["middlewareControl"] {
  const Control = (like?.constructor ?? OptionsControl) as ControlClass;
  return new Control([...options]);
}

export interface BatchCall {
  readonly url: string;
  readonly body: string;
  readonly middlewareOptions: readonly MiddlewareOptions[];
  /** A control of the callers' requests, whose class the batch's control takes. */
  readonly controlLike?: Context["middlewareControl"];
  readonly customHosts?: Set<string>;
  readonly signal?: AbortSignal;
}

/** Pages of a partial batch response followed at most; a service that loops forever stops here. */
const MAX_NEXT_LINKS = 100;

function headersOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => (out[name] = value));
  return out;
}

async function execute(next: Middleware, context: Context): Promise<Response | undefined> {
  await next.execute(context);
  return context.response;
}

async function readJson(response: Response): Promise<{ ok: true; json: unknown } | { ok: false; reason: string }> {
  const text = await response.text();
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, reason: `the body is not JSON (${text.length > 80 ? `${text.slice(0, 80)}...` : text || "empty"})` };
  }
}

/** Sends one batch and follows its nextLinks. Never throws: every failure is an outcome. */
export async function sendBatch(next: Middleware, call: BatchCall): Promise<BatchOutcome> {
  const context: Context = {
    request: call.url,
    options: { method: "POST", headers: { "Content-Type": "application/json" }, body: call.body, signal: call.signal },
    middlewareControl: middlewareControlFor(call.middlewareOptions, call.controlLike),
    customHosts: call.customHosts,
  };
  try {
    const response = await execute(next, context);
    if (!response) return { kind: "malformed", status: 0, reason: "the chain produced no response" };
    if (!response.ok) return await httpError(response);
    const body = await readJson(response);
    if (!body.ok) return { kind: "malformed", status: response.status, reason: body.reason };
    let first: ReturnType<typeof parseBatchResponse>;
    try {
      first = parseBatchResponse(body.json);
    } catch (error) {
      return { kind: "malformed", status: response.status, reason: (error as Error).message };
    }
    const responses: SubResponse[] = [...first.responses];
    const invalid = [...first.invalid];
    let nextLink = first.nextLink;
    for (let page = 0; nextLink && page < MAX_NEXT_LINKS; page++) {
      // A failure while following nextLink loses only the responses not yet delivered: they
      // are treated as missing (sent again if idempotent), never as a failure of the whole batch.
      const pageResult = await followNextLink(next, new URL(nextLink, call.url).href, call);
      if (!pageResult) break;
      responses.push(...pageResult.responses);
      invalid.push(...pageResult.invalid);
      nextLink = pageResult.nextLink;
    }
    return { kind: "responses", responses, invalid };
  } catch (error) {
    return { kind: "transport", cause: error };
  }
}

async function followNextLink(next: Middleware, url: string, call: BatchCall) {
  const context: Context = {
    request: url,
    options: { method: "GET", headers: {}, signal: call.signal },
    middlewareControl: middlewareControlFor(call.middlewareOptions, call.controlLike),
    customHosts: call.customHosts,
  };
  try {
    const response = await execute(next, context);
    if (!response || !response.ok) {
      await response?.body?.cancel();
      return undefined;
    }
    const body = await readJson(response);
    return body.ok ? parseBatchResponse(body.json) : undefined;
  } catch {
    return undefined;
  }
}

async function httpError(response: Response): Promise<BatchOutcome> {
  let error: { code?: string; message?: string; innerError?: unknown } | undefined;
  const body = await readJson(response).catch(() => undefined);
  if (body?.ok && typeof body.json === "object" && body.json !== null) {
    const inner = (body.json as { error?: unknown }).error;
    if (typeof inner === "object" && inner !== null) error = inner as typeof error;
  }
  return { kind: "http-error", status: response.status, statusText: response.statusText, headers: headersOf(response), error };
}
