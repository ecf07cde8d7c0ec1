/**
 * Whole-batch 400s: a malformed batch is rejected before any sub-request
 * runs. Every case also checks that nothing executed, which is what makes it
 * a whole-batch rejection rather than a sub-request error.
 */
import { startEmulator, type Emulator } from "../../src/emulator";
import { expectGraphError, postBatch, postBatchRaw, type SubRequest } from "./helpers";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 7 });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.resetStats());

const get = (id: string, url = "/me"): SubRequest => ({ id, method: "GET", url });

async function expectRejected(body: unknown[] | string, message: RegExp): Promise<void> {
  const answer = typeof body === "string" ? await postBatchRaw(emulator, body) : await postBatch(emulator, body);
  expect(answer.status).toBe(400);
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  expectGraphError(answer.body, /^(BadRequest|Request_BadRequest)$/);
  expect(answer.body.error.message).toMatch(message);
  expect(emulator.stats.executed).toBe(0);
  expect(emulator.stats.writes).toEqual({});
}

describe("size limit", () => {
  it("rejects more than 20 requests and still records the size", async () => {
    const requests = Array.from({ length: 21 }, (_, i) => get(String(i + 1)));
    await expectRejected(requests, /Number of requests inside batch exceeds the limit/);
    expect(emulator.stats.maxBatchSize).toBe(21);
  });

  it("accepts exactly 20 requests", async () => {
    const answer = await postBatch(emulator, Array.from({ length: 20 }, (_, i) => get(String(i + 1))));
    expect(answer.status).toBe(200);
    expect(answer.body.responses).toHaveLength(20);
    expect(emulator.stats.subRequests).toBe(20);
  });

  it("rejects an empty batch", async () => {
    await expectRejected([], /empty/);
  });
});

describe("ids", () => {
  it("rejects duplicate ids compared case-insensitively", async () => {
    await expectRejected([get("a"), get("A")], /Duplicate request id/);
  });

  it.each([
    ["id", { method: "GET", url: "/me" }],
    ["method", { id: "1", url: "/me" }],
    ["url", { id: "1", method: "GET" }],
    ["id", { id: "", method: "GET", url: "/me" }],
  ])("rejects a request without %s", async (property, request) => {
    await expectRejected([request], new RegExp(`missing the required '${property}'`));
  });
});

describe("bodies and headers", () => {
  it("rejects a body without a Content-Type header", async () => {
    await expectRejected(
      [{ id: "1", method: "POST", url: "/me/messages", body: { subject: "x" } }],
      /Content-Type header is required/,
    );
  });

  it("finds Content-Type whatever its case", async () => {
    const answer = await postBatch(emulator, [
      { id: "1", method: "POST", url: "/me/messages", headers: { "CONTENT-type": "application/json" }, body: { subject: "x" } },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body.responses[0].status).toBe(201);
  });

  it("rejects header values that are not strings", async () => {
    await expectRejected([{ id: "1", method: "GET", url: "/me", headers: { "x-n": 1 } }], /header 'x-n'/);
  });
});

describe("urls", () => {
  it.each(["https://graph.microsoft.com/v1.0/me", "http://127.0.0.1/v1.0/me", "//graph.microsoft.com/me"])(
    "rejects the absolute url %s",
    async (url) => {
      await expectRejected([get("1", url)], /absolute URL/);
    },
  );

  it.each(["/v1.0/me", "/beta/me", "v1.0/me", "/V1.0/users?$top=1"])("rejects the versioned url %s", async (url) => {
    await expectRejected([get("1", url)], /version segment/);
  });

  it("accepts a relative url without the leading slash", async () => {
    const answer = await postBatch(emulator, [get("1", "me")]);
    expect(answer.body.responses[0]).toMatchObject({ id: "1", status: 200, body: { id: "u-0001" } });
  });
});

describe("outer body", () => {
  it.each([
    ["not JSON", "{requests: oops"],
    ["a JSON array", "[]"],
    ["an object without requests", "{}"],
    ["requests that is not an array", '{"requests": {"id": "1"}}'],
    ["a request that is not an object", '{"requests": ["GET /me"]}'],
  ])("rejects %s", async (_label, body) => {
    await expectRejected(body, /Invalid batch payload format/);
  });
});

describe("dependsOn shapes", () => {
  it("accepts all parallel, a serial chain and a fan-out from the first request", async () => {
    const shapes: SubRequest[][] = [
      [get("1"), get("2"), get("3")],
      [get("1"), { ...get("2"), dependsOn: ["1"] }, { ...get("3"), dependsOn: ["2"] }],
      [get("1"), { ...get("2"), dependsOn: ["1"] }, { ...get("3"), dependsOn: ["1"] }],
    ];
    for (const shape of shapes) {
      const answer = await postBatch(emulator, shape);
      expect(answer.status).toBe(200);
      expect(answer.body.responses.map((r: { status: number }) => r.status)).toEqual([200, 200, 200]);
    }
  });

  it("matches dependency ids case-insensitively", async () => {
    const answer = await postBatch(emulator, [get("first"), { ...get("second"), dependsOn: ["FIRST"] }]);
    expect(answer.status).toBe(200);
  });

  it.each<[string, SubRequest[]]>([
    [
      "a chain mixed with a fan-out",
      [get("1"), { ...get("2"), dependsOn: ["1"] }, { ...get("3"), dependsOn: ["2"] }, { ...get("4"), dependsOn: ["1"] }],
    ],
    ["two dependencies", [get("1"), get("2"), { ...get("3"), dependsOn: ["1", "2"] }]],
    ["a fan-out next to an independent request", [get("1"), { ...get("2"), dependsOn: ["1"] }, get("3")]],
    ["a fan-out from a request other than the first", [get("1"), get("2"), { ...get("3"), dependsOn: ["2"] }]],
  ])("rejects %s", async (_label, requests) => {
    await expectRejected(requests, /Unsupported dependsOn pattern/);
  });

  it("rejects a dependency on a later request", async () => {
    await expectRejected([{ ...get("1"), dependsOn: ["2"] }, get("2")], /does not come before it/);
  });

  it("rejects a dependency on itself", async () => {
    await expectRejected([get("1"), { ...get("2"), dependsOn: ["2"] }], /does not come before it/);
  });

  it("rejects a dependency on an unknown id", async () => {
    await expectRejected([get("1"), { ...get("2"), dependsOn: ["9"] }], /not in the batch/);
  });

  it("rejects a dependsOn that is not an array of ids", async () => {
    await expectRejected([get("1"), { ...get("2"), dependsOn: "1" as unknown as string[] }], /invalid dependsOn/);
  });
});

describe("endpoint", () => {
  it("answers 405 to a GET on $batch", async () => {
    const response = await fetch(`${emulator.url}/v1.0/$batch`);
    expect(response.status).toBe(405);
    expectGraphError(await response.json());
  });

  it("rejects an unknown version", async () => {
    const answer = await postBatch(emulator, [get("1")], "v2.0");
    expect(answer.status).toBe(400);
    expectGraphError(answer.body, "BadRequest");
    expect(answer.body.error.message).toMatch(/Invalid version/);
  });
});
