/**
 * Soak: thousands of mixed requests through the real Client and BatchingMiddleware against the
 * emulator with faults on (throttled sub-requests, outer 503s, shuffled answers, partial batches
 * through nextLink, connection resets after execution). Checks that every caller got the answer
 * it would get unbatched, that no write ran twice, that nothing was left unhandled, and, by
 * returning without process.exit, that the process exits by itself.
 *
 *   npm run soak -- --requests 100000 [--seed 2]
 * Prints a JSON summary as its last line; exits 1 if a check failed.
 */
import { Client } from "@microsoft/microsoft-graph-client";
import { createBatchingMiddlewareChain } from "../src";
import { startEmulator } from "../src/emulator";

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}

const total = arg("requests", 10_000);
const seed = arg("seed", 1);

type Kind = "getUser" | "getMembers" | "patch" | "delete" | "post";
const KINDS: Kind[] = ["getUser", "getUser", "getUser", "getUser", "getUser", "getUser", "getUser", "getUser", "getUser", "getUser", "getUser", "getUser", "getMembers", "getMembers", "patch", "patch", "delete", "delete", "post", "post"];

/**
 * Failures a caller may see only when its batch (or the nextLink GET bringing its answer) hit a
 * connection reset: the outcome is unknown. At most a batch's worth per reset. A reset of the
 * `$batch` call reaches each caller as a reset of its own request would: fetch's TypeError
 * ("fetch failed"), which the SDK wraps into a GraphError with code "TypeError".
 */
const AMBIGUOUS = new Set(["TypeError", "MissingResponseError"]);

async function main() {
  const unhandled: unknown[] = [];
  process.on("unhandledRejection", (reason) => unhandled.push(reason));

  // One user per request: every write has a target of its own, so "executed once" is exact.
  const users = total;
  const emulator = await startEmulator({
    seed,
    serviceJitterMs: 3,
    data: { users, groups: 50, messagesPerUser: 3 },
    faults: {
      subRequestThrottleRate: 0.1,
      retryAfterSeconds: 0,
      outer503Rate: 0.02,
      batchNextLinkRate: 0.05,
      resetRate: 0.002,
      resetAfterExecute: true,
    },
  });
  const client = Client.initWithMiddleware({
    baseUrl: emulator.url,
    middleware: createBatchingMiddlewareChain({ getAccessToken: async () => "soak" }, { hosts: [`127.0.0.1:${emulator.port}`], retry: { maxRetries: 10, baseDelayMs: 5 } }),
  });
  const dir = emulator.directory;
  const started = Date.now();

  const checks = Array.from({ length: total }, async (_, i) => {
    const kind = KINDS[i % KINDS.length];
    const user = dir.users[i];
    const messages = dir.messages(user.id);
    let writeKey: string | undefined;
    try {
      switch (kind) {
        case "getUser": {
          const r = await client.api(`/users/${user.id}`).get();
          return r.id === user.id && r.displayName === user.displayName ? "ok" : `wrong user ${r.id}`;
        }
        case "getMembers": {
          const group = dir.groups[i % dir.groups.length];
          const r = await client.api(`/groups/${group.id}/members`).select("id").get();
          return JSON.stringify(r.value.map((m: { id: string }) => m.id)) === JSON.stringify(group.memberIds) ? "ok" : "wrong members";
        }
        case "patch": {
          writeKey = `PATCH /users/${user.id}/messages/${messages[0].id}`;
          const r = await client.api(`/users/${user.id}/messages/${messages[0].id}`).patch({ subject: `soak ${i}` });
          return r.subject === `soak ${i}` ? { write: writeKey } : "wrong patch";
        }
        case "delete": {
          writeKey = `DELETE /users/${user.id}/messages/${messages[1].id}`;
          const r = await client.api(`/users/${user.id}/messages/${messages[1].id}`).delete();
          return r === undefined ? { write: writeKey } : "wrong delete";
        }
        case "post": {
          writeKey = `POST /users/${user.id}/messages`;
          const r = await client.api(`/users/${user.id}/messages`).post({ subject: `new ${i}` });
          return r.subject === `new ${i}` ? { write: writeKey } : "wrong post";
        }
      }
    } catch (error) {
      const code = (error as { code?: string }).code ?? String(error);
      return AMBIGUOUS.has(code) ? { ambiguous: code, write: writeKey } : `failed: ${code} ${(error as Error).message}`;
    }
  });
  const results = await Promise.all(checks);
  const elapsedMs = Date.now() - started;

  const wrong = results.filter((r): r is string => typeof r === "string" && r !== "ok");
  const ambiguous = results.filter((r) => typeof r === "object" && "ambiguous" in r).length;
  const writesSucceeded = results.filter((r) => typeof r === "object" && !("ambiguous" in r)) as { write: string }[];
  const notOnce = writesSucceeded.filter((r) => emulator.stats.writes[r.write] !== 1).map((r) => r.write);
  const twice = Object.entries(emulator.stats.writes).filter(([, n]) => n > 1).map(([k]) => k);
  const stats = emulator.stats;
  await emulator.close();

  const summary = {
    requests: total,
    elapsedMs,
    ok: results.length - wrong.length - ambiguous,
    wrong: wrong.length,
    wrongSamples: wrong.slice(0, 5),
    ambiguous,
    writesSucceeded: writesSucceeded.length,
    writesNotExactlyOnce: notOnce.length,
    writesExecutedTwice: twice.length,
    unhandledRejections: unhandled.length,
    httpCalls: stats.httpCalls,
    throttled: stats.throttled,
    outerFaults: stats.outerFaults,
    resets: stats.resets,
  };
  const passed = wrong.length === 0 && notOnce.length === 0 && twice.length === 0 && unhandled.length === 0 && ambiguous <= 20 * stats.resets;
  console.log(JSON.stringify({ passed, ...summary }));
  if (!passed) process.exitCode = 1;
}

void main();
