/**
 * The real Client with BatchingMiddleware against the Graph emulator over real HTTP.
 */
import { GraphError, ResponseType } from "@microsoft/microsoft-graph-client";
import { BatchingOptions } from "../../src";
import { Emulator, startEmulator } from "../../src/emulator";
import { membersAndOwners } from "../../samples/groups";
import { outcome } from "../helpers/clients";
import { emulatorClient, emulatorPlainClient } from "../helpers/emulatorClients";

let emulator: Emulator;

beforeAll(async () => {
  // Jitter makes the emulator answer sub-requests in completion order, not request order.
  emulator = await startEmulator({ seed: 7, serviceTimeMs: 1, serviceJitterMs: 15, data: { users: 120, groups: 60 } });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.resetStats());

test("the groups example: same data as unbatched, in ceil(n/20) round trips", async () => {
  const groupIds = emulator.directory.groups.map((g) => g.id);
  const expected = await membersAndOwners(emulatorPlainClient(emulator), groupIds);
  expect(emulator.stats.httpCalls.single).toBe(120);

  emulator.resetStats();
  const actual = await membersAndOwners(emulatorClient(emulator), groupIds);
  expect(actual).toEqual(expected);
  expect(emulator.stats.httpCalls.total).toBe(6);
  expect(emulator.stats.httpCalls.batch).toBe(6);
  expect(emulator.stats.maxBatchSize).toBe(20);
  expect(actual[3].members).toEqual(emulator.directory.groups[3].memberIds);
});

test("splitting and completion-order answers: every caller gets its own answer", async () => {
  const client = emulatorClient(emulator);
  const users = emulator.directory.users.slice(0, 45);
  const results = await Promise.all(users.map((u) => client.api(`/users/${u.id}`).select("id,displayName").get()));
  expect(results.map((r) => r.id)).toEqual(users.map((u) => u.id));
  expect(results.map((r) => r.displayName)).toEqual(users.map((u) => u.displayName));
  expect(emulator.stats.httpCalls.batch).toBe(3);
});

test("errors reach only their callers, as GraphErrors with Graph's code", async () => {
  const client = emulatorClient(emulator);
  const [ok, missing] = await Promise.all([outcome(client.api(`/users/${emulator.directory.users[0].id}`).get()), outcome(client.api("/users/no-such-user").get())]);
  const unbatched = await outcome(emulatorPlainClient(emulator).api("/users/no-such-user").get());
  expect(ok.ok).toBe(true);
  expect(missing).toMatchObject({ ok: false, error: { statusCode: 404 } });
  expect(missing.error!.code).toBe(unbatched.error!.code);
  expect(missing.error!.message).toBe(unbatched.error!.message);
});

test("dependsOn: the dependent runs after its dependency, and gets 424 when it failed", async () => {
  const client = emulatorClient(emulator);
  const user = emulator.directory.users[5];
  const order = (id: string, dependsOn?: string) => [new BatchingOptions({ id, dependsOn })];
  const [patched, read] = await Promise.all([
    client.api(`/users/${user.id}`).middlewareOptions(order("patch")).patch({ jobTitle: "Batch engineer" }),
    client.api(`/users/${user.id}`).select("jobTitle").middlewareOptions(order("read", "patch")).get(),
  ]);
  expect(patched).toBeUndefined();
  expect(read.jobTitle).toBe("Batch engineer");

  const [failed, dependent] = await Promise.all([
    outcome(client.api("/users/nobody").middlewareOptions(order("p2")).patch({ jobTitle: "x" })),
    outcome(client.api(`/users/${user.id}`).middlewareOptions(order("r2", "p2")).patch({ jobTitle: "never" })),
  ]);
  expect(failed).toMatchObject({ ok: false, error: { statusCode: 404 } });
  expect(dependent).toMatchObject({ ok: false, error: { statusCode: 424 } });
  expect(emulator.directory.findUser(user.id)!.jobTitle).toBe("Batch engineer");
});

test("binary bodies: a photo PUT and GET through batches keep every byte", async () => {
  const client = emulatorClient(emulator);
  const [a, b] = emulator.directory.users.slice(10, 12);
  const bytes = Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 37) % 256));
  await Promise.all([
    client.api(`/users/${a.id}/photo/$value`).header("Content-Type", "image/jpeg").put(bytes),
    client.api(`/users/${b.id}/photo/$value`).header("Content-Type", "image/jpeg").put(bytes.subarray(0, 300)),
  ]);
  expect(emulator.stats.httpCalls.batch).toBe(1);
  const [photoA, photoB] = await Promise.all([
    client.api(`/users/${a.id}/photo/$value`).responseType(ResponseType.ARRAYBUFFER).get(),
    client.api(`/users/${b.id}/photo/$value`).get(),
  ]);
  expect(Buffer.from(photoA as ArrayBuffer)).toEqual(bytes);
  expect(Buffer.from(await (photoB as Blob).arrayBuffer())).toEqual(bytes.subarray(0, 300));
  expect(emulator.stats.httpCalls.batch).toBe(2);
});

test("/content: the 302 is followed to the download URL, and the caller gets the file's bytes", async () => {
  const client = emulatorClient(emulator);
  const user = emulator.directory.users[3];
  const items = emulator.directory.driveItems(user.id).slice(0, 2);
  const contents = await Promise.all(items.map((item) => client.api(`/users/${user.id}/drive/items/${item.id}/content`).responseType(ResponseType.ARRAYBUFFER).get()));
  contents.forEach((content, i) => expect(Buffer.from(content as ArrayBuffer)).toEqual(items[i].content));
  expect(emulator.stats.httpCalls.batch).toBe(1);
  expect(emulator.stats.httpCalls.download).toBe(2);
});

test("throttled sub-requests are retried until they succeed; every caller gets its answer", async () => {
  const throttled = await startEmulator({ seed: 3, throttle: { capacity: 40, refillPerSecond: 100 }, data: { users: 60 } });
  try {
    const client = emulatorClient(throttled, { retry: { maxRetries: 10, baseDelayMs: 10 } });
    const users = throttled.directory.users;
    const results = await Promise.all(users.map((u) => client.api(`/users/${u.id}`).get()));
    expect(results.map((r) => r.id)).toEqual(users.map((u) => u.id));
    expect(throttled.stats.throttled).toBeGreaterThan(0);
    expect(throttled.stats.executed).toBe(60);
  } finally {
    await throttled.close();
  }
});

test("paging: @odata.nextLink inside a sub-response is the caller's, as unbatched", async () => {
  const client = emulatorClient(emulator);
  const group = emulator.directory.groups[0];
  const pages = await Promise.all([client.api(`/groups/${group.id}/members`).top(3).get(), client.api(`/groups/${group.id}/owners`).get()]);
  const ids: string[] = pages[0].value.map((m: { id: string }) => m.id);
  let next: string | undefined = pages[0]["@odata.nextLink"];
  expect(next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0\//);
  while (next) {
    // .api() recognises only https:// absolute URLs: hand it the path below the version.
    const page = await client.api(next.slice(`${emulator.url}/v1.0`.length)).get();
    ids.push(...page.value.map((m: { id: string }) => m.id));
    next = page["@odata.nextLink"];
  }
  expect(ids).toEqual(group.memberIds);
});

test("writes are executed exactly once", async () => {
  const client = emulatorClient(emulator);
  const users = emulator.directory.users.slice(20, 50);
  const created = await Promise.all(users.map((u, i) => client.api(`/users/${u.id}/messages`).post({ subject: `hello ${i}` })));
  created.forEach((m, i) => expect(m.subject).toBe(`hello ${i}`));
  for (const u of users) expect(emulator.stats.writes[`POST /users/${u.id}/messages`]).toBe(1);
  expect(emulator.stats.httpCalls.batch).toBe(2);
});

test("a GraphError from a batched call is a GraphError", async () => {
  const client = emulatorClient(emulator);
  const errors = await Promise.all([client.api("/users/x1").get().catch((e) => e), client.api("/users/x2").get().catch((e) => e)]);
  for (const e of errors) expect(e).toBeInstanceOf(GraphError);
});

test("ordered requests issued beside independent ones: Graph accepts every batch", async () => {
  const client = emulatorClient(emulator);
  const user = emulator.directory.users[8];
  const order = (id: string, dependsOn?: string) => [new BatchingOptions({ id, dependsOn })];
  const results = await Promise.all([
    client.api(`/users/${emulator.directory.users[1].id}`).get(),
    client.api(`/users/${user.id}`).middlewareOptions(order("first")).patch({ officeLocation: "B1" }),
    client.api(`/users/${user.id}`).middlewareOptions(order("second", "first")).select("officeLocation").get(),
    client.api(`/users/${user.id}`).middlewareOptions(order("third", "first")).select("id").get(),
    client.api(`/users/${emulator.directory.users[2].id}`).get(),
  ]);
  expect(results[2].officeLocation).toBe("B1");
  expect(results[3].id).toBe(user.id);
  expect(results[4].id).toBe(emulator.directory.users[2].id);
});
