/**
 * Runs one resource request the way Graph's backend would: throttling first
 * (a throttled request never executes), then the service time, then the store.
 * Sub-requests of a batch and unbatched requests go through the same path, so
 * they are throttled, timed and counted identically.
 */
import type { ResourceRequest, ResourceResponse } from "./exchange";
import type { FaultInjector } from "./faults";
import { errorResponse, GraphError, tooManyRequests } from "./graph-error";
import type { Random } from "./random";
import { dispatch, type DispatchEnvironment } from "./routes";
import type { Scheduler } from "./scheduler";
import type { TokenBuckets } from "./throttle";
import type { EmulatorStats } from "./types";

export interface ExecutorDependencies {
  environment: DispatchEnvironment;
  stats: EmulatorStats;
  faults: FaultInjector;
  /** Absent when throttling is off. */
  buckets?: TokenBuckets;
  scheduler: Scheduler;
  random: Random;
  serviceTimeMs: number;
  serviceJitterMs: number;
}

export interface Execution {
  /** The app whose token bucket pays: the Authorization header, or "anonymous". */
  app: string;
  kind: "sub-request" | "single";
  /** Goes into error bodies; the caller also puts it on the response. */
  requestId: string;
}

export class Executor {
  constructor(private readonly deps: ExecutorDependencies) {}

  async execute(request: ResourceRequest, execution: Execution): Promise<ResourceResponse> {
    const throttled = this.throttle(execution.app);
    if (throttled) {
      this.deps.stats.throttled++;
      return errorResponse(throttled, execution.requestId);
    }
    await this.deps.scheduler.delay(this.serviceTime());
    this.countExecution(execution.kind);
    try {
      return dispatch(request, this.deps.environment);
    } catch (error) {
      if (error instanceof GraphError) return errorResponse(error, execution.requestId);
      // A bug in a handler: answer like Graph's generic failure rather than crash the server.
      const message = error instanceof Error ? error.message : String(error);
      return errorResponse(new GraphError(500, "InternalServerError", message), execution.requestId);
    }
  }

  /** Injected throttling is drawn first so that it does not consume a bucket token. */
  private throttle(app: string): GraphError | undefined {
    const { faults, buckets } = this.deps;
    if (faults.subRequestThrottled()) return tooManyRequests(faults.retryAfterSeconds);
    const taken = buckets?.take(app);
    if (taken && !taken.granted) return tooManyRequests(taken.retryAfterSeconds);
    return undefined;
  }

  private serviceTime(): number {
    const { serviceTimeMs, serviceJitterMs, random } = this.deps;
    return serviceTimeMs + (serviceJitterMs > 0 ? random() * serviceJitterMs : 0);
  }

  private countExecution(kind: Execution["kind"]): void {
    const { stats } = this.deps;
    if (kind === "sub-request") stats.subRequests++;
    else stats.singleRequests++;
    stats.executed++;
  }
}
