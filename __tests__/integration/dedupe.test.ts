/**
 * Opt-in de-duplication (issue 10): identical GETs issued together travel once, through the real
 * v3 client against the emulator, and every caller still gets its own answer.
 */
import { GraphError, ResponseType } from "@microsoft/microsoft-graph-client";
import { createBatchingFetch } from "../../src/adapters/fetch";
import { startEmulator, type Emulator } from "../../src/emulator";
import { emulatorClient } from "../helpers/emulatorClients";

let emulator: Emulator;
afterEach(async () => emulator?.close());

const subRequests = () => emulator.stats.subRequests + emulator.stats.singleRequests;

/**
 * The SDK wraps fetch's abort into a GraphError: under jest (whose DOMException is not the
 * sandbox's) its body names the AbortError, under plain Node its code does (see resilience.test.ts).
 */
const aborted = (e: { code?: unknown; body?: unknown }) => (e.code === "AbortError" || String(e.body).startsWith("AbortError") ? "aborted" : `not an abort: ${String(e)}`);

test("N identical GETs: one sub-request, N callers each with its own parsed copy", async () => {
  emulator = await startEmulator();
  const client = emulatorClient(emulator, { dedupe: true });
  const manager = emulator.directory.users[1].id;
  const others = emulator.directory.users.slice(2, 5).map((u) => u.id);
  const [same, distinct] = await Promise.all([
    Promise.all(Array.from({ length: 12 }, () => client.api(`/users/${manager}`).get())),
    Promise.all(others.map((id) => client.api(`/users/${id}`).get())),
  ]);
  expect(emulator.stats.httpCalls).toMatchObject({ batch: 1, single: 0 });
  expect(emulator.stats.subRequests).toBe(4); // one for the 12, one per distinct user
  expect(new Set(same.map((u) => u.id))).toEqual(new Set([manager]));
  expect(distinct.map((u: { id: string }) => u.id)).toEqual(others);
  // Each caller has an object of its own: changing one changes no other.
  same[0].displayName = "changed by caller 0";
  expect(same[1].displayName).toBe(emulator.directory.users[1].displayName);
  expect(same[0]).not.toBe(same[1]);
});

test("each raw Response is readable on its own, as text and as bytes", async () => {
  emulator = await startEmulator();
  const client = emulatorClient(emulator, { dedupe: true });
  const user = emulator.directory.users[2].id;
  const responses = (await Promise.all(Array.from({ length: 3 }, () => client.api(`/users/${user}/photo/$value`).responseType(ResponseType.RAW).get()))) as Response[];
  expect(subRequests()).toBe(1);
  const bytes = await Promise.all(responses.map((r) => r.arrayBuffer().then((b) => Buffer.from(b))));
  expect(bytes[0].length).toBeGreaterThan(0);
  expect(bytes[1].equals(bytes[0])).toBe(true);
  expect(bytes[2].equals(bytes[0])).toBe(true);
  for (const r of responses) expect(r.bodyUsed).toBe(true);
});

test("an error answer reaches every sharer as its own GraphError", async () => {
  emulator = await startEmulator();
  const client = emulatorClient(emulator, { dedupe: true });
  const errors = await Promise.all(Array.from({ length: 3 }, () => client.api("/users/nobody").get().catch((e: GraphError) => e)));
  expect(subRequests()).toBe(1);
  for (const e of errors) expect(e).toMatchObject({ statusCode: 404, code: "Request_ResourceNotFound" });
  expect(errors[0]).not.toBe(errors[1]);
});

test("off by default; writes, differing headers and different identities are never shared", async () => {
  emulator = await startEmulator();
  const user = emulator.directory.users[1].id;
  const plain = emulatorClient(emulator);
  await Promise.all(Array.from({ length: 3 }, () => plain.api(`/users/${user}`).get()));
  expect(subRequests()).toBe(3);

  emulator.resetStats();
  const client = emulatorClient(emulator, { dedupe: true });
  await Promise.all([
    client.api(`/users/${user}`).patch({ displayName: "A" }),
    client.api(`/users/${user}`).patch({ displayName: "A" }),
    client.api(`/users/${user}`).get(),
    client.api(`/users/${user}`).header("ConsistencyLevel", "eventual").get(),
    client.api(`/users/${user}`).select("id").get(),
    client.api(`/users/${user}`).get(),
  ]);
  // Two PATCHes, and three different GETs: the last GET shared the first's.
  expect(emulator.stats.subRequests).toBe(5);

  emulator.resetStats();
  const graphFetch = createBatchingFetch(fetch, { hosts: [`127.0.0.1:${emulator.port}`], dedupe: true });
  const url = `${emulator.url}/v1.0/users/${user}`;
  const answers = await Promise.all([
    graphFetch(url, { headers: { Authorization: "Bearer one" } }),
    graphFetch(url, { headers: { Authorization: "Bearer two" } }),
    graphFetch(url, { headers: { Authorization: "Bearer one" } }),
  ]);
  // One identity per batch: the two "one" calls share a sub-request; "two", alone, goes as it is.
  expect(emulator.stats.httpCalls).toMatchObject({ batch: 1, single: 1 });
  expect(emulator.stats.subRequests).toBe(1);
  const bodies = await Promise.all(answers.map((r) => r.json()));
  for (const body of bodies) expect(body.id).toBe(user);
  expect(graphFetch.stats()).toMatchObject({ deduplicated: 1, requestsBatched: 2, requestsUnbatched: 1, batchesSent: 1 });
});

test("an aborted sharer leaves the others their answer; when all abort, nothing is sent", async () => {
  emulator = await startEmulator({ latencyMs: 20 });
  const client = emulatorClient(emulator, { dedupe: true });
  const user = emulator.directory.users[1].id;
  const first = new AbortController();
  const calls = [
    client.api(`/users/${user}`).option("signal", first.signal).get(),
    client.api(`/users/${user}`).get(),
    client.api(`/users/${user}`).get(),
  ].map((p) => p.then((u: { id: string }) => u.id, aborted));
  setTimeout(() => first.abort(), 5); // while the batch is in flight
  expect(await Promise.all(calls)).toEqual(["aborted", user, user]);
  expect(subRequests()).toBe(1);

  // Held in line behind a batch in flight (one batch at a time): the carrier is queued when its
  // sharers abort, and is taken out of the line.
  emulator.resetStats();
  const oneAtATime = emulatorClient(emulator, { dedupe: true, maxConcurrentBatches: 1 });
  const ahead = Promise.all(emulator.directory.users.slice(3, 5).map((u) => oneAtATime.api(`/users/${u.id}`).get()));
  await new Promise((resolve) => setTimeout(resolve, 5));
  const controllers = [new AbortController(), new AbortController()];
  const gone = controllers.map((c) => oneAtATime.api(`/users/${user}`).option("signal", c.signal).get().catch(aborted));
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(emulator.stats.httpCalls.total).toBe(1); // the batch ahead is still in flight
  for (const c of controllers) c.abort();
  expect(await Promise.all(gone)).toEqual(["aborted", "aborted"]);
  await ahead;
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(emulator.stats.httpCalls.total).toBe(1);
});
