/**
 * The contenders: different ways of doing the same work against the same emulator.
 *
 *  1  the SDK's default chain, every request at once;
 *  2  the same, at most 6 requests in flight (what a browser allows per host on HTTP/1.1);
 *  3  hand-written batching with the SDK's BatchRequestContent / BatchResponseContent, written as
 *     Microsoft's documentation shows it, with the absolute `/v1.0` URLs Node forces on a user;
 *  3b the same with the maintainers' workaround: absolute URLs without the version segment;
 *  4  BatchingMiddleware with its defaults, with maxConcurrentBatches 1, and unbounded.
 */
import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  MiddlewareFactory,
  type BatchRequestStep,
} from "@microsoft/microsoft-graph-client";
import { createBatchingMiddlewareChain, type BatchingMiddlewareOptions } from "../src";
import { limitInFlight } from "../samples/groups";
import type { EmulatorData } from "./emulator-protocol";
import { BATCH_SIZE, type Tracker } from "./measure";
import { failure, ok, type Item, type LogicalRequest, type Run, type Workload } from "./workloads";

const authProvider = { getAccessToken: async () => "bench-token" };

export interface Session {
  /** Runs the workload; every request's latency goes to the tracker. */
  run(workload: Workload, tracker: Tracker): Promise<Item[]>;
}

export interface Contender {
  readonly key: string;
  /** "1", "2", "3", "3b", "4a"...: how the issue numbers them. */
  readonly number: string;
  readonly label: string;
  /** HTTP calls in flight, for the round-trip bound; Infinity: everything at once. */
  readonly concurrency: number;
  /** Requests travel 20 to a `$batch` call (the bound divides N by 20). */
  readonly batched: boolean;
  /** Connects to a freshly started emulator. */
  open(data: EmulatorData): Session;
}

/** Contenders that use a Graph client the ordinary way: `client.api(...).get()` and friends. */
function clientContender(spec: {
  key: string;
  number: string;
  label: string;
  concurrency: number;
  batching?: BatchingMiddlewareOptions;
}): Contender {
  return {
    key: spec.key,
    number: spec.number,
    label: spec.label,
    concurrency: spec.concurrency,
    batched: spec.batching !== undefined,
    open(data) {
      // The emulator is on loopback, not a Graph host: `hosts` tells the middleware to batch it.
      const middleware = spec.batching
        ? createBatchingMiddlewareChain(authProvider, { hosts: [`127.0.0.1:${data.port}`], ...spec.batching })
        : MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
      const client = Client.initWithMiddleware({ baseUrl: data.url, middleware });
      // Created per session: limitInFlight's queue must not outlive a run.
      const limiter = Number.isFinite(spec.concurrency) && !spec.batching ? limitInFlight(spec.concurrency) : undefined;
      return {
        run(workload, tracker) {
          const run: Run = (call) => tracker.track(() => (limiter ? limiter(call) : call()));
          return workload.withClient(client, run, data);
        },
      };
    },
  };
}

/** How hand-written batching spells a request's URL for `new Request(...)`. */
type UrlStyle = "documented" | "workaround";

/**
 * What a sub-response gives its caller, read the way the SDK would for an unbatched call:
 * 204 is undefined, JSON is parsed, an error becomes its status and Graph's error code.
 */
async function readSubResponse(response: Response | undefined): Promise<Item> {
  if (!response) return { ok: false, status: 0, code: "MissingResponse" };
  if (response.status === 204) return ok(undefined);
  const json = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
  if (!response.ok) return { ok: false, status: response.status, code: json?.error?.code ?? "Error" };
  return ok(json);
}

/**
 * Hand-written batching as Microsoft's documentation (learn.microsoft.com, "Use the Microsoft
 * Graph SDKs to batch requests") writes it, in chunks of 20, every chunk at once:
 * `new BatchRequestContent(steps)`, `client.api("/$batch").post(await content.getContent())`,
 * `new BatchResponseContent(response)`, `getResponseById(id)`. Throttled sub-requests are not
 * retried: the documentation does not, and the SDK offers nothing for it.
 */
async function batchWithSdkContent(
  client: Client,
  requests: readonly LogicalRequest[],
  urlOf: (request: LogicalRequest) => string,
  tracker: Tracker,
): Promise<Item[]> {
  const items: Item[] = new Array<Item>(requests.length);
  const chunks: number[][] = [];
  for (let start = 0; start < requests.length; start += BATCH_SIZE) {
    chunks.push(Array.from({ length: Math.min(BATCH_SIZE, requests.length - start) }, (_, i) => start + i));
  }
  await Promise.all(
    chunks.map(async (indices) => {
      // Each request of the chunk is "issued" now, when the user's code starts on it.
      const ends = indices.map(() => tracker.begin());
      try {
        const steps: BatchRequestStep[] = indices.map((index, i) => {
          const request = requests[index];
          return {
            id: String(i + 1),
            request: new Request(urlOf(request), {
              method: request.method,
              ...(request.body ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(request.body) } : {}),
            }),
          };
        });
        const batchRequestContent = new BatchRequestContent(steps);
        const response: unknown = await client.api("/$batch").post(await batchRequestContent.getContent());
        const batchResponseContent = new BatchResponseContent(response as ConstructorParameters<typeof BatchResponseContent>[0]);
        await Promise.all(
          indices.map(async (index, i) => {
            const item = await readSubResponse(batchResponseContent.getResponseById(String(i + 1)));
            items[index] = item;
            ends[i](item.ok ? undefined : { statusCode: item.status, message: item.code });
          }),
        );
      } catch (error) {
        // The whole chunk failed (the `$batch` call answered 400, or the SDK threw).
        for (let i = 0; i < indices.length; i++) {
          items[indices[i]] = failure(error);
          ends[i](error);
        }
      }
    }),
  );
  return items;
}

function sdkBatchContender(spec: { key: string; number: string; label: string; style: UrlStyle }): Contender {
  return {
    key: spec.key,
    number: spec.number,
    label: spec.label,
    concurrency: Infinity,
    batched: true,
    open(data) {
      const client = Client.initWithMiddleware({ baseUrl: data.url, middleware: MiddlewareFactory.getDefaultMiddlewareChain(authProvider) });
      // Node's Request takes absolute URLs only, so the documentation's `new Request("/me")` is
      // out; a user writes the full Graph URL, and 3.0.7 keeps its `/v1.0` in the batch.
      // The workaround (msgraph-sdk-javascript#1451) leaves the version out of the URL.
      const urlOf = (request: LogicalRequest) => (spec.style === "documented" ? `${data.url}/v1.0${request.path}` : `${data.url}${request.path}`);
      return {
        async run(workload, tracker) {
          const outcomes = await batchWithSdkContent(client, workload.list(data), urlOf, tracker);
          return workload.assemble(outcomes, data);
        },
      };
    },
  };
}

export const CONTENDERS: readonly Contender[] = [
  clientContender({ key: "sdk-all", number: "1", label: "SDK default chain, all at once", concurrency: Infinity }),
  clientContender({ key: "sdk-6", number: "2", label: "SDK default chain, 6 in flight (browser)", concurrency: 6 }),
  sdkBatchContender({ key: "sdk-batch", number: "3", label: "SDK BatchRequestContent, as documented", style: "documented" }),
  sdkBatchContender({ key: "sdk-batch-fixed", number: "3b", label: "SDK BatchRequestContent, with workaround", style: "workaround" }),
  clientContender({ key: "mw", number: "4a", label: "BatchingMiddleware, defaults", concurrency: 64, batching: {} }),
  clientContender({ key: "mw-1", number: "4b", label: "BatchingMiddleware, maxConcurrentBatches 1", concurrency: 1, batching: { maxConcurrentBatches: 1 } }),
  clientContender({
    key: "mw-unbounded",
    number: "4c",
    label: "BatchingMiddleware, unbounded",
    concurrency: Infinity,
    batching: { maxConcurrentBatches: Number.MAX_SAFE_INTEGER },
  }),
];

/**
 * The documented form, `new Request("/users/...")`, on this Node: the error it throws, or
 * undefined if it works (then the documentation's relative URLs could be used as they are).
 */
export function documentedRelativeRequestError(): string | undefined {
  try {
    new Request("/users/u-0001", { method: "GET" });
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}
