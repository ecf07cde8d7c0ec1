/**
 * The Kiota SDK's real fluent client (`createGraphServiceClient`, `client.users.byUserId(id).get()`)
 * with BatchingHandler first in its chain, against the emulator over real HTTP. Kiota is ESM-only:
 * Node 20.19+ can require() it, jest's module system cannot, so the scenario runs in a Node process
 * of its own (__tests__/kiota/scenario.ts) and this test checks what it saw.
 */
import { execFile } from "node:child_process";
import path from "node:path";

type Settled = { ok: boolean; error?: Record<string, unknown> };
let out: Record<string, any>;

beforeAll(async () => {
  const root = path.resolve(__dirname, "..");
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ["-r", "ts-node/register/transpile-only", "__tests__/kiota/scenario.ts"], { cwd: root, timeout: 120_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
  out = JSON.parse(stdout);
}, 150_000);

test("45 fluent GETs travel as 3 $batch calls, and each caller gets its own user", () => {
  expect(out.gets.ids).toEqual(out.gets.expected);
  expect(out.gets).toMatchObject({ batches: 3, single: 0 });
});

test("a missing user rejects with the same ODataError as unbatched", () => {
  expect(out.missing.batched).toEqual(out.missing.plain);
  expect(out.missing.batched.error).toMatchObject({ status: 404, code: "Request_ResourceNotFound", isError: false });
});

test("a PATCH body arrives as JSON; $select and /me are rewritten as the later handlers would, all in one $batch", () => {
  expect(out.writes).toMatchObject({ displayName: "Patched by Kiota", meId: "u-0001", batches: 1, single: 0, calls: ["POST /v1.0/$batch"] });
  expect(out.writes.selectedKeys).toEqual(["additionalData", "displayName", "id"]);
  expect(out.writes.subRequests).toEqual([`PATCH /users/u-0004`, "GET /users/u-0005?$select=id,displayName", "GET /me"]);
});

test("an opted-out request goes unbatched; two tokens never share a batch and ride on the $batch call only", () => {
  expect(out.optOut).toEqual({ batches: 1, single: 1 });
  expect(out.tokens.map((t: { call: string }) => t.call)).toEqual(["POST /v1.0/$batch", "POST /v1.0/$batch"]);
  expect(out.tokens.map((t: { authorization: string }) => t.authorization).sort()).toEqual(["Bearer token-A", "Bearer token-B"]);
});

test("a failing middleware after ours and a failing credential reach batched callers as they reach unbatched ones", () => {
  for (const kind of ["exploding", "credential"]) {
    const { batched, plain } = out[kind] as { batched: Settled[]; plain: Settled };
    expect(plain.ok).toBe(false);
    for (const b of batched) expect(b).toEqual(plain);
  }
  expect(out.exploding.plain.error).toMatchObject({ name: "RangeError", code: "QuotaExceeded" });
  expect(out.credential.plain.error.message).toMatch(/AADSTS7000215/);
});
