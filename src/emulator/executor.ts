/**
 * Runs one resource request the way Graph's backend would: throttling first
 * (a throttled request never executes), then the service time, then the store.
 * Sub-requests of a batch and unbatched requests go through the same path, so
 * they are throttled, timed and counted identically.
 */
import type { ResourceRequest, ResourceResponse } from "./exchange";
import type { FaultInjector } from "./faults";
import { errorResponse, GraphError, mailboxConcurrencyExceeded, tooManyRequests } from "./graph-error";
import type { Random } from "./random";
import { dispatch, type DispatchEnvironment } from "./routes";
import type { Scheduler } from "./scheduler";
import { executionFinished, executionStarted, recordThrottle } from "./stats";
import type { Throttling } from "./throttle-options";
import { throttlingScopeOf } from "./throttle-scope";
import type { EmulatorStats } from "./types";

export interface ExecutorDependencies extends Throttling {
  environment: DispatchEnvironment;
  stats: EmulatorStats;
  faults: FaultInjector;
  /** Who `/me` is, for the scope of `/me/...` requests. */
  meId: string;
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
  /** The HTTP call it came in (a `$batch` for sub-requests): Graph queues a batch's own Outlook requests. */
  call: object;
}

export class Executor {
  constructor(private readonly deps: ExecutorDependencies) {}

  async execute(request: ResourceRequest, execution: Execution): Promise<ResourceResponse> {
    const { stats, mailboxSlots } = this.deps;
    const scope = this.scopeOf(request.path);
    let throttled = this.throttle(execution.app, scope);
    // Slots are per app and mailbox, like Outlook's limit.
    const slot = !throttled && mailboxSlots && scope.startsWith("mailbox:") ? `${execution.app}\u0000${scope}` : undefined;
    if (slot && !(await mailboxSlots!.acquire(slot, execution.call))) {
      throttled = mailboxConcurrencyExceeded(this.deps.mailboxRetryAfterSeconds);
    }
    if (throttled) {
      recordThrottle(stats, scope);
      return errorResponse(throttled, execution.requestId);
    }
    executionStarted(stats);
    try {
      await this.deps.scheduler.delay(this.serviceTime());
    } finally {
      executionFinished(stats);
      if (slot) mailboxSlots!.release(slot, execution.call);
    }
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

  /**
   * The request's scope, with a mailbox addressed by userPrincipalName named by the user's id:
   * Graph limits the mailbox, however the URL spells its owner.
   */
  private scopeOf(path: string): string {
    const scope = throttlingScopeOf(path, this.deps.meId);
    if (!scope.startsWith("mailbox:") || scope.startsWith("mailbox:group:")) return scope;
    const user = this.deps.environment.directory.findUser(scope.slice("mailbox:".length));
    return user ? `mailbox:${user.id.toLowerCase()}` : scope;
  }

  /**
   * Injected throttling is drawn first so that it does not consume a bucket token; then the
   * scope's own bucket if it has one, else the app-wide one.
   */
  private throttle(app: string, scope: string): GraphError | undefined {
    const { faults } = this.deps;
    if (faults.subRequestThrottled()) return tooManyRequests(faults.retryAfterSeconds);
    const buckets = this.deps.scopeBuckets.get(scope) ?? this.deps.buckets;
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
