/**
 * The v3 client's front door: the first link of `Client.initWithMiddleware`'s chain. It only
 * translates: a `Context` becomes an engine request (fetch terms, plus how to send down the rest
 * of the chain), and the engine's `Response` goes back into `context.response`.
 */
import {
  AuthenticationHandlerOptions,
  Context,
  Middleware,
  MiddlewareOptions,
  RedirectHandlerOptions,
} from "@microsoft/microsoft-graph-client";
import { BatchingEngine } from "../../engine/engine";
import type { BatchingStats } from "../../engine/events";
import type { BatchTransport, EngineRequest } from "../../engine/types";
import { BatchingMiddlewareOptions, isBatchingOptions, resolveOptions } from "../../options";
import { HeaderRecord, toHeaderRecord } from "../../utils/headers";
import { objectId } from "../../utils/identity";
import { transportKey, transportOptionsOf } from "../../utils/transport";
import { middlewareControlFor, requestMiddlewareOptions } from "./control";

/** Runs a context down the rest of the chain and hands back its response. */
async function run(next: Middleware, context: Context): Promise<Response> {
  await next.execute(context);
  return context.response as Response;
}

/**
 * Which requests may share a batch: the same client's customHosts, the same transport options
 * (the fetch options other than method, headers, body and signal: a proxy agent, credentials, …),
 * the same identity (requests with their own `AuthenticationHandlerOptions` are compared by
 * provider and scopes), and the same other per-request options (by instance), which the `$batch`
 * call then carries down the chain.
 */
function groupKeyOf(context: Context, transport: Record<string, unknown>, options: readonly MiddlewareOptions[]): string {
  const parts = [context.customHosts ? String(objectId(context.customHosts)) : "0", transportKey(transport)];
  for (const option of options) {
    parts.push(
      option instanceof AuthenticationHandlerOptions
        ? // Same provider and scopes = same identity, whichever options instance carries them.
          `auth:${option.authenticationProvider ? objectId(option.authenticationProvider) : 0}:${JSON.stringify(option.authenticationProviderOptions ?? null)}`
        : `${option.constructor.name}#${objectId(option)}`,
    );
  }
  return parts.join("|");
}

/**
 * Transparent `$batch` batching for the v3 client: put it first in `Client.initWithMiddleware`'s
 * chain (or use `createBatchingMiddlewareChain`), and requests issued together travel as
 * `$batch` calls of up to 20, down the rest of the chain, while every caller gets what it would
 * have got unbatched.
 *
 * @example
 * ```ts
 * const client = Client.initWithMiddleware({
 *   middleware: [new BatchingMiddleware(), ...MiddlewareFactory.getDefaultMiddlewareChain(authProvider)],
 * });
 * const members = await Promise.all(groupIds.map((id) => client.api(`/groups/${id}/members`).get()));
 * ```
 */
export class BatchingMiddleware implements Middleware {
  private next?: Middleware;
  private readonly engine: BatchingEngine;
  private readonly shouldBatch: BatchingMiddlewareOptions["shouldBatch"];

  /**
   * @param options - batching options; all optional (see {@link BatchingMiddlewareOptions}).
   * @throws {@link BatchingConfigError} for an invalid value or an unknown option name.
   */
  constructor(options?: BatchingMiddlewareOptions) {
    const resolved = resolveOptions(options);
    this.shouldBatch = resolved.shouldBatch;
    this.engine = new BatchingEngine(resolved);
  }

  /** Called by the SDK when it links the chain: batches and unbatched requests go to `next`. */
  setNext(next: Middleware): void {
    this.next = next;
  }

  /** What the middleware holds and has done: requests queued, batches in flight and their limit, counters. */
  stats(): BatchingStats {
    return this.engine.stats();
  }

  /**
   * Called by the SDK for every request: batches it, or passes it on, and sets `context.response`.
   * @throws Error when the middleware is the last of the chain (it sends through the rest of it).
   */
  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error("BatchingMiddleware sends through the rest of the chain: it cannot be the last middleware");
    // Request objects are not rewritten (their body and options are not all readable): they pass
    // through as they are, seen in the events and stats like any request.
    if (typeof context.request !== "string") {
      const { url, method } = context.request;
      context.response = await this.engine.sendUnbatched({ url, method: (context.options?.method ?? method).toUpperCase(), solo: { send: () => run(next, context) } }, "request-object");
      return;
    }
    context.response = await this.engine.submit(this.toEngineRequest(next, context, context.request));
  }

  private toEngineRequest(next: Middleware, context: Context, url: string): EngineRequest {
    const fetchOptions = context.options ?? {};
    const method = (fetchOptions.method ?? "GET").toUpperCase();
    const headers = toHeaderRecord(fetchOptions.headers as HeadersInit | undefined);
    const control = context.middlewareControl;
    const allOptions = requestMiddlewareOptions(context);
    const perRequest = allOptions.find(isBatchingOptions);
    const middlewareOptions = allOptions.filter((option) => !isBatchingOptions(option));
    const redirect = control?.getMiddlewareOptions(RedirectHandlerOptions) as RedirectHandlerOptions | undefined;
    const shouldBatch = this.shouldBatch;
    // The client's fetchOptions and the request's .option(...) values, merged by the SDK.
    const transportOptions = transportOptionsOf(fetchOptions);
    return {
      url,
      method,
      headers,
      body: fetchOptions.body,
      signal: fetchOptions.signal ?? undefined,
      groupKey: groupKeyOf(context, transportOptions, middlewareOptions),
      batching: perRequest,
      extraHosts: context.customHosts,
      followRedirects: fetchOptions.redirect !== "manual" && !(redirect && redirect.maxRedirects === 0),
      shouldBatch: shouldBatch && (() => shouldBatch({ url, method, headers: { ...headers }, context })),
      solo: {
        send: () => run(next, context),
        follow: (location: string, followHeaders: HeaderRecord) =>
          run(next, {
            request: location,
            options: { ...fetchOptions, method, headers: followHeaders, body: undefined },
            middlewareControl: control,
            customHosts: context.customHosts,
          }),
      },
      transport: this.transport(next, context, transportOptions, middlewareOptions),
    };
  }

  /**
   * The `$batch` call and its nextLink GETs travel as the group's requests would have: with their
   * transport options, middleware options and customHosts, down the rest of the chain.
   */
  private transport(next: Middleware, context: Context, transportOptions: Record<string, unknown>, middlewareOptions: readonly MiddlewareOptions[]): BatchTransport {
    const call = (url: string, options: Context["options"]) =>
      run(next, {
        request: url,
        options: { ...transportOptions, ...options },
        middlewareControl: middlewareControlFor(middlewareOptions, context.middlewareControl),
        customHosts: context.customHosts,
      });
    return {
      post: (url, body, signal) => call(url, { method: "POST", headers: { "Content-Type": "application/json" }, body, signal }),
      get: (url, signal) => call(url, { method: "GET", headers: {}, signal }),
    };
  }
}
