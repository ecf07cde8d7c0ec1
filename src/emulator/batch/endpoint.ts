/**
 * POST /{version}/$batch and GET /{version}/$batch/next/{token}.
 */
import type { Executor } from "../executor";
import { jsonResponse, type ResourceResponse } from "../exchange";
import type { FaultInjector } from "../faults";
import { errorResponse, GraphError, resourceNotFound, type RequestIds } from "../graph-error";
import type { EmulatorStats } from "../types";
import { toResourceRequest, toSubResponse, type SubResponse } from "./codec";
import type { NextLinkStore } from "./next-link";
import { runBatch } from "./run";
import { readBatchRequests, validateBatch, type BatchStep } from "./validate";

export interface BatchEndpointDependencies {
  executor: Executor;
  stats: EmulatorStats;
  faults: FaultInjector;
  nextLinks: NextLinkStore;
  requestIds: RequestIds;
  baseUrl: string;
}

export class BatchEndpoint {
  constructor(private readonly deps: BatchEndpointDependencies) {}

  /** Throws GraphError (400) when the batch itself is malformed. */
  async post(version: string, payload: Buffer, app: string): Promise<ResourceResponse> {
    const requests = readBatchRequests(payload);
    // Recorded before validation: an oversized batch is exactly what a test wants to see.
    this.deps.stats.maxBatchSize = Math.max(this.deps.stats.maxBatchSize, requests.length);
    const steps = validateBatch(requests);
    // One object per $batch call: its own Outlook requests queue behind each other (see MailboxSlots).
    const call = {};
    const responses = await runBatch(steps, (step) => this.runStep(step, version, app, call), () => this.deps.requestIds.create());
    return this.release(version, responses);
  }

  /** The next part of an answer released through nextLink. A token works once. */
  next(version: string, token: string): ResourceResponse {
    const responses = this.deps.nextLinks.take(token);
    if (!responses) throw resourceNotFound(`The batch nextLink token '${token}' is unknown, expired or already used.`);
    return this.release(version, responses);
  }

  /**
   * Either the whole answer or, when the nextLink fault hits, its first half
   * plus a link to the rest (which may itself be split again).
   */
  private release(version: string, responses: SubResponse[]): ResourceResponse {
    if (responses.length < 2 || !this.deps.faults.batchNextLink()) return jsonResponse(200, { responses });
    const cut = Math.ceil(responses.length / 2);
    const token = this.deps.nextLinks.save(responses.slice(cut));
    return jsonResponse(200, {
      responses: responses.slice(0, cut),
      nextLink: `${this.deps.baseUrl}/${version}/$batch/next/${token}`,
    });
  }

  private async runStep(step: BatchStep, version: string, app: string, call: object): Promise<SubResponse> {
    const requestId = this.deps.requestIds.create();
    let response: ResourceResponse;
    try {
      const request = toResourceRequest(step, version);
      response = await this.deps.executor.execute(request, { app, kind: "sub-request", requestId, call });
    } catch (error) {
      if (!(error instanceof GraphError)) throw error;
      response = errorResponse(error, requestId);
    }
    return toSubResponse(step, response);
  }
}
