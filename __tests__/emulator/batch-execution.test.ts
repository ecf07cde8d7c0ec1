/** How a valid batch runs: concurrency, completion order, dependsOn and 424, sub-request encoding. */
import { startEmulator, type Emulator } from "../../src/emulator";
import { byId, expectGraphError, GRAPH_JSON, jsonRequest, postBatch, type SubRequest, type SubResponse } from "./helpers";

const get = (id: string, url = "/me"): SubRequest => ({ id, method: "GET", url });
const ids = (responses: SubResponse[]) => responses.map((response) => response.id);

describe("independent requests", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 42, serviceTimeMs: 100, serviceJitterMs: 40 });
  });
  afterAll(() => emulator.close());

  it("run concurrently and come back in completion order", async () => {
    const requests = Array.from({ length: 12 }, (_, i) => get(String(i + 1), `/users/u-${String(i + 1).padStart(4, "0")}`));
    const started = performance.now();
    const answer = await postBatch(emulator, requests);
    const elapsed = performance.now() - started;

    expect(answer.status).toBe(200);
    const responses: SubResponse[] = answer.body.responses;
    // Every request answered exactly once, each with its own user...
    expect([...ids(responses)].sort((a, b) => Number(a) - Number(b))).toEqual(requests.map((r) => r.id));
    for (const response of responses) expect(response.body.id).toBe(`u-${response.id.padStart(4, "0")}`);
    // ...but not in request order: the jitter decides who finishes first.
    expect(ids(responses)).not.toEqual(requests.map((r) => r.id));
    // Serially this would take at least 12 x 100 ms; concurrently about 100-140 ms.
    expect(elapsed).toBeLessThan(1000);
  });
});

describe("dependsOn", () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ seed: 3, serviceJitterMs: 15 });
  });
  afterEach(() => emulator.close());

  it("runs a serial chain in order", async () => {
    const chain = Array.from({ length: 8 }, (_, i) => ({ ...get(String(i + 1)), dependsOn: i === 0 ? undefined : [String(i)] }));
    const answer = await postBatch(emulator, chain);
    expect(ids(answer.body.responses)).toEqual(chain.map((r) => r.id));
  });

  it("lets each step of a chain see the effect of the previous one", async () => {
    const json = { "Content-Type": "application/json" };
    const answer = await postBatch(emulator, [
      { id: "create", method: "POST", url: "/me/messages", headers: json, body: { subject: "draft" } },
      { id: "edit", method: "PATCH", url: "/me/messages/m-0001-006", headers: json, body: { subject: "final" }, dependsOn: ["create"] },
      { id: "read", method: "GET", url: "/me/messages/m-0001-006?$select=subject", dependsOn: ["edit"] },
    ]);
    const responses: SubResponse[] = answer.body.responses;
    expect(byId(responses, "create")).toMatchObject({ status: 201, body: { id: "m-0001-006", subject: "draft" } });
    expect(byId(responses, "edit")).toMatchObject({ status: 200, body: { subject: "final" } });
    expect(byId(responses, "read")).toMatchObject({ status: 200, body: { subject: "final" } });
  });

  it("answers 424 without executing when a dependency failed", async () => {
    const answer = await postBatch(emulator, [
      get("1", "/users/nobody"),
      jsonRequest("2", "POST", "/me/messages", { subject: "never" }, { dependsOn: ["1"] }),
      { ...get("3"), dependsOn: ["2"] },
    ]);
    const responses: SubResponse[] = answer.body.responses;
    expect(answer.status).toBe(200);
    expect(responses.map((r) => [r.id, r.status])).toEqual([["1", 404], ["2", 424], ["3", 424]]);
    expectGraphError(byId(responses, "2").body);
    expect(emulator.stats.subRequests).toBe(1);
    expect(emulator.stats.writes).toEqual({});
    expect(emulator.directory.messages("u-0001")).toHaveLength(5);
  });

  it("fans out after the first request, and answers 424 to every dependent when it fails", async () => {
    const fanOut = (root: string) => [get("root", root), ...["a", "b", "c"].map((id) => ({ ...get(id), dependsOn: ["root"] }))];

    const ok = await postBatch(emulator, fanOut("/me"));
    expect(ok.body.responses[0].id).toBe("root");
    expect(ok.body.responses.map((r: SubResponse) => r.status)).toEqual([200, 200, 200, 200]);

    const failed = await postBatch(emulator, fanOut("/users/nobody"));
    expect(failed.body.responses.map((r: SubResponse) => r.status).sort()).toEqual([404, 424, 424, 424]);
  });
});

describe("sub-request and sub-response encoding", () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.close());

  it("uses Graph's header casing, no body on 204 and 302, and echoes client-request-id", async () => {
    const answer = await postBatch(emulator, [
      { id: "json", method: "GET", url: "/me", headers: { "client-request-id": "abc-123" } },
      { id: "patch", method: "PATCH", url: "/me", headers: { "content-type": "application/json" }, body: { jobTitle: "CTO" } },
      { id: "redirect", method: "GET", url: "/me/drive/items/i-0001-001/content" },
    ]);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    const responses: SubResponse[] = answer.body.responses;
    expect(byId(responses, "json").headers).toMatchObject({ "Content-Type": GRAPH_JSON, "client-request-id": "abc-123" });

    const patch = byId(responses, "patch");
    expect(patch.status).toBe(204);
    expect(patch).not.toHaveProperty("body");

    const redirect = byId(responses, "redirect");
    expect(redirect.status).toBe(302);
    expect(redirect.headers?.Location).toMatch(new RegExp(`^${emulator.url}/_download/i-0001-001\\?sig=`));
    expect(redirect).not.toHaveProperty("body");
  });

  it("answers a bad sub-request on its own while the batch succeeds", async () => {
    const answer = await postBatch(emulator, [
      get("ok"),
      get("missing", "/users/nobody"),
      get("unknown", "/nothing/here"),
      { id: "verb", method: "DELETE", url: "/users/u-0002" },
      { id: "b64", method: "PUT", url: "/me/photo/$value", headers: { "Content-Type": "image/jpeg" }, body: "not base64!" },
      // A JSON string is not a JSON object: catches clients that stringify bodies twice.
      { id: "twice", method: "POST", url: "/me/messages", headers: { "Content-Type": "application/json" }, body: '{"subject":"x"}' },
    ]);
    expect(answer.status).toBe(200);
    const responses: SubResponse[] = answer.body.responses;
    expect(byId(responses, "ok").status).toBe(200);
    expect(byId(responses, "missing").status).toBe(404);
    expectGraphError(byId(responses, "missing").body, "Request_ResourceNotFound");
    expect(byId(responses, "unknown").status).toBe(404);
    expectGraphError(byId(responses, "unknown").body, "ResourceNotFound");
    expect(byId(responses, "verb").status).toBe(405);
    expect(byId(responses, "b64").status).toBe(400);
    expect(byId(responses, "twice").status).toBe(400);
  });

  it("decodes text/* bodies as plain strings", async () => {
    const answer = await postBatch(emulator, [
      { id: "1", method: "PUT", url: "/me/drive/items/i-0001-002/content", headers: { "Content-Type": "text/plain" }, body: "héllo ✓" },
    ]);
    expect(answer.body.responses[0]).toMatchObject({ status: 200, body: { id: "i-0001-002", size: Buffer.byteLength("héllo ✓") } });
    expect(emulator.directory.findDriveItem("u-0001", "i-0001-002")?.content.toString("utf8")).toBe("héllo ✓");
  });

  it("serves the same data on /beta/$batch", async () => {
    const answer = await postBatch(emulator, [get("1", "/users/u-0003")], "beta");
    expect(answer.body.responses[0]).toMatchObject({ status: 200, body: { id: "u-0003" } });
    expect(answer.body.responses[0].body["@odata.context"]).toBe(`${emulator.url}/beta/$metadata#users/$entity`);
  });
});
