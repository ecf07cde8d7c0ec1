/**
 * The work every contender does. A workload is described twice, because the contenders are used
 * two ways: as a list of requests (for hand-written batching, which needs the list up front) and
 * as the code a user writes with a Graph client (plain calls, all issued at once). Both produce
 * the same items, which is what lets the bench check that every contender got the same answers.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { membersAndOwners, type GroupRoster } from "../samples/groups";
import type { DataRequest, EmulatorData, RemoteEmulatorOptions } from "./emulator-protocol";
import { statusOf } from "./measure";
import type { ThrottleOptions } from "../src/emulator/types";

/** Wraps each call a workload makes: latency tracking, and a limit on calls in flight. */
export type Run = <T>(call: () => Promise<T>) => Promise<T>;

export interface LogicalRequest {
  readonly method: "GET" | "POST" | "PATCH";
  /** Relative to the version root, query included: "/users/u-0001?$select=id". */
  readonly path: string;
  readonly body?: Readonly<Record<string, unknown>>;
}

/** One answer as the caller sees it: the parsed value, or the failure's status and code. */
export type Item = { ok: true; value: unknown } | { ok: false; status: number; code: string };

export type Family = "get" | "groups" | "mixed" | "throttled" | "mailbox";

export interface Workload {
  readonly key: string;
  readonly family: Family;
  readonly title: string;
  /** Requests issued (the N of the round-trip bound). */
  readonly requests: number;
  /** For the chart and the table: N GETs, groups, users. */
  readonly size: number;
  readonly emulator: { readonly options: RemoteEmulatorOptions; readonly data: DataRequest };
  readonly throttle?: ThrottleOptions;
  list(data: EmulatorData): LogicalRequest[];
  /** The compared items, from the outcomes of `list()` in the same order. */
  assemble(outcomes: readonly Item[], data: EmulatorData): Item[];
  /** The workload as a user writes it with a client; every call goes through `run`. */
  withClient(client: Client, run: Run, data: EmulatorData): Promise<Item[]>;
  /** After a run with a client: ms from the start until the last request of the *other* mailboxes settled (mailbox family); read once. */
  othersMs?(): number | undefined;
}

export function ok(value: unknown): Item {
  return { ok: true, value };
}

export function failure(error: unknown): Item {
  const code = (error as { code?: unknown } | undefined)?.code;
  return { ok: false, status: statusOf(error), code: typeof code === "string" ? code : error instanceof Error ? error.name : "Error" };
}

/** One request through the Graph client, as application code would write it. */
export function issue(client: Client, request: LogicalRequest): Promise<unknown> {
  const api = client.api(request.path);
  switch (request.method) {
    case "GET":
      return api.get();
    case "POST":
      return api.post(request.body);
    case "PATCH":
      return api.patch(request.body);
  }
}

/** Every request at once; a failure becomes an item, so the others still count. */
function issueAll(client: Client, run: Run, requests: readonly LogicalRequest[]): Promise<Item[]> {
  return Promise.all(requests.map((request) => run(() => issue(client, request)).then(ok, failure)));
}

export interface EmulatorTiming {
  latencyMs: number;
  serviceTimeMs: number;
  serviceJitterMs: number;
  seed: number;
}

function emulatorOptions(timing: EmulatorTiming, data: RemoteEmulatorOptions["data"], throttle?: ThrottleOptions, extra: Partial<RemoteEmulatorOptions> = {}): RemoteEmulatorOptions {
  return {
    seed: timing.seed,
    latencyMs: timing.latencyMs,
    serviceTimeMs: timing.serviceTimeMs,
    serviceJitterMs: timing.serviceJitterMs,
    data,
    ...(throttle ? { throttle } : {}),
    ...extra,
  };
}

/** N GETs of distinct users, the full default representation (about 400 bytes each). */
export function getUsers(n: number, timing: EmulatorTiming): Workload {
  return {
    key: `get-${n}`,
    family: "get",
    title: `${n.toLocaleString("en-US")} GET${n === 1 ? "" : "s"}`,
    requests: n,
    size: n,
    emulator: { options: emulatorOptions(timing, { users: Math.max(n, 30) }), data: {} },
    list: (data) => data.users.slice(0, n).map((id) => ({ method: "GET", path: `/users/${id}` })),
    assemble: (outcomes) => [...outcomes],
    withClient(client, run, data) {
      return issueAll(client, run, this.list(data));
    },
  };
}

/** The same GETs against Graph's token bucket: what matters is completion and the 429s. */
export function throttledGets(n: number, throttle: ThrottleOptions, timing: EmulatorTiming): Workload {
  const base = getUsers(n, timing);
  return {
    ...base,
    key: `throttled-${n}-${throttle.capacity}`,
    family: "throttled",
    title: `${n.toLocaleString("en-US")} GETs, throttled (bucket ${throttle.capacity}, +${throttle.refillPerSecond}/s)`,
    throttle,
    emulator: { options: emulatorOptions(timing, { users: Math.max(n, 30) }, throttle), data: {} },
  };
}

/** The mailbox that is throttled in the hot-mailbox workload (the second user; the first is /me). */
export const HOT_MAILBOX = "u-0002";

/**
 * One hot mailbox among many: `perMailbox` reads of each of `mailboxes` users' messages, issued
 * round-robin as code looping over users would. The emulator runs Outlook's 4 concurrent requests
 * per mailbox and 5 ms per request; with `hot`, mailbox u-0002 also has a small bucket of its own
 * (5 tokens, +5/s, Retry-After 2 s). The figure that matters is when the *other* mailboxes are done,
 * against the same run without the hot mailbox.
 */
export function mailboxes(mailboxCount: number, perMailbox: number, hot: boolean, timing: EmulatorTiming): Workload {
  const users = (data: EmulatorData) => data.users.slice(1, mailboxCount + 1);
  let othersMs: number | undefined;
  const list = (data: EmulatorData): LogicalRequest[] =>
    Array.from({ length: perMailbox }, (_, round) => users(data).map((id): LogicalRequest => ({ method: "GET", path: `/users/${id}/messages?$top=${(round % 5) + 1}&$select=id,subject` }))).flat();
  return {
    key: `mailbox-${hot ? "hot" : "none"}-${mailboxCount}`,
    family: "mailbox",
    title: `${mailboxCount} mailboxes × ${perMailbox} reads, ${hot ? "one of them throttled (bucket 5, +5/s)" : "none throttled"}`,
    requests: mailboxCount * perMailbox,
    size: mailboxCount,
    emulator: {
      options: emulatorOptions({ ...timing, serviceTimeMs: Math.max(timing.serviceTimeMs, 5) }, { users: Math.max(30, mailboxCount + 1), messagesPerUser: 5 }, undefined, {
        scopedThrottle: { mailboxConcurrency: 4, ...(hot ? { buckets: { [`mailbox:${HOT_MAILBOX}`]: { capacity: 5, refillPerSecond: 5, retryAfterSeconds: 2 } } } : {}) },
      }),
      data: {},
    },
    list,
    assemble: (outcomes) => [...outcomes],
    async withClient(client, run, data) {
      const start = performance.now();
      othersMs = 0;
      return Promise.all(
        list(data).map((request) =>
          run(() => issue(client, request))
            .then(ok, failure)
            .then((item) => {
              if (!request.path.startsWith(`/users/${HOT_MAILBOX}/`)) othersMs = Math.max(othersMs ?? 0, performance.now() - start);
              return item;
            }),
        ),
      );
    },
    // Read once: contenders without a client (hand batching) never set it, and must not inherit
    // the previous contender's figure.
    othersMs: () => {
      const value = othersMs;
      othersMs = undefined;
      return value;
    },
  };
}

const ROSTER_SELECT = "id,displayName";

/**
 * The groups example of samples/groups.ts: the members and owners of G groups, 2G requests.
 * With a client it is the sample itself, unchanged; hand-written batching gets the same requests
 * as a list and assembles the same rosters.
 */
export function groupRosters(groups: number, timing: EmulatorTiming): Workload {
  type Page = { value: { id: string }[] };
  return {
    key: `groups-${groups}`,
    family: "groups",
    title: `groups example, ${groups} groups`,
    requests: groups * 2,
    size: groups,
    emulator: {
      options: emulatorOptions(timing, { users: Math.max(50, groups * 2), groups, membersPerGroup: 8, ownersPerGroup: 2 }),
      data: {},
    },
    list: (data) =>
      data.groups.slice(0, groups).flatMap((id): LogicalRequest[] => [
        { method: "GET", path: `/groups/${id}/members?$select=${ROSTER_SELECT}` },
        { method: "GET", path: `/groups/${id}/owners?$select=${ROSTER_SELECT}` },
      ]),
    assemble: (outcomes, data) =>
      data.groups.slice(0, groups).map((id, i): Item => {
        const members = outcomes[2 * i];
        const owners = outcomes[2 * i + 1];
        if (!members.ok) return members;
        if (!owners.ok) return owners;
        const roster: GroupRoster = {
          id,
          members: (members.value as Page).value.map((m) => m.id),
          owners: (owners.value as Page).value.map((o) => o.id),
        };
        return ok(roster);
      }),
    async withClient(client, run, data) {
      const rosters = await membersAndOwners(client, data.groups.slice(0, groups), run);
      return rosters.map(ok);
    },
  };
}

/**
 * Reads and writes, 5 requests per user, all independent of one another so that any order of
 * execution gives the same answers: read the user, read a message, mark another read (200 with
 * the message), update the user (204, no body), create a message (201; its id is deterministic
 * because every run starts from a fresh emulator).
 */
export function mixed(users: number, timing: EmulatorTiming): Workload {
  return {
    key: `mixed-${users}`,
    family: "mixed",
    title: `mixed reads and writes, ${users} users`,
    requests: users * 5,
    size: users,
    emulator: { options: emulatorOptions(timing, { users: Math.max(users, 30), messagesPerUser: 5 }), data: { messagesOfUsers: users } },
    list: (data) =>
      data.users.slice(0, users).flatMap((id, i): LogicalRequest[] => {
        const [first, second] = data.messages[id];
        return [
          { method: "GET", path: `/users/${id}?$select=id,displayName,mail` },
          { method: "GET", path: `/users/${id}/messages/${first}` },
          { method: "PATCH", path: `/users/${id}/messages/${second}`, body: { isRead: true, subject: `Reviewed ${i}` } },
          { method: "PATCH", path: `/users/${id}`, body: { jobTitle: `Benchmarker ${i}` } },
          { method: "POST", path: `/users/${id}/messages`, body: { subject: `Bench ${i}`, body: { contentType: "text", content: `Message ${i}` } } },
        ];
      }),
    assemble: (outcomes) => [...outcomes],
    withClient(client, run, data) {
      return issueAll(client, run, this.list(data));
    },
  };
}

export type Size = "smoke" | "small" | "default" | "full";

export interface WorkloadPlan {
  workloads: Workload[];
  /** Contender keys skipped above a number of requests, unless --full. */
  skipAbove: Readonly<Record<string, number>>;
}

/**
 * What each --size runs. The default keeps `npm run bench` under about 5 minutes on 2 cores: the
 * unbatched 6-in-flight contender would spend 10000 / 6 round trips (83 s at 50 ms) on N = 10000,
 * so it stops at 1000 unless --size full.
 */
export function plan(size: Size, timing: EmulatorTiming): WorkloadPlan {
  switch (size) {
    case "smoke":
      return {
        workloads: [
          getUsers(1, timing),
          getUsers(20, timing),
          groupRosters(5, timing),
          mixed(4, timing),
          // Retry-After 0 keeps the smoke test fast while still sending 429s.
          throttledGets(20, { capacity: 10, refillPerSecond: 1000, retryAfterSeconds: 0 }, timing),
          // Too few reads per mailbox to empty the hot one's bucket: the workload's mechanics only.
          mailboxes(4, 3, true, timing),
        ],
        skipAbove: {},
      };
    case "small":
      return {
        workloads: [
          ...[1, 20, 100].map((n) => getUsers(n, timing)),
          groupRosters(50, timing),
          mixed(20, timing),
          throttledGets(200, { capacity: 50, refillPerSecond: 100 }, timing),
          mailboxes(20, 10, false, timing),
          mailboxes(20, 10, true, timing),
        ],
        skipAbove: {},
      };
    case "default":
    case "full":
      return {
        workloads: [
          ...[1, 20, 100, 1000, 10000].map((n) => getUsers(n, timing)),
          groupRosters(500, timing),
          mixed(200, timing),
          throttledGets(1000, { capacity: 200, refillPerSecond: 100 }, timing),
          throttledGets(1000, { capacity: 50, refillPerSecond: 100 }, timing),
          mailboxes(50, 20, false, timing),
          mailboxes(50, 20, true, timing),
        ],
        skipAbove: size === "full" ? {} : { "sdk-6": 1000 },
      };
  }
}
