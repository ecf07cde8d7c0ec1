/**
 * The batching fetch (`msgraph-batching-middleware/fetch`) against the emulator over real HTTP:
 * every caller gets the Response its own fetch would have got.
 */
import { createBatchingFetch } from "../../src/adapters/fetch";
import { startEmulator, type Emulator } from "../../src/emulator";

let emulator: Emulator;
afterEach(async () => emulator?.close());

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
async function read(response: Response) {
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get("content-type"), body: text ? JSON.parse(text) : undefined };
}

/** A fetch that records every call it makes, as the network sees them. */
function recordingFetch() {
  const calls: { url: string; method: string; headers: Record<string, string> }[] = [];
  const impl: typeof fetch = (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    calls.push({ url: String(input), method: init?.method ?? "GET", headers });
    return fetch(input, init);
  };
  return { calls, impl };
}

test("45 GETs travel as 3 $batch calls and each caller gets the Response its own fetch would have got", async () => {
  emulator = await startEmulator({ data: { users: 45 } });
  const graphFetch = createBatchingFetch(fetch, { hosts: [`127.0.0.1:${emulator.port}`] });
  const urls = emulator.directory.users.map((u) => `${emulator.url}/v1.0/users/${u.id}`);
  const batched = await Promise.all(urls.map((url) => graphFetch(url, { headers: auth("A") }).then(read)));
  expect(emulator.stats.httpCalls).toMatchObject({ batch: 3, single: 0 });
  const plain = await Promise.all(urls.map((url) => fetch(url, { headers: auth("A") }).then(read)));
  expect(batched).toEqual(plain);
  expect(batched[7].body.id).toBe(emulator.directory.users[7].id);
});

test("a 404 stays a Response with the same status and error body; a PATCH body arrives as JSON; an opted-out call goes alone", async () => {
  emulator = await startEmulator();
  const graphFetch = createBatchingFetch(fetch, { hosts: [`127.0.0.1:${emulator.port}`] });
  const user = emulator.directory.users[1].id;
  const [missing, patched, , optedOut] = await Promise.all([
    graphFetch(`${emulator.url}/v1.0/users/nobody`, { headers: auth("A") }),
    graphFetch(`${emulator.url}/v1.0/users/${user}`, { method: "PATCH", headers: { ...auth("A"), "Content-Type": "application/json" }, body: JSON.stringify({ displayName: "Renamed" }) }),
    graphFetch(`${emulator.url}/v1.0/me`, { headers: auth("A") }),
    graphFetch(`${emulator.url}/v1.0/me`, { headers: auth("A"), batching: false }),
  ]);
  expect(emulator.stats.httpCalls).toMatchObject({ batch: 1, single: 1 });
  const unbatchedMissing = await fetch(`${emulator.url}/v1.0/users/nobody`, { headers: auth("A") });
  const a = await read(missing);
  const b = await read(unbatchedMissing);
  expect(a.status).toBe(404);
  expect({ ...a, body: { ...a.body, error: { ...a.body.error, innerError: undefined } } }).toEqual({ ...b, body: { ...b.body, error: { ...b.body.error, innerError: undefined } } });
  expect(patched.status).toBe(204);
  expect(emulator.directory.users[1].displayName).toBe("Renamed");
  expect(optedOut.status).toBe(200);
});

test("two tokens never share a batch, and the token rides on the $batch call only", async () => {
  emulator = await startEmulator({ data: { users: 10 } });
  const network = recordingFetch();
  const graphFetch = createBatchingFetch(network.impl, { hosts: [`127.0.0.1:${emulator.port}`] });
  const ids = emulator.directory.users.map((u) => u.id);
  await Promise.all(ids.flatMap((id) => ["A", "B"].map((token) => graphFetch(`${emulator.url}/v1.0/users/${id}`, { headers: auth(token) }))));
  const batches = network.calls.filter((c) => c.url.endsWith("/$batch"));
  expect(batches.map((c) => c.headers.authorization).sort()).toEqual(["Bearer A", "Bearer B"]);
  expect(network.calls).toHaveLength(2);
});

test("a network failure of the $batch call rejects each caller with what fetch threw", async () => {
  emulator = await startEmulator();
  const failure = new TypeError("fetch failed");
  const failing: typeof fetch = async (input, init) => (String(input).endsWith("/$batch") ? Promise.reject(failure) : fetch(input, init));
  const graphFetch = createBatchingFetch(failing, { hosts: [`127.0.0.1:${emulator.port}`] });
  const results = await Promise.allSettled([graphFetch(`${emulator.url}/v1.0/me`), graphFetch(`${emulator.url}/v1.0/users`)]);
  expect(results).toEqual([
    { status: "rejected", reason: failure },
    { status: "rejected", reason: failure },
  ]);
});

test("a whole-batch 503 reaches each caller as a 503 Response, as its own fetch would", async () => {
  emulator = await startEmulator({ faults: { outer503Rate: 1, retryAfterSeconds: 0 } });
  const graphFetch = createBatchingFetch(fetch, { hosts: [`127.0.0.1:${emulator.port}`] });
  const [a, b] = await Promise.all([graphFetch(`${emulator.url}/v1.0/me`), graphFetch(`${emulator.url}/v1.0/users`)]);
  const plain = await fetch(`${emulator.url}/v1.0/me`);
  expect([a.status, b.status]).toEqual([503, 503]);
  expect(plain.status).toBe(503);
  expect((await a.json()).error.code).toBe((await plain.json()).error.code);
});

test("an aborted call rejects with the signal's reason; the others are answered", async () => {
  emulator = await startEmulator({ latencyMs: 100 });
  const graphFetch = createBatchingFetch(fetch, { hosts: [`127.0.0.1:${emulator.port}`] });
  const controller = new AbortController();
  const aborted = graphFetch(`${emulator.url}/v1.0/me`, { signal: controller.signal });
  const other = graphFetch(`${emulator.url}/v1.0/users`);
  setTimeout(() => controller.abort(), 20);
  await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
  expect((await other).status).toBe(200);
});

test("calls to other hosts go straight to the wrapped fetch", async () => {
  emulator = await startEmulator();
  const network = recordingFetch();
  const graphFetch = createBatchingFetch(network.impl); // the emulator's host is not named: not Graph
  const responses = await Promise.all([graphFetch(`${emulator.url}/v1.0/me`), graphFetch(`${emulator.url}/v1.0/users`)]);
  expect(responses.map((r) => r.status)).toEqual([200, 200]);
  expect(network.calls.map((c) => c.url)).toEqual([`${emulator.url}/v1.0/me`, `${emulator.url}/v1.0/users`]);
});
