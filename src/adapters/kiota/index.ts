/**
 * The Kiota SDK's front door (`@microsoft/msgraph-sdk`): `BatchingHandler` goes first in the
 * `kiota-http-fetchlibrary` chain and only translates. A request reaches it as
 * `(url, requestInit, requestOptions)`, already authenticated (Kiota adds the token before the
 * chain) with its body serialized to an ArrayBuffer; it becomes an engine request whose identity
 * is its Authorization header, and the engine's `Response` goes back up to the request adapter,
 * which parses it (or raises its `ODataError`) as it would the unbatched answer.
 *
 * ```ts
 * const http = KiotaClientFactory.create(undefined, [new BatchingHandler(), ...getDefaultMiddlewares()]);
 * const client = createGraphServiceClient(new GraphRequestAdapter(authProvider, undefined, undefined, http));
 * await Promise.all(ids.map((id) => client.users.byUserId(id).get()));   // ceil(n / 20) HTTP calls
 * ```
 *
 * Kiota is imported for its types only: it is ESM-only and in preview, and this module must load
 * without it.
 */
import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { BatchingEngine } from "../../engine/engine";
import type { BatchingStats } from "../../engine/events";
import { resolveOptions, BatchingOptions, type BatchingAdapterOptions, type BatchingMiddlewareOptions } from "../../options";
import { getHeader, toHeaderRecord } from "../../utils/headers";
import { objectId } from "../../utils/identity";
import { transportKey, transportOptionsOf } from "../../utils/transport";

export type { BatchingEvent, BatchingStats } from "../../engine/events";

/** The key under which Kiota hands `BatchingHandlerOptions` to every middleware. */
export const BatchingHandlerOptionsKey = "MsGraphBatchingHandlerOptionsKey";

/**
 * Per-request options, a Kiota `RequestOption`:
 * `client.users.byUserId(id).get({ options: [new BatchingHandlerOptions({ enabled: false })] })`.
 * Same fields as `BatchingOptions`: `enabled`, `maxRetries`, `id`, `dependsOn`.
 */
export class BatchingHandlerOptions extends BatchingOptions implements RequestOption {
  getKey(): string {
    return BatchingHandlerOptionsKey;
  }
}

/** The options of `BatchingHandler`: the middleware's, with `shouldBatch` in fetch terms. */
export type BatchingHandlerInit = BatchingAdapterOptions;

type Options = Record<string, RequestOption> | undefined;

/** Kiota's own option keys (kiota-http-fetchlibrary/src/middlewares/options). */
const KEYS = {
  observability: "ObservabilityOptionKey",
  urlReplace: "UrlReplaceHandlerOptionsKey",
  // Kiota's ParametersNameDecodingHandler reads its per-request options under the retry
  // handler's key (ParametersNameDecodingHandlerOptionsKey = "RetryHandlerOptionKey"): mirrored.
  parametersNameDecoding: "RetryHandlerOptionKey",
  redirect: "RedirectHandlerOption",
  headersInspection: "HeadersInspectionOptionsKey",
  bodyInspection: "BodyInspectionOptionsKey",
  chaos: "ChaosHandlerOptionsKey",
} as const;

interface UrlReplaceOptions {
  enabled?: boolean;
  urlReplacements?: Record<string, string>;
}
interface DecodingOptions {
  enable?: boolean;
  charactersToDecode?: string[];
}

/**
 * Sub-requests skip the handlers after ours, so what they would have done to the URL is done
 * here, with their own settings: UrlReplaceHandler (`/users/TokenToReplace` → `/me` by default)
 * and ParametersNameDecodingHandler (`%24select` → `$select`). Found by shape, in chain order.
 */
function rewriteUrl(first: Middleware | undefined, url: string, requestOptions: Options): string {
  for (let handler = first; handler; handler = handler.next) {
    const h = handler as unknown as { handlerOptions?: UrlReplaceOptions; options?: DecodingOptions; replaceTokensInUrl?: unknown; decodeParameters?: unknown };
    if (typeof h.replaceTokensInUrl === "function") {
      const options = (requestOptions?.[KEYS.urlReplace] as UrlReplaceOptions | undefined) ?? h.handlerOptions;
      if (options?.enabled) for (const [from, to] of Object.entries(options.urlReplacements ?? {})) url = url.replace(from, to);
    } else if (typeof h.decodeParameters === "function") {
      const options = (requestOptions?.[KEYS.parametersNameDecoding] as DecodingOptions | undefined) ?? h.options;
      if (options?.enable && url.includes("%") && options.charactersToDecode?.length) {
        for (const character of options.charactersToDecode) url = url.replace(new RegExp(`%${character.charCodeAt(0).toString(16)}`, "gi"), character);
      }
    }
  }
  return url;
}

/** Options only a later handler can honour for one request (it inspects that request's own exchange). */
function needsOwnExchange(requestOptions: Options): boolean {
  const headers = requestOptions?.[KEYS.headersInspection] as { inspectRequestHeaders?: boolean; inspectResponseHeaders?: boolean } | undefined;
  const body = requestOptions?.[KEYS.bodyInspection] as { inspectRequestBody?: boolean; inspectResponseBody?: boolean } | undefined;
  return Boolean(headers?.inspectRequestHeaders || headers?.inspectResponseHeaders || body?.inspectRequestBody || body?.inspectResponseBody || requestOptions?.[KEYS.chaos]);
}

/**
 * Requests share a batch when they carry the same token, the same transport options (the
 * `RequestInit` fields other than method, headers, body and signal) and the same per-request
 * options (by instance, since the `$batch` call carries them down the chain); tracing options are
 * per request by design and do not split batches.
 */
function groupKeyOf(authorization: string | undefined, transport: Record<string, unknown>, requestOptions: Options): string {
  const parts = [`authorization:${authorization ?? ""}`, transportKey(transport)];
  for (const [key, option] of Object.entries(requestOptions ?? {})) {
    if (key === KEYS.observability || key === BatchingHandlerOptionsKey) continue;
    parts.push(`${key}#${objectId(option)}`);
  }
  return parts.join("|");
}

/**
 * Transparent `$batch` batching for the Kiota-based SDK (`@microsoft/msgraph-sdk`): the first
 * handler of the `kiota-http-fetchlibrary` chain.
 *
 * @example
 * ```ts
 * const http = KiotaClientFactory.create(undefined, [new BatchingHandler(), ...getDefaultMiddlewares()]);
 * const client = createGraphServiceClient(new GraphRequestAdapter(authProvider, undefined, undefined, http));
 * ```
 */
export class BatchingHandler implements Middleware {
  /** The rest of the chain, set by Kiota when it links the handlers. */
  next: Middleware | undefined;
  private readonly engine: BatchingEngine;
  private readonly shouldBatch: BatchingHandlerInit["shouldBatch"];

  /**
   * @param options - batching options; all optional.
   * @throws `BatchingConfigError` (exported by the package root) for an invalid value or an unknown option name.
   */
  constructor(options: BatchingHandlerInit = {}) {
    this.shouldBatch = options.shouldBatch;
    this.engine = new BatchingEngine(resolveOptions(options as BatchingMiddlewareOptions));
  }

  /** What the handler holds and has done: requests queued, batches in flight and their limit, counters. */
  stats(): BatchingStats {
    return this.engine.stats();
  }

  /** Called by Kiota for every request: batches it, or passes it on down the chain. */
  execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    const next = this.next;
    if (!next) return Promise.reject(new Error("BatchingHandler sends through the rest of the chain: it cannot be the last middleware"));
    const perRequest = requestOptions?.[BatchingHandlerOptionsKey] as BatchingHandlerOptions | undefined;
    const method = (requestInit.method ?? "GET").toUpperCase();
    const headers = toHeaderRecord(requestInit.headers);
    const authorization = getHeader(headers, "authorization");
    const batchedUrl = rewriteUrl(next, url, requestOptions);
    const redirect = requestOptions?.[KEYS.redirect] as { maxRedirects?: number } | undefined;
    const shouldBatch = this.shouldBatch;
    const transport = transportOptionsOf(requestInit);
    // The `$batch` call and its nextLink GETs: the token, the group's transport and request options, down the rest of the chain.
    const outer = (body?: string): Record<string, string> => ({
      ...(authorization !== undefined ? { authorization } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    });
    return this.engine.submit({
      url: batchedUrl,
      method,
      headers,
      body: requestInit.body ?? undefined,
      signal: requestInit.signal ?? undefined,
      groupKey: groupKeyOf(authorization, transport, requestOptions),
      batching: needsOwnExchange(requestOptions) ? { enabled: false } : perRequest,
      followRedirects: !(redirect && redirect.maxRedirects === 0),
      shouldBatch: shouldBatch && (() => shouldBatch({ url: batchedUrl, method, headers: { ...headers } })),
      solo: {
        send: () => next.execute(url, requestInit, requestOptions),
        follow: (location, followHeaders) => next.execute(location, { ...requestInit, method, headers: followHeaders, body: undefined }, requestOptions),
      },
      transport: {
        post: (batchUrl, body, signal) => next.execute(batchUrl, { ...transport, method: "POST", headers: outer(body), body, signal }, requestOptions),
        get: (pageUrl, signal) => next.execute(pageUrl, { ...transport, method: "GET", headers: outer(), signal }, requestOptions),
      },
    });
  }
}
