/**
 * Schedule: which waiting requests leave next, and when. The state of the waiting line lives
 * here: a lane per batch endpoint and throttling scope, the state of every scope (paused, paced,
 * how much it has in flight) and the number of batches the service is trusted with at once.
 *
 * Two controllers, because Graph has two kinds of limits:
 * - **Batches in flight** (the whole endpoint): slow start. A fresh middleware trusts the service
 *   with `initialInFlight` batches; every batch answered without throttling adds one more, so the
 *   window doubles every round trip up to `maxInFlight`, the user's ceiling. Only a `$batch` call
 *   refused whole (429/503) halves it: that is the one signal about the endpoint as a whole.
 * - **Throttling scopes** (scope.ts): a 429 speaks for its scope only. The scope is paused until
 *   the Retry-After has passed, and from then on paced at a rate, in requests per period (a period
 *   is as long as the last Retry-After). After a first refusal the rate is what the burst got
 *   through, doubled after every period that wanted more and was not refused (probing); after a
 *   refusal while paced it falls back to the last rate the service took in full (the
 *   multiplicative decrease) and grows by one batch every 4 clean periods (the additive
 *   increase). Graph's limits are token buckets that refill over
 *   time, not over round trips, which is why a throttled scope gets a rate and not a number in
 *   flight: with a 50 ms round trip and a bucket that refills every second, any number in flight
 *   either starves or floods it. Scopes with a documented concurrency limit (Outlook: 4 per
 *   mailbox) never have more than that in flight.
 * - **Waves**: batches sent together reach the service together, and the first answers to come
 *   back are the ones it accepted before its bucket ran dry. Sending more as soon as those arrive
 *   would send straight into the refusals still on their way, so a slot freed while the rest of
 *   its wave (of 4 batches or more) is out is used only once the wave is back, or after a quarter
 *   of its round trip.
 * Held requests keep their place: when a scope reopens, its requests leave together in full batches.
 */
import type { LimitChangedEvent, ScopePausedEvent, ScopeResumedEvent } from "./events";
import { Sequenced, UnitQueue } from "./queue";
import type { ThrottlingScope } from "./scope";

/** What the schedule tells an observer: the events of its own decisions. */
export type ScheduleChange = ScopePausedEvent | ScopeResumedEvent | LimitChangedEvent;

export interface Schedulable extends Sequenced {
  /** Batch endpoint and identity: only requests of one group share a batch. */
  readonly groupKey: string;
  readonly scope: ThrottlingScope;
}

export interface ScheduleOptions {
  readonly maxBatchSize: number;
  /** Batches in flight before the service has answered anything. */
  readonly initialInFlight: number;
  /** Batches in flight at most, whatever the service accepts. */
  readonly maxInFlight: number;
  readonly now?: () => number;
  /** Told of pauses, resumptions and limit changes; absent: nothing is built for it. */
  readonly onChange?: (change: ScheduleChange) => void;
}

/** The schedule's side of `stats()`. */
export interface ScheduleSnapshot {
  readonly waiting: number;
  readonly inFlight: number;
  readonly limit: number;
  readonly pausedScopes: number;
}

/** How long an unthrottled scope's count of accepted requests runs before it starts again (ms). */
const OBSERVATION_MS = 10_000;

/** Scope states kept before quiet ones are forgotten. */
const MAX_SCOPES = 10_000;

/** Once a paced scope has been refused, its rate grows by one batch every this many clean periods. */
const PROBE_EVERY = 4;

/** Waves smaller than this are not waited for. */
const MIN_HELD_WAVE = 4;

/** Longest a freed slot waits for the rest of its wave (ms). */
const MAX_HOLD_MS = 50;

interface ScopeState {
  /** The scope's key (`mailbox:…`, `directory`), for events. */
  readonly name: string;
  readonly cap?: number;
  /** No request of the scope leaves before this time. */
  pausedUntil: number;
  /** Requests allowed per period once the scope has been throttled; undefined: not paced. */
  budget?: number;
  /** Requests the scope may send now (paced scopes), refilled at budget / periodMs. */
  tokens: number;
  tokensAt: number;
  periodMs: number;
  periodStart: number;
  /** Requests sent in this period. */
  sent: number;
  /** In this period, requests waited for the pace: the scope wanted more than it had. */
  wanting: boolean;
  /** The last budget a whole period used up without a refusal: a rate the service is known to take. */
  lastGood?: number;
  /** Paced, and not refused since: the budget doubles per period (see refresh). */
  probing: boolean;
  /** Clean periods since the budget last grew (after probing, it grows every PROBE_EVERY periods). */
  cleanPeriods: number;
  /** Requests of batches sent in this period that the service answered without throttling. */
  accepted: number;
  /** A request sent in this period was throttled: the budget is recomputed when the pause ends. */
  throttled: boolean;
  /** Concurrency taken in flight (scopes with a cap only). */
  load: number;
}

/** The waiting line of one group and one combination of scopes (one scope, but for ordered units). */
interface Lane<T extends Sequenced> {
  readonly groupKey: string;
  readonly scopes: readonly ScopeState[];
  readonly queue: UnitQueue<T>;
}

/** A batch taken from the line; handed back to `complete` when its answer is in. */
export interface Ticket<T> {
  readonly members: T[];
  readonly sentAt: number;
  readonly wave: Wave;
  /** Concurrency this batch took from capped scopes. */
  readonly loads: readonly [ScopeState, number][];
}

/** What a batch's answer says about the service's limits. */
export interface BatchReport<T> {
  /** Members refused with a 429 (or a 503 with Retry-After), with the wait asked for (ms). */
  readonly throttled: readonly { member: T; delayMs: number }[];
  /** Members the service took on (whatever their status). */
  readonly accepted: readonly T[];
  /** The `$batch` call itself was refused (429 or 503). */
  readonly outerThrottled: boolean;
}

/** Batches sent together, by one run of the caller's pump. */
interface Wave {
  /** Batches sent in it. */
  size: number;
  /** Of which still in flight. */
  out: number;
}

export class Schedule<T extends Schedulable> {
  private readonly lanes = new Map<string, Map<string, Lane<T>>>();
  private readonly scopes = new Map<string, ScopeState>();
  private readonly now: () => number;
  private inFlightBatches = 0;
  private allowed: number;
  private waiting = 0;
  private wave?: Wave;
  /** A slot freed while the rest of its wave is out waits until then (see Waves above). */
  private holdUntil = 0;
  private holdWave?: Wave;
  /** Scopes whose scope-paused went out and whose scope-resumed has not (see resumeAt). */
  private readonly paused = new Set<ScopeState>();

  constructor(private readonly options: ScheduleOptions) {
    this.now = options.now ?? Date.now;
    this.allowed = Math.min(options.initialInFlight, options.maxInFlight);
  }

  /** A new unit, at the back of its line. */
  push(unit: T[]): void {
    this.laneOf(unit).queue.push(unit);
    this.waiting += unit.length;
  }

  /** A unit sent again: back in its line in arrival order, ahead of newer requests. */
  insert(unit: T[]): void {
    this.laneOf(unit).queue.insertInOrder(unit);
    this.waiting += unit.length;
  }

  /** Takes a waiting request out of the line (an abort); `unit` is the unit it was queued with. */
  remove(item: T, unit: readonly T[]): void {
    if (this.laneOf(unit).queue.remove(item)) this.waiting--;
  }

  /**
   * The next batch to send, or undefined when nothing may leave now: the window is full, the line
   * is empty, or what waits is held (then `wakeAt` says when to look again).
   */
  take(): Ticket<T> | undefined {
    if (this.inFlightBatches >= this.allowed) return undefined;
    const now = this.now();
    if (this.holdWave && this.holdWave.out > 0 && now < this.holdUntil) return undefined;
    this.holdWave = undefined;
    const inBatch = new Map<ScopeState, number>();
    const first = this.pick(this.lanes.values(), inBatch, now, false);
    if (!first) return undefined;
    const members = [...first.queue.shift()!];
    this.charge(first, members, inBatch);
    // Graph runs one dependsOn shape per batch: a unit ordered together travels alone, while
    // independent requests of the same group fill the batch, oldest first, from any open lane.
    if (members.length === 1) {
      const groupLanes = this.lanes.get(first.groupKey)!;
      while (members.length < this.options.maxBatchSize) {
        const lane = this.pick([groupLanes], inBatch, now, true);
        if (!lane) break;
        const unit = lane.queue.shift()!;
        members.push(unit[0]);
        this.charge(lane, unit, inBatch);
      }
    }
    this.waiting -= members.length;
    this.inFlightBatches++;
    const wave = (this.wave ??= { size: 0, out: 0 });
    wave.size++;
    wave.out++;
    const loads: [ScopeState, number][] = [];
    for (const [state, count] of inBatch) if (state.cap !== undefined) loads.push([state, count]);
    return { members, sentAt: now, wave, loads };
  }

  /** When a held request may leave (a pause or a pacing period ends); undefined if none waits on time. */
  wakeAt(): number | undefined {
    const now = this.now();
    let wake = Infinity;
    if (this.holdWave && this.holdWave.out > 0 && this.waiting > 0) wake = this.holdUntil;
    for (const groupLanes of this.lanes.values()) {
      for (const lane of groupLanes.values()) {
        const head = lane.queue.peek();
        if (head) wake = Math.min(wake, this.heldUntil(lane, head, undefined, now) ?? now);
      }
    }
    return Number.isFinite(wake) ? wake : undefined;
  }

  /**
   * When the next pause ends, for scope-resumed to go out on time even when nothing waits on the
   * scope (its callers were answered with the 429): undefined when no scope is paused.
   */
  resumeAt(): number | undefined {
    let at: number | undefined;
    for (const state of this.paused) at = at === undefined ? state.pausedUntil : Math.min(at, state.pausedUntil);
    return at;
  }

  /**
   * Says so of the pauses whose time has come. Only the event: the scope's pacing starts when it is
   * next considered, as without a listener (observing must not change the schedule).
   */
  resumeDue(): void {
    const now = this.now();
    for (const state of this.paused) if (now >= state.pausedUntil) this.resumed(state);
  }

  /** A batch's answer is in: release what it held, learn from it. */
  complete(ticket: Ticket<T>, report: BatchReport<T>): void {
    const now = this.now();
    this.inFlightBatches--;
    // The next take starts a new wave; this one waits for the rest of its own.
    this.wave = undefined;
    ticket.wave.out--;
    // Only a burst is worth waiting for: in steady state every answer sends one or two batches,
    // and holding for those would only slow the flow down.
    if (ticket.wave.size >= MIN_HELD_WAVE && ticket.wave.out > 0 && ticket.wave !== this.holdWave) {
      this.holdWave = ticket.wave;
      this.holdUntil = now + Math.min(MAX_HOLD_MS, Math.max(1, (now - ticket.sentAt) / 4));
    }
    for (const [state, count] of ticket.loads) state.load -= Math.min(state.cap!, count);
    for (const member of report.accepted) {
      const state = this.scopeState(member);
      if (ticket.sentAt >= state.periodStart) state.accepted++;
    }
    let pausedNow: Set<ScopeState> | undefined;
    for (const { member, delayMs } of report.throttled) {
      if (delayMs <= 0) continue; // "retry now" asks for no pause
      const state = this.scopeState(member);
      if (now + delayMs > state.pausedUntil) (pausedNow ??= new Set()).add(state);
      state.pausedUntil = Math.max(state.pausedUntil, now + delayMs);
      // The first refusal of a period sets the next one; refusals of requests sent before the
      // period began (the rest of a burst, still arriving) only extend the pause.
      if (ticket.sentAt >= state.periodStart && !state.throttled) {
        state.throttled = true;
        state.periodMs = delayMs;
      }
    }
    const onChange = this.options.onChange;
    if (pausedNow && onChange) {
      // Watched only for a listener, which the engine then wakes at resumeAt: the set drains.
      for (const state of pausedNow) {
        this.paused.add(state);
        onChange({ type: "scope-paused", scope: state.name, retryAfterMs: state.pausedUntil - now });
      }
    }
    if (this.scopes.size > MAX_SCOPES) this.prune(now);
    const before = this.allowed;
    if (report.outerThrottled) {
      // inFlight no longer counts this batch: halve what was actually in flight with it.
      this.allowed = Math.max(1, Math.min(this.allowed, Math.ceil((this.inFlightBatches + 1) / 2)));
    } else if (report.throttled.length === 0) {
      this.allowed = Math.min(this.options.maxInFlight, this.allowed + 1);
    }
    if (onChange && this.allowed !== before) onChange({ type: "limit-changed", limit: this.allowed });
  }

  /** Counts for `stats()`: cheap enough to call at any time (one pass over the known scopes). */
  snapshot(): ScheduleSnapshot {
    const now = this.now();
    let pausedScopes = 0;
    for (const state of this.scopes.values()) if (state.pausedUntil > now) pausedScopes++;
    return { waiting: this.waiting, inFlight: this.inFlightBatches, limit: this.allowed, pausedScopes };
  }

  /** Forgets quiet scopes (many mailboxes over a long life): nothing in flight, held, paced or waiting. */
  private prune(now: number): void {
    for (const [key, state] of this.scopes) {
      const [groupKey, scopeKey] = key.split("\u0001");
      const quiet = state.load === 0 && state.pausedUntil <= now && state.budget === undefined && !state.throttled;
      if (quiet && !this.lanes.get(groupKey)?.has(scopeKey)) this.scopes.delete(key);
    }
  }

  private scopeState(member: T): ScopeState {
    const key = `${member.groupKey}\u0001${member.scope.key}`;
    let state = this.scopes.get(key);
    if (!state) {
      const now = this.now();
      state = { name: member.scope.key, cap: member.scope.maxConcurrent, pausedUntil: 0, budget: undefined, tokens: 0, tokensAt: now, periodMs: 0, periodStart: now, sent: 0, wanting: false, lastGood: undefined, probing: false, cleanPeriods: 0, accepted: 0, throttled: false, load: 0 };
      this.scopes.set(key, state);
    }
    return state;
  }

  private laneOf(unit: readonly T[]): Lane<T> {
    const groupKey = unit[0].groupKey;
    let laneKey = unit[0].scope.key;
    if (unit.length > 1) laneKey = [...new Set(unit.map((m) => m.scope.key))].sort().join("\u0002");
    let groupLanes = this.lanes.get(groupKey);
    if (!groupLanes) this.lanes.set(groupKey, (groupLanes = new Map()));
    let lane = groupLanes.get(laneKey);
    if (!lane) {
      const scopes = [...new Set(unit.map((m) => this.scopeState(m)))];
      groupLanes.set(laneKey, (lane = { groupKey, scopes, queue: new UnitQueue<T>() }));
    }
    return lane;
  }

  /** The open lane whose head is oldest; empty lanes are dropped on the way. */
  private pick(groups: Iterable<Map<string, Lane<T>>>, inBatch: Map<ScopeState, number>, now: number, singlesOnly: boolean): Lane<T> | undefined {
    let best: Lane<T> | undefined;
    let bestSeq = Infinity;
    for (const groupLanes of groups) {
      for (const [key, lane] of groupLanes) {
        const head = lane.queue.peek();
        if (!head) {
          groupLanes.delete(key);
          continue;
        }
        if (head[0].seq >= bestSeq || (singlesOnly && head.length > 1)) continue;
        if (this.heldUntil(lane, head, inBatch, now) !== undefined) continue;
        best = lane;
        bestSeq = head[0].seq;
      }
    }
    for (const [groupKey, groupLanes] of this.lanes) if (groupLanes.size === 0) this.lanes.delete(groupKey);
    return best;
  }

  /**
   * Undefined when `unit` may join the batch being built (`inBatch` counts its members per scope);
   * otherwise until when it is held: a time, or Infinity (until a batch in flight comes back).
   */
  private heldUntil(lane: Lane<T>, unit: readonly T[], inBatch: Map<ScopeState, number> | undefined, now: number): number | undefined {
    for (const state of lane.scopes) {
      this.refresh(state, now);
      if (state.pausedUntil > now) return state.pausedUntil;
      const count = lane.scopes.length === 1 ? unit.length : unit.filter((m) => this.scopeState(m) === state).length;
      if (state.budget !== undefined) {
        // A paced scope spends tokens, refilled at its rate. It starts its share of a batch only
        // with a batch's worth of tokens (or what waits), so that pacing sends full batches and
        // not a storm of batches of one; a unit larger than the budget leaves when the tokens are full.
        const first = (inBatch?.get(state) ?? 0) === 0;
        const need = Math.min(first ? Math.max(count, Math.min(this.options.maxBatchSize, lane.queue.length)) : count, state.budget);
        if (state.tokens < need) {
          state.wanting = true;
          return now + ((need - state.tokens) * state.periodMs) / state.budget;
        }
      }
      if (state.cap !== undefined) {
        const before = inBatch?.get(state) ?? 0;
        // Inside one batch the service queues a scope's requests itself: only the part of the
        // batch it runs at once (up to the cap) counts against the scope's concurrency.
        const added = Math.min(state.cap, before + count) - Math.min(state.cap, before);
        if (added > 0 && state.load + added > state.cap) return Infinity;
      }
    }
    return undefined;
  }

  private charge(lane: Lane<T>, unit: readonly T[], inBatch: Map<ScopeState, number>): void {
    for (const member of unit) {
      const state = lane.scopes.length === 1 ? lane.scopes[0] : this.scopeState(member);
      const before = inBatch.get(state) ?? 0;
      state.sent++;
      if (state.budget !== undefined) state.tokens--;
      if (state.cap !== undefined) state.load += Math.min(state.cap, before + 1) - Math.min(state.cap, before);
      inBatch.set(state, before + 1);
    }
  }

  private resumed(state: ScopeState): void {
    this.paused.delete(state);
    this.options.onChange?.({ type: "scope-resumed", scope: state.name });
  }

  /** Refills a paced scope's tokens; ends a pause or a pacing period whose time has come. */
  private refresh(state: ScopeState, now: number): void {
    if (now < state.pausedUntil) return;
    if (this.paused.size > 0 && this.paused.has(state)) this.resumed(state);
    if (state.throttled) {
      // The pause is over. After a first refusal, the scope may send at the rate the service took
      // requests on during the burst, and probes upwards (doubling per clean period): a burst
      // says more about a bucket's size than about its refill. After a refusal while paced, it
      // goes back to the last rate the service took in full, and probes again only rarely.
      // At least a batch per period; starting with one batch (the bucket may hold less than a
      // period's worth).
      const first = state.budget === undefined;
      state.budget = Math.max(this.options.maxBatchSize, first ? state.accepted : (state.lastGood ?? Math.floor(state.accepted / 2)));
      state.probing = first;
      state.cleanPeriods = 0;
      state.tokens = Math.min(state.budget, this.options.maxBatchSize);
      state.tokensAt = now;
      state.throttled = false;
      this.startPeriod(state, now);
      return;
    }
    if (state.budget !== undefined) {
      state.tokens = Math.min(state.budget, state.tokens + ((now - state.tokensAt) * state.budget) / state.periodMs);
      state.tokensAt = now;
    }
    if (now - state.periodStart < (state.budget === undefined ? OBSERVATION_MS : state.periodMs)) return;
    if (state.budget !== undefined) {
      if (state.sent === 0) state.budget = undefined; // a whole period idle: the next burst starts afresh
      else if (state.wanting) {
        state.lastGood = state.budget;
        if (state.probing) state.budget *= 2;
        else if (++state.cleanPeriods >= PROBE_EVERY) {
          state.budget += this.options.maxBatchSize;
          state.cleanPeriods = 0;
        }
      }
    }
    this.startPeriod(state, now);
  }

  private startPeriod(state: ScopeState, now: number): void {
    state.periodStart = now;
    state.sent = 0;
    state.accepted = 0;
    state.wanting = false;
  }
}
