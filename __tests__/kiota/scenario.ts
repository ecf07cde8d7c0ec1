/**
 * The Kiota SDK's real fluent client against the emulator, batched by BatchingHandler and
 * unbatched, in a plain Node process: Kiota is ESM-only, which Node 20.19+ can require() but jest's
 * module system cannot. `__tests__/kiota.test.ts` runs this and checks what it prints.
 */
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { BatchingHandler, BatchingHandlerOptions } from "../../src/adapters/kiota";
import { startEmulator, type Emulator } from "../../src/emulator";

/* eslint-disable @typescript-eslint/no-require-imports */
const { KiotaClientFactory } = require("@microsoft/kiota-http-fetchlibrary");
const { getDefaultMiddlewares } = require("@microsoft/msgraph-sdk-core");
const { GraphRequestAdapter, createGraphServiceClient } = require("@microsoft/msgraph-sdk");
require("@microsoft/msgraph-sdk-users");
const { BaseBearerTokenAuthenticationProvider } = require("@microsoft/kiota-abstractions");

type Client = any; // the fluent client's types come with the ESM packages; the checks below are on values

function authProvider(token: string | (() => Promise<string>)) {
  return new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: typeof token === "string" ? async () => token : token,
    getAllowedHostsValidator: () => ({ isUrlHostValid: () => true, getAllowedHosts: () => [], setAllowedHosts: () => undefined }),
  });
}

function client(emulator: Emulator, middlewares: Middleware[], token: string | (() => Promise<string>) = "token-A"): Client {
  const http = KiotaClientFactory.create(undefined, middlewares);
  const adapter = new GraphRequestAdapter(authProvider(token), undefined, undefined, http);
  adapter.baseUrl = `${emulator.url}/v1.0`;
  return createGraphServiceClient(adapter);
}

/** The fields an ODataError carries (a plain object with a null prototype, not an Error). */
function errorShape(error: any) {
  const escaped = error?.errorEscaped ?? {};
  return { isError: error instanceof Error, name: error?.name, message: error?.message, status: error?.responseStatusCode, code: escaped.code ?? error?.code, escapedMessage: escaped.message };
}
async function settle<T>(p: Promise<T>) {
  try {
    return { ok: true as const, value: await p };
  } catch (error) {
    return { ok: false as const, error: errorShape(error) };
  }
}

/** Records what reaches the rest of the chain after BatchingHandler. */
type Seen = { url: string; method: string; authorization?: string; subRequests?: string[] };
function recorder(seen: Seen[]): Middleware {
  const m: Middleware = {
    next: undefined,
    execute(url, init, options) {
      const headers = (init.headers ?? {}) as Record<string, string>;
      const subRequests = typeof init.body === "string" ? (JSON.parse(init.body).requests as { method: string; url: string }[]).map((r) => `${r.method} ${r.url}`) : undefined;
      seen.push({ url, method: init.method ?? "GET", authorization: headers.authorization, subRequests });
      return m.next!.execute(url, init, options);
    },
  };
  return m;
}

function exploding(): Middleware {
  const m: Middleware = {
    next: undefined,
    execute: () => Promise.reject(Object.assign(new RangeError("quota middleware: budget exhausted"), { code: "QuotaExceeded" })),
  };
  return m;
}

async function main() {
  const out: Record<string, unknown> = {};
  const emulator = await startEmulator({ data: { users: 45 } });
  const hosts = [`127.0.0.1:${emulator.port}`];
  try {
    const ids = emulator.directory.users.map((u) => u.id);
    const seen: Seen[] = [];
    const batched = client(emulator, [new BatchingHandler({ hosts }), recorder(seen), ...getDefaultMiddlewares()]);
    const plain = client(emulator, getDefaultMiddlewares());

    // 45 GETs → 3 $batch calls, each caller its own user.
    emulator.resetStats();
    const users = await Promise.all(ids.map((id) => batched.users.byUserId(id).get()));
    out.gets = { ids: users.map((u: any) => u.id), expected: ids, batches: emulator.stats.httpCalls.batch, single: emulator.stats.httpCalls.single };

    // A missing user: the same ODataError as unbatched.
    const [missingBatched] = await Promise.all([settle(batched.users.byUserId("nobody").get()), batched.users.byUserId(ids[0]).get()]);
    const missingPlain = await settle(plain.users.byUserId("nobody").get());
    out.missing = { batched: missingBatched, plain: missingPlain };

    // A PATCH body arrives as JSON; $select is decoded; /users/TokenToReplace becomes /me.
    emulator.resetStats();
    seen.length = 0;
    const [, selected, me] = await Promise.all([
      batched.users.byUserId(ids[3]).patch({ displayName: "Patched by Kiota" }),
      batched.users.byUserId(ids[4]).get({ queryParameters: { select: ["id", "displayName"] } }),
      batched.me.get(),
    ]);
    out.writes = {
      displayName: emulator.directory.users[3].displayName,
      selectedKeys: Object.keys(selected).filter((k) => selected[k] !== undefined).sort(),
      meId: me.id,
      batches: emulator.stats.httpCalls.batch,
      single: emulator.stats.httpCalls.single,
      calls: seen.map((s) => `${s.method} ${s.url.replace(emulator.url, "")}`),
      subRequests: seen[0]?.subRequests,
    };

    // Opted out: unbatched, beside a batched pair.
    emulator.resetStats();
    await Promise.all([
      batched.users.byUserId(ids[5]).get({ options: [new BatchingHandlerOptions({ enabled: false })] }),
      batched.users.byUserId(ids[6]).get(),
      batched.users.byUserId(ids[7]).get(),
    ]);
    out.optOut = { batches: emulator.stats.httpCalls.batch, single: emulator.stats.httpCalls.single };

    // Two tokens through one handler never share a batch; the token rides on the $batch call.
    seen.length = 0;
    const shared = new BatchingHandler({ hosts });
    const chain = () => [shared, recorder(seen), ...getDefaultMiddlewares()];
    const a = client(emulator, chain(), "token-A");
    const b = client(emulator, chain(), "token-B");
    await Promise.all(ids.slice(0, 10).flatMap((id) => [a.users.byUserId(id).get(), b.users.byUserId(id).get()]));
    out.tokens = seen.map((s) => ({ call: `${s.method} ${s.url.replace(emulator.url, "")}`, authorization: s.authorization }));

    // A middleware after ours that throws, and a credential that fails: as unbatched.
    const explodingBatched = client(emulator, [new BatchingHandler({ hosts }), exploding(), ...getDefaultMiddlewares()]);
    const explodingPlain = client(emulator, [exploding(), ...getDefaultMiddlewares()]);
    out.exploding = {
      batched: await Promise.all([settle(explodingBatched.users.byUserId(ids[0]).get()), settle(explodingBatched.users.byUserId(ids[1]).get())]),
      plain: await settle(explodingPlain.users.byUserId(ids[0]).get()),
    };
    const failing = () => Promise.reject(Object.assign(new Error("ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided."), { name: "AuthenticationError" }));
    const credentialBatched = client(emulator, [new BatchingHandler({ hosts }), ...getDefaultMiddlewares()], failing);
    const credentialPlain = client(emulator, getDefaultMiddlewares(), failing);
    out.credential = {
      batched: await Promise.all([settle(credentialBatched.users.byUserId(ids[0]).get()), settle(credentialBatched.users.byUserId(ids[1]).get())]),
      plain: await settle(credentialPlain.users.byUserId(ids[0]).get()),
    };
  } finally {
    await emulator.close();
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
