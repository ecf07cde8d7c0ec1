/**
 * What happens to one HTTP call, in order: counting, the onRequest hook,
 * inbound latency (plus the slow fault), an outer fault, the work itself
 * (batch, nextLink, download or unbatched request), outbound latency, answer.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BatchEndpoint } from "./batch/endpoint";
import type { Directory } from "./data/directory";
import type { Executor } from "./executor";
import type { ResourceResponse } from "./exchange";
import type { FaultInjector, OuterFault } from "./faults";
import { errorResponse, GraphError, methodNotAllowed, tooManyRequests, type RequestIds } from "./graph-error";
import { headerBag, readBody, toResourceRequest, writeResponse } from "./http-codec";
import { parseTarget, splitVersion, type RequestTarget } from "./request-target";
import { DOWNLOAD_PREFIX, serveDownload, type DownloadSigner } from "./routes/drive";
import { EmulatorClosedError, type Scheduler } from "./scheduler";
import { callFinished, callStarted } from "./stats";
import type { EmulatorStats, RequestInfo } from "./types";

type CallKind = "batch" | "batchNextLink" | "download" | "single";

export interface CallHandlerDependencies {
  directory: Directory;
  stats: EmulatorStats;
  faults: FaultInjector;
  scheduler: Scheduler;
  executor: Executor;
  batch: BatchEndpoint;
  signer: DownloadSigner;
  requestIds: RequestIds;
  latencyMs: number;
  onRequest?: (info: RequestInfo) => void;
}

/** One HTTP call on its way through the handler. */
interface Call {
  req: IncomingMessage;
  kind: CallKind;
  /** Upper-case. */
  method: string;
  rawUrl: string;
  /** Undefined when the URL could not be parsed (answered 400 later). */
  target?: RequestTarget;
  body: Buffer;
  requestId: string;
}

/** Calls that reach the store: only these can be reset after executing. */
const EXECUTING_KINDS: ReadonlySet<CallKind> = new Set(["batch", "single"]);

export class CallHandler {
  constructor(private readonly deps: CallHandlerDependencies) {}

  /** The node:http request listener. Never rejects: every failure ends the call somehow. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    const { stats } = this.deps;
    callStarted(stats);
    res.once("close", () => callFinished(stats));
    this.handle(req, res).catch((error: unknown) => {
      if (error instanceof EmulatorClosedError || res.headersSent) {
        req.socket.destroy();
        return;
      }
      const failure = error instanceof GraphError ? error : new GraphError(500, "InternalServerError", String(error));
      writeResponse(res, errorResponse(failure, this.deps.requestIds.create()), {});
    });
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { stats, scheduler, faults } = this.deps;
    const rawUrl = req.url ?? "/";
    const target = safeParseTarget(rawUrl);
    const kind = target ? classify(target.path) : "single";
    const method = (req.method ?? "GET").toUpperCase();
    stats.httpCalls.total++;
    stats.httpCalls[kind]++;
    this.deps.onRequest?.({ method, path: rawUrl.split("?")[0], isBatch: kind === "batch" });

    const body = await readBody(req);
    const inboundMs = Math.floor(this.deps.latencyMs / 2);
    await scheduler.delay(inboundMs + faults.slowDelay());

    const fault = faults.outerFault();
    // Only calls that reach the store can fail ambiguously; others reset up front.
    const resetAfterWork = fault.kind === "reset" && faults.resetAfterExecute && EXECUTING_KINDS.has(kind);
    if (fault.kind === "reset" && !resetAfterWork) return this.reset(req);

    const call: Call = { req, kind, method, rawUrl, target, body, requestId: this.deps.requestIds.create() };
    let response: ResourceResponse;
    if (fault.kind === "status") {
      stats.outerFaults++;
      response = errorResponse(outerFaultError(fault, faults.retryAfterSeconds), call.requestId);
    } else {
      response = await this.work(call).catch((error: unknown) => {
        if (error instanceof GraphError) return errorResponse(error, call.requestId);
        throw error;
      });
    }
    if (resetAfterWork) return this.reset(req);

    await scheduler.delay(this.deps.latencyMs - inboundMs);
    writeResponse(res, response, responseHeaders(call));
  }

  private async work(call: Call): Promise<ResourceResponse> {
    // Re-parsing throws the Graph-shaped 400 that safeParseTarget swallowed.
    const { path, query } = call.target ?? parseTarget(call.rawUrl);
    const app = call.req.headers.authorization ?? "anonymous";
    switch (call.kind) {
      case "download":
        requireMethod(call.method, "GET");
        return serveDownload(this.deps.directory, this.deps.signer, new URL(call.rawUrl, "http://emulator.invalid"));
      case "batch":
        requireMethod(call.method, "POST");
        return this.deps.batch.post(splitVersion(path).version, call.body, app);
      case "batchNextLink":
        requireMethod(call.method, "GET");
        return this.deps.batch.next(splitVersion(path).version, path.split("/").pop() ?? "");
      case "single": {
        const request = toResourceRequest(call.method, { path, query }, headerBag(call.req), call.body);
        return this.deps.executor.execute(request, { app, kind: "single", requestId: call.requestId, call });
      }
    }
  }

  private reset(req: IncomingMessage): void {
    this.deps.stats.outerFaults++;
    this.deps.stats.resets++;
    req.socket.destroy();
  }
}

/** Every answer carries Graph's request-id and echoes the caller's client-request-id. */
function responseHeaders(call: Call): Record<string, string> {
  const headers: Record<string, string> = { "request-id": call.requestId };
  const clientRequestId = call.req.headers["client-request-id"];
  if (typeof clientRequestId === "string") headers["client-request-id"] = clientRequestId;
  return headers;
}

function classify(path: string): CallKind {
  if (path.startsWith(DOWNLOAD_PREFIX)) return "download";
  if (/^\/[^/]+\/\$batch\/?$/i.test(path)) return "batch";
  if (/^\/[^/]+\/\$batch\/next\/[^/]+$/i.test(path)) return "batchNextLink";
  return "single";
}

function safeParseTarget(rawUrl: string): RequestTarget | undefined {
  try {
    return parseTarget(rawUrl);
  } catch {
    return undefined;
  }
}

function requireMethod(method: string, allowed: string): void {
  if (method !== allowed) throw methodNotAllowed([allowed]);
}

function outerFaultError(fault: Extract<OuterFault, { kind: "status" }>, retryAfterSeconds: number): GraphError {
  switch (fault.status) {
    case 429:
      return tooManyRequests(retryAfterSeconds);
    case 503:
      return new GraphError(503, "ServiceUnavailable", "The service is temporarily unavailable. Retry later.", {
        "Retry-After": String(retryAfterSeconds),
      });
    case 504:
      return new GraphError(504, "GatewayTimeout", "The gateway did not receive a response in time.");
  }
}
