/**
 * The batching engine: the only state of the library. It knows no SDK: requests come in fetch
 * terms (engine/types), each with the adapter's ways to send, and leave as `Response`s or
 * rejections. The data path is collect (collect, queue) → schedule (schedule, scope) → encode
 * (encode, target) → send (send) → decode (decode, response) → settle (settle, retry), each a
 * module of its own; this class holds the window, the requests admitted, and retry timers.
 */
import { Window } from "./collect";
import { toResponse, SubResponse } from "./decode";
import { encodeBatch, encodeRequest, needsAsyncRead, readBlobBody, SubRequestPayload } from "./encode";
import type { BatchingEvent, BatchingStats, UnbatchedReason } from "./events";
import { orderUnits } from "./order";
import { parseRetryAfter } from "./retry";
import { BatchReport, Schedule, Ticket } from "./schedule";
import { throttlingScopeOf, ThrottlingScope } from "./scope";
import { sendBatch } from "./send";
import { Decision, Member, planSettlement, refusalPause } from "./settle";
import { batchUrl, isBatchableHost, isBatchEndpoint, parseTarget, Target } from "./target";
import type { BatchTransport, EngineRequest, SoloExchange } from "./types";
import { abortReason, BatchError, MissingResponseError } from "../errors";
import type { ResolvedOptions } from "../options";
import { Alarm } from "../utils/alarm";
import { getHeader } from "../utils/headers";
import { isRedirectStatus } from "../utils/status";

/** A batch endpoint and identity, and how its `$batch` calls travel. */
interface Group {
  readonly key: string;
  readonly target: Pick<Target, "origin" | "version">;
  readonly transport: BatchTransport;
}

/** `sharing`: an identical request's carrier travels for it (dedupe); it is in no queue itself. */
type State = "window" | "queued" | "delayed" | "inflight" | "sharing" | "settled";

/** A request admitted for batching, from admission until its caller is settled. */
interface Pending {
  readonly seq: number;
  readonly request: EngineRequest;
  readonly url: string;
  readonly method: string;
  readonly group: Group;
  /** `group.key`, where the schedule looks for it. */
  readonly groupKey: string;
  readonly scope: ThrottlingScope;
  readonly payload: SubRequestPayload;
  readonly maxRetries: number;
  readonly orderId?: string;
  readonly dependsOn: readonly string[];
  readonly signal?: AbortSignal;
  /** When the caller issued it (Date.now()), for `oldestWaitMs`. */
  readonly issuedAt: number;
  state: State;
  /** Times sent so far. */
  attempts: number;
  /** Alone in its window: sent as a plain request, not wrapped in `$batch`. */
  alone: boolean;
  /** The other requests that must share its batch (dependsOn), itself included, dependencies first. */
  unit?: Pending[];
  retryTimer?: ReturnType<typeof setTimeout>;
  batch?: InFlightBatch;
  /**
   * Dedupe: a carrier is a request made by the engine that travels for identical callers (its
   * sharers); it has no caller of its own. A sharer points to its carrier.
   */
  sharers?: Pending[];
  carrier?: Pending;
  /** Aborts a carrier once every sharer has gone. */
  carrierAbort?: AbortController;
  resolve(response: Response): void;
  reject(error: unknown): void;
  detachAbort?: () => void;
}

type Admitted = Pick<Pending, "request" | "group" | "scope" | "payload" | "maxRetries" | "orderId" | "dependsOn" | "signal">;

interface InFlightBatch {
  readonly members: Pending[];
  readonly controller?: AbortController;
}

export class BatchingEngine {
  private readonly window: Window<Pending>;
  /** Units waiting for a batch slot, throttling scopes and the batches in flight (schedule.ts). */
  private readonly schedule: Schedule<Pending>;
  /** Set while held requests wait for a pause or a pacing period to end. */
  private readonly wake = new Alarm(() => this.pump());
  /**
   * Set while a paused scope's scope-resumed is due (only when someone listens). Unref'd: it holds
   * no caller (a held request keeps the wake alarm, which is not unref'd).
   */
  private readonly resume = new Alarm(() => this.watchResumes(), true);
  private seq = 0;
  /** onEvent and the log; undefined when nobody listens, and then no event is ever built. */
  private readonly emit?: (event: BatchingEvent) => void;
  private readonly counts = { batchesSent: 0, requestsBatched: 0, requestsUnbatched: 0, retries: 0, deduplicated: 0, delayed: 0 };

  constructor(private readonly options: ResolvedOptions) {
    this.emit = options.emit;
    this.schedule = new Schedule<Pending>({
      maxBatchSize: this.options.maxBatchSize,
      initialInFlight: this.options.initialConcurrentBatches,
      maxInFlight: this.options.maxConcurrentBatches,
      onChange: options.emit,
    });
    this.window = new Window<Pending>(this.options.windowMs, (items) => this.closeWindow(items));
  }

  /**
   * Batches the request with the others issued close to it, or sends it on its own when it cannot
   * travel in a batch. Resolves with what the caller's own request would have answered.
   */
  async submit(request: EngineRequest): Promise<Response> {
    // Numbered on arrival, before any await: a request whose body is read asynchronously keeps
    // its place in the batch among the requests issued with it.
    const seq = this.seq++;
    const admitted = await this.admit(request);
    if (typeof admitted === "string") return this.sendUnbatched(request, admitted);
    return new Promise<Response>((resolve, reject) => this.enqueue(seq, admitted, resolve, reject));
  }

  /** A snapshot of the state and counters (`stats()` of every front door). */
  stats(): BatchingStats {
    const schedule = this.schedule.snapshot();
    return {
      queued: this.window.pending.length + schedule.waiting + this.counts.delayed,
      inFlight: schedule.inFlight,
      limit: schedule.limit,
      pausedScopes: schedule.pausedScopes,
      batchesSent: this.counts.batchesSent,
      requestsBatched: this.counts.requestsBatched,
      requestsUnbatched: this.counts.requestsUnbatched,
      retries: this.counts.retries,
      deduplicated: this.counts.deduplicated,
    };
  }

  /**
   * A request that does not go in a batch: sent as it is, counted, and watched if someone listens.
   * Adapters call it for what they cannot hand over (a `Request` object, whose body and transport
   * options they cannot all read), so that no request escapes the events or `stats()`.
   */
  sendUnbatched(request: Pick<EngineRequest, "url" | "method"> & { readonly solo: Pick<SoloExchange, "send"> }, reason: UnbatchedReason): Promise<Response> {
    this.counts.requestsUnbatched++;
    const emit = this.emit;
    if (!emit) return request.solo.send();
    const { url, method } = request;
    emit({ type: "unbatched", url, method, reason });
    return request.solo.send().then(
      (response) => {
        emit({ type: "settled", url, method, status: response.status, attempts: 1, batched: false });
        return response;
      },
      (error: unknown) => {
        emit({ type: "settled", url, method, error: errorName(error), attempts: 1, batched: false });
        throw error;
      },
    );
  }

  /** Decides whether a request is batched; returns what the queue needs, or why it is passed on. */
  private async admit(request: EngineRequest): Promise<Admitted | UnbatchedReason> {
    const perRequest = request.batching;
    if (perRequest?.enabled === false) return "opted-out";
    const target = parseTarget(request.url);
    if (!target) return "not-graph";
    if (isBatchEndpoint(target.relativeUrl)) return "batch-endpoint";
    if (!isBatchableHost(target.host, target.hostname, request.extraHosts, this.options.hosts)) return "not-graph";
    if (request.shouldBatch && !request.shouldBatch()) return "should-batch";
    let { body, headers } = request;
    if (needsAsyncRead(body)) {
      const reading = readBlobBody(body, headers);
      this.window.hold(reading);
      ({ body, headers } = await reading);
    }
    const encoded = encodeRequest(request.method, target.relativeUrl, headers, body, this.options.maxBodyBytes);
    if (!encoded.batchable) return encoded.code;
    const key = `${target.origin.toLowerCase()}|${target.version}|${request.groupKey}`;
    return {
      request,
      group: { key, target, transport: request.transport },
      scope: throttlingScopeOf(target.relativeUrl),
      payload: encoded.payload,
      maxRetries: perRequest?.maxRetries ?? this.options.retry.maxRetries,
      orderId: perRequest?.id,
      dependsOn: perRequest?.dependsOn ?? [],
      signal: request.signal,
    };
  }

  private enqueue(seq: number, admitted: Admitted, resolve: (response: Response) => void, reject: (error: unknown) => void): void {
    const { signal } = admitted;
    const pending = this.pending(seq, admitted, resolve, reject);
    if (signal?.aborted) {
      this.fail(pending, abortReason(signal));
      return;
    }
    if (signal) {
      const onAbort = () => this.abort(pending);
      signal.addEventListener("abort", onAbort, { once: true });
      pending.detachAbort = () => signal.removeEventListener("abort", onAbort);
    }
    this.window.add(pending);
  }

  private pending(seq: number, admitted: Admitted, resolve: (response: Response) => void, reject: (error: unknown) => void, issuedAt = Date.now()): Pending {
    // Every field spelled out, none spread: V8 then gives all pending requests one object shape,
    // and the spread alone cost more than 10 µs per request (docs/benchmarks.md).
    return {
      seq,
      request: admitted.request,
      url: admitted.request.url,
      method: admitted.request.method,
      group: admitted.group,
      groupKey: admitted.group.key,
      scope: admitted.scope,
      payload: admitted.payload,
      maxRetries: admitted.maxRetries,
      orderId: admitted.orderId,
      dependsOn: admitted.dependsOn,
      signal: admitted.signal,
      issuedAt,
      state: "window",
      attempts: 0,
      alone: false,
      unit: undefined,
      retryTimer: undefined,
      batch: undefined,
      sharers: undefined,
      carrier: undefined,
      carrierAbort: undefined,
      resolve,
      reject,
      detachAbort: undefined,
    };
  }

  /** The window closed: group its requests, resolve their ordering, queue them, send. */
  private closeWindow(items: Pending[]): void {
    items.sort((a, b) => a.seq - b.seq);
    const byGroup = new Map<string, Pending[]>();
    for (const item of items) {
      const list = byGroup.get(item.group.key);
      if (list) list.push(item);
      else byGroup.set(item.group.key, [item]);
    }
    for (let groupItems of byGroup.values()) {
      if (this.options.dedupe) groupItems = this.dedupe(groupItems);
      const { units, rejected } = orderUnits(groupItems, this.options.maxBatchSize);
      for (const { item, error } of rejected) this.fail(item, error);
      // A carrier never goes alone: its first sharer's own exchange would carry that sharer's signal.
      if (groupItems.length === 1 && units.length === 1 && !units[0][0].sharers) units[0][0].alone = true;
      for (const unit of units) {
        for (const member of unit) {
          member.state = "queued";
          if (unit.length > 1) member.unit = unit;
        }
      }
      for (const unit of units) this.schedule.push(unit);
    }
    this.pump();
  }

  /**
   * Identical GETs of one group (same URL, sub-request headers and redirect handling; the group
   * already means the same identity and transport) travel once: a carrier takes the place of the
   * first in line, and every one of them becomes its sharer. Requests ordered with id/dependsOn
   * keep their own identity and are left alone.
   */
  private dedupe(items: Pending[]): Pending[] {
    const byKey = new Map<string, Pending[]>();
    for (const item of items) {
      if (item.method !== "GET" || item.orderId !== undefined || item.dependsOn.length > 0) continue;
      const key = `${item.request.followRedirects}|${JSON.stringify(item.payload)}`;
      const same = byKey.get(key);
      if (same) same.push(item);
      else byKey.set(key, [item]);
    }
    const replaced = new Map<Pending, Pending | undefined>();
    for (const sharers of byKey.values()) {
      if (sharers.length < 2) continue;
      const first = sharers[0];
      const carrierAbort = new AbortController();
      const carrier = this.pending(first.seq, { ...first, signal: carrierAbort.signal }, noop, noop, first.issuedAt);
      carrier.carrierAbort = carrierAbort;
      carrierAbort.signal.addEventListener("abort", () => this.abort(carrier), { once: true });
      carrier.sharers = sharers;
      for (const sharer of sharers) {
        sharer.state = "sharing";
        sharer.carrier = carrier;
        replaced.set(sharer, undefined);
      }
      replaced.set(first, carrier);
      this.counts.deduplicated += sharers.length - 1;
    }
    if (replaced.size === 0) return items;
    const out: Pending[] = [];
    for (const item of items) {
      if (!replaced.has(item)) out.push(item);
      else if (replaced.get(item)) out.push(replaced.get(item)!);
    }
    return out;
  }

  /** Starts batches while the schedule lets them leave; wakes up when held requests may leave. */
  private pump(): void {
    for (let ticket = this.schedule.take(); ticket; ticket = this.schedule.take()) {
      const taken = ticket;
      void this.dispatch(taken)
        .catch((error: unknown) => {
          // dispatch settles everyone itself; this only guards against a defect leaving a caller hanging.
          for (const member of taken.members) this.fail(member, error);
          return { throttled: [], accepted: [], outerThrottled: false };
        })
        .then((report) => {
          this.schedule.complete(taken, report);
          this.pump();
        });
    }
    if (this.emit) this.watchResumes();
    this.wake.setFor(this.schedule.wakeAt());
  }

  /**
   * scope-resumed goes out when the pause ends, not when the scope's next request happens to be
   * considered: its callers may all have had their 429 already, and a listener showing paused
   * scopes would then show one paused for ever.
   */
  private watchResumes(): void {
    this.schedule.resumeDue();
    this.resume.setFor(this.schedule.resumeAt());
  }

  private async dispatch(ticket: Ticket<Pending>): Promise<BatchReport<Pending>> {
    const members = ticket.members;
    const group = members[0].group;
    for (const member of members) {
      member.state = "inflight";
      member.attempts++;
    }
    if (members.length === 1 && members[0].alone && members[0].attempts === 1) {
      return this.sendAlone(members[0]);
    }
    // An AbortController for the batch only when a member can abort: when all of them have,
    // the `$batch` call is abandoned too, so no socket stays busy for nobody.
    const controller = members.some((m) => m.signal) ? new AbortController() : undefined;
    const batch: InFlightBatch = { members, controller };
    for (const member of members) {
      member.batch = batch;
      if (member.attempts === 1) this.counts.requestsBatched += member.sharers ? member.sharers.length : 1;
    }
    const batchId = ++this.counts.batchesSent;

    const ids = new Map<Pending, string>(members.map((member, index) => [member, String(index + 1)]));
    const idByOrderId = new Map<string, string>();
    for (const member of members) if (member.orderId !== undefined) idByOrderId.set(member.orderId.toLowerCase(), ids.get(member)!);
    const entries = members.map((member) => ({
      id: ids.get(member)!,
      payload: member.payload,
      // Dependencies already answered in an earlier batch are satisfied: only those in this batch remain.
      dependsOn: member.dependsOn.map((dep) => idByOrderId.get(dep.toLowerCase())).filter((id): id is string => id !== undefined),
    }));

    const url = batchUrl(group.target);
    const emit = this.emit;
    const sentAt = Date.now();
    if (emit) emit({ type: "batch-sent", batchId, url, size: members.length, oldestWaitMs: sentAt - Math.min(...members.map((m) => m.issuedAt)) });
    const outcome = await sendBatch(group.transport, url, encodeBatch(entries), controller?.signal);
    const settleMembers: Member[] = entries.map((entry, index) => ({
      id: entry.id,
      method: members[index].method,
      attempts: members[index].attempts,
      maxRetries: members[index].maxRetries,
      dependsOn: entry.dependsOn,
    }));
    const decisions = planSettlement(settleMembers, outcome, {
      maxDelayMs: this.options.retry.maxDelayMs,
      baseDelayMs: this.options.retry.baseDelayMs,
      now: Date.now(),
      random: Math.random,
    });
    if (emit) {
      const status = outcome.kind === "transport" ? 0 : (outcome.status ?? 200);
      const throttled = decisions.filter((d) => d.kind === "retry" && d.throttled).length;
      const retried = decisions.filter((d) => d.kind === "retry").length;
      emit({ type: "batch-answered", batchId, status, durationMs: Date.now() - sentAt, throttled, retried });
    }
    const report = this.apply(members, decisions);
    // A $batch call refused whole (after RetryHandler's own retries) speaks for the endpoint.
    const outerThrottled = outcome.kind === "http-error" && (outcome.status === 429 || outcome.status === 503);
    return { ...report, outerThrottled };
  }

  /**
   * A window of one: sent as it is, exactly as without the middleware (RetryHandler retries it).
   * A throttled answer still pauses its scope for the requests that come after it.
   */
  private async sendAlone(pending: Pending): Promise<BatchReport<Pending>> {
    this.counts.requestsUnbatched++;
    this.emit?.({ type: "unbatched", url: pending.url, method: pending.method, reason: "alone" });
    let response: Response | undefined;
    try {
      response = await pending.request.solo.send();
      this.succeed(pending, response);
    } catch (error) {
      this.fail(pending, error);
    }
    const { pauseMs } = response ? refusalPause(response.status, parseRetryAfter(response.headers.get("retry-after"), Date.now()), this.options.retry) : {};
    return pauseMs !== undefined
      ? { throttled: [{ member: pending, delayMs: pauseMs }], accepted: [], outerThrottled: false }
      : { throttled: [], accepted: [pending], outerThrottled: false };
  }

  /** Carries out the decisions; says what they tell the schedule about the service's limits. */
  private apply(members: Pending[], decisions: Decision[]): Omit<BatchReport<Pending>, "outerThrottled"> {
    const retries: { member: Pending; delayMs: number }[] = [];
    const throttled: { member: Pending; delayMs: number }[] = [];
    const accepted: Pending[] = [];
    members.forEach((member, index) => {
      member.batch = undefined;
      const decision = decisions[index];
      if (decision.kind === "retry" && decision.throttled) throttled.push({ member, delayMs: decision.delayMs });
      else if (decision.kind === "deliver" && decision.pauseMs !== undefined) throttled.push({ member, delayMs: decision.pauseMs });
      else accepted.push(member);
      if (member.state === "settled") return; // aborted while in flight
      switch (decision.kind) {
        case "deliver":
          this.deliver(member, decision.response);
          break;
        case "reject":
          this.fail(member, decision.error);
          break;
        case "retry":
          // A throttled request waits in line at once: its scope's pause holds it, and it leaves
          // with the rest of its scope when the pause ends. Others wait out their own back-off.
          retries.push({ member, delayMs: decision.throttled ? 0 : decision.delayMs });
          break;
      }
    });
    this.counts.retries += retries.reduce((sum, { member }) => sum + (member.sharers ? member.sharers.length : 1), 0);
    this.requeue(retries);
    return { throttled, accepted };
  }

  /**
   * Retried requests go back to the queue after their delay, ahead of newer requests (they keep
   * their arrival number). Requests ordered together go back together, after the longest delay.
   */
  private requeue(retries: { member: Pending; delayMs: number }[]): void {
    const done = new Set<Pending>();
    for (const { member } of retries) {
      if (done.has(member)) continue;
      const unit = (member.unit ?? [member]).filter((m) => retries.some((r) => r.member === m));
      const delay = Math.max(...unit.map((m) => retries.find((r) => r.member === m)!.delayMs));
      for (const m of unit) {
        done.add(m);
        this.counts.delayed++;
        m.state = "delayed";
        m.alone = false;
        m.unit = unit.length > 1 ? unit : undefined;
      }
      const timer = setTimeout(() => {
        for (const m of unit) m.retryTimer = undefined;
        const live = unit.filter((m) => m.state === "delayed");
        this.counts.delayed -= live.length;
        if (live.length === 0) return;
        for (const m of live) m.state = "queued";
        this.insertUnit(live);
        this.pump();
      }, delay);
      for (const m of unit) m.retryTimer = timer;
    }
  }

  private insertUnit(unit: Pending[]): void {
    this.schedule.insert(unit);
  }

  private deliver(member: Pending, sub: SubResponse): void {
    if (member.sharers) {
      // Each sharer gets a Response of its own, built from the same answer: bodies are read once each.
      if (!this.finish(member)) return;
      for (const sharer of member.sharers) {
        if (sharer.state === "settled") continue;
        this.deliver(sharer, sub);
      }
      return;
    }
    if (isRedirectStatus(sub.status) && this.shouldFollow(member, sub)) {
      void this.follow(member, sub);
      return;
    }
    let response: Response;
    try {
      response = toResponse(sub, member.url);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.fail(member, new MissingResponseError(`The batch response for this request could not be turned into a Response: ${reason}`, { status: 200 }));
      return;
    }
    this.succeed(member, response);
  }

  /**
   * Graph does not follow redirects inside a batch (`/content` answers 302 to a download URL).
   * Unbatched, RedirectHandler would follow it; so we do, with a GET of the Location down the
   * rest of the chain: AuthenticationHandler adds a token only if the Location is a Graph host,
   * which is where RedirectHandler would keep it, and RedirectHandler follows any further hop.
   */
  private shouldFollow(member: Pending, sub: SubResponse): boolean {
    if (member.method !== "GET" && member.method !== "HEAD") return false;
    return member.request.followRedirects && getHeader(sub.headers, "location") !== undefined;
  }

  private async follow(member: Pending, sub: SubResponse): Promise<void> {
    const headers = { ...member.request.headers };
    for (const name of Object.keys(headers)) if (name.toLowerCase() === "authorization") delete headers[name];
    try {
      const response = await member.request.solo.follow(new URL(getHeader(sub.headers, "location")!, member.url).href, headers);
      this.succeed(member, response);
    } catch (error) {
      this.fail(member, error);
    }
  }

  /** Resolves a caller (or a carrier's sharers, each with its own copy) exactly once. */
  private succeed(member: Pending, response: Response): void {
    if (!this.finish(member)) return;
    if (member.sharers) {
      // Carriers are answered through deliver() (never sent alone, never followed themselves);
      // this keeps any other path from leaving their sharers waiting.
      const live = member.sharers.filter((sharer) => sharer.state !== "settled");
      live.forEach((sharer, index) => this.succeed(sharer, index === live.length - 1 ? response : response.clone()));
      return;
    }
    member.resolve(response);
    if (this.emit) this.settled(member, { status: response.status });
  }

  /** Rejects a caller (or every sharer of a carrier) exactly once. */
  private fail(member: Pending, error: unknown): void {
    if (!this.finish(member)) return;
    if (member.sharers) {
      for (const sharer of member.sharers) {
        if (sharer.state === "settled") continue;
        this.fail(sharer, error);
      }
      return;
    }
    member.reject(error);
    if (this.emit) this.settled(member, { error: errorName(error) });
  }

  private settled(member: Pending, outcome: { status?: number; error?: string }): void {
    const shared = member.carrier !== undefined;
    const attempts = member.carrier ? member.carrier.attempts : member.attempts;
    const batched = attempts > 0 && (shared || !(member.alone && attempts === 1));
    this.emit!({ type: "settled", url: member.url, method: member.method, ...outcome, attempts, batched, ...(shared ? { shared } : {}) });
  }

  /**
   * Marks a request settled, once: false if it already was (an abort racing an answer). A sharer
   * leaving lets its carrier go too, once no sharer is left to wait for it.
   */
  private finish(member: Pending): boolean {
    if (member.state === "settled") return false;
    if (member.state === "delayed") this.counts.delayed--;
    member.state = "settled";
    member.detachAbort?.();
    // A retry timer is shared by the requests ordered together: cleared with the last of them.
    if (member.retryTimer && (member.unit ?? [member]).every((m) => m === member || m.state === "settled")) {
      clearTimeout(member.retryTimer);
    }
    const carrier = member.carrier;
    if (carrier && carrier.state !== "settled" && carrier.sharers!.every((sharer) => sharer.state === "settled")) {
      carrier.carrierAbort!.abort(abortReason(member.signal ?? carrier.carrierAbort!.signal));
    }
    return true;
  }

  private abort(member: Pending): void {
    if (member.state === "settled") return;
    const reason = abortReason(member.signal!);
    switch (member.state) {
      case "window":
        this.window.remove(member);
        break;
      case "queued":
        this.removeFromQueue(member);
        break;
      case "delayed":
        // Its unit's timer also carries the others; it skips members no longer delayed.
        break;
      case "sharing":
        // Its carrier goes on for the other sharers (finish aborts it when none is left).
        break;
      case "inflight": {
        const batch = member.batch;
        this.fail(member, reason);
        if (batch?.controller && batch.members.every((m) => m.state === "settled")) batch.controller.abort(reason);
        return;
      }
    }
    this.fail(member, reason);
    if (member.orderId !== undefined) this.releaseDependents(member, member.unit ?? this.window.pending.filter((p) => p.group.key === member.group.key));
  }

  /** A request others depend on was aborted before it left: what runs after it cannot run. */
  private releaseDependents(aborted: Pending, candidates: readonly Pending[]): void {
    const gone = new Set([aborted.orderId?.toLowerCase()]);
    let changed = true;
    while (changed) {
      changed = false;
      for (const other of [...candidates]) {
        if (other.state === "settled" || !other.dependsOn.some((dep) => gone.has(dep.toLowerCase()))) continue;
        if (other.state === "window") this.window.remove(other);
        if (other.state === "queued") this.removeFromQueue(other);
        this.fail(other, new BatchError("A request this one depends on was aborted before it was sent"));
        gone.add(other.orderId?.toLowerCase());
        changed = true;
      }
    }
  }

  private removeFromQueue(member: Pending): void {
    this.schedule.remove(member, member.unit ?? [member]);
  }
}

function noop(): void {}

/** What a `settled` event says of a rejection: the error's name, never its message (it may quote a body). */
function errorName(error: unknown): string {
  return error instanceof Error || (typeof error === "object" && error !== null && typeof (error as { name?: unknown }).name === "string")
    ? String((error as { name: string }).name)
    : typeof error;
}
