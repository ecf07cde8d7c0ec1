/**
 * Property tests: under arbitrary, malformed and adversarial batch responses every caller
 * settles exactly once, with a result or a clear error.
 */
import fc from "fast-check";
import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { BatchingMiddleware, BatchError } from "../src";
import { parseBatchResponse, toResponse } from "../src/engine/decode";
import { Member, planSettlement } from "../src/engine/settle";

const methods = fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT", "HEAD");
const statuses = fc.oneof(fc.integer({ min: 100, max: 700 }), fc.constantFrom(200, 204, 302, 404, 424, 429, 503, 504));
const headerValues = fc.oneof(fc.string(), fc.constantFrom("0", "1", "120", "Wed, 21 Oct 2015 07:28:00 GMT", "application/json", "image/jpeg", "text/plain"));
const headers = fc.dictionary(fc.constantFrom("Content-Type", "content-type", "Retry-After", "retry-after", "Location", "X-Other"), headerValues);
const body = fc.oneof(fc.jsonValue(), fc.base64String(), fc.constant(undefined));

const subResponse = (ids: string[]) =>
  fc.record(
    {
      id: fc.oneof(fc.constantFrom(...ids, ...ids.map((i) => i.toUpperCase())), fc.string(), fc.integer(), fc.constant(null)),
      status: fc.oneof(statuses, fc.string(), fc.constant(null)),
      headers: fc.oneof(headers, fc.constant(null), fc.string()),
      body,
    },
    { requiredKeys: [] },
  );

describe("planSettlement", () => {
  test("gives every member exactly one decision, and retries only what may be retried", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ method: methods, attempts: fc.integer({ min: 1, max: 5 }), maxRetries: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.anything(), { maxLength: 30 }),
        (specs, junk) => {
          const members: Member[] = specs.map((s, i) => ({ id: String(i + 1), dependsOn: [], ...s }));
          let parsed;
          try {
            parsed = parseBatchResponse({ responses: junk });
          } catch {
            return;
          }
          const decisions = planSettlement(members, { kind: "responses", ...parsed }, { now: Date.now(), maxDelayMs: 10_000, baseDelayMs: 10, random: Math.random });
          expect(decisions).toHaveLength(members.length);
          decisions.forEach((d, i) => {
            const m = members[i];
            if (d.kind === "retry") expect(m.attempts).toBeLessThanOrEqual(m.maxRetries);
            if (d.kind === "deliver") expect(d.response.id.toLowerCase()).toBe(m.id.toLowerCase());
            if (d.kind === "reject") expect(d.error).toBeInstanceOf(BatchError);
          });
        },
      ),
    );
  });

  test("a member with no answer is retried only if it is a safe method", () => {
    fc.assert(
      fc.property(fc.array(methods, { minLength: 1, maxLength: 20 }), (ms) => {
        const members: Member[] = ms.map((method, i) => ({ id: String(i + 1), method, attempts: 1, maxRetries: 3, dependsOn: [] }));
        const decisions = planSettlement(members, { kind: "responses", responses: [], invalid: [] }, { now: 0, maxDelayMs: 0, baseDelayMs: 0, random: () => 0 });
        decisions.forEach((d, i) => expect(d.kind).toBe(["GET", "HEAD", "OPTIONS"].includes(members[i].method) ? "retry" : "reject"));
      }),
    );
  });
});

describe("decode", () => {
  test("a readable sub-response always becomes a Response, or a clear error, never a crash elsewhere", () => {
    fc.assert(
      fc.property(fc.array(subResponse(["1", "2"]), { maxLength: 10 }), (responses) => {
        const parsed = parseBatchResponse({ responses });
        for (const r of parsed.responses) {
          expect(r.status).toBeGreaterThanOrEqual(200);
          expect(r.status).toBeLessThanOrEqual(599);
          try {
            const response = toResponse(r, "https://graph.microsoft.com/v1.0/x");
            expect(response.status).toBe(r.status);
          } catch (error) {
            // Only header values a Response refuses (control characters) may throw.
            expect(error).toBeInstanceOf(TypeError);
          }
        }
      }),
    );
  });
});

/** A chain end that answers every `$batch` with what the property generated. */
class AdversarialTransport implements Middleware {
  constructor(private readonly answer: (requestBody: { requests: { id: string }[] }) => Response | Error) {}
  async execute(context: Context): Promise<void> {
    const body = JSON.parse(String(context.options?.body ?? "{}"));
    const answer = this.answer(body);
    if (answer instanceof Error) throw answer;
    context.response = answer;
  }
}

describe("the middleware under adversarial transports", () => {
  test("every caller settles exactly once, and nothing is left unhandled", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 45 }),
          fc.array(methods, { minLength: 45, maxLength: 45 }),
          fc.oneof(
            fc.record({ kind: fc.constant("json" as const), status: fc.integer({ min: 200, max: 599 }), extra: fc.array(subResponse(["1", "2", "3", "20"]), { maxLength: 25 }), echo: fc.boolean(), nextLink: fc.option(fc.webUrl()) }),
            fc.record({ kind: fc.constant("text" as const), status: fc.integer({ min: 200, max: 599 }), text: fc.string() }),
            fc.record({ kind: fc.constant("throw" as const) }),
          ),
          async (n, ms, plan) => {
            const transport = new AdversarialTransport((req) => {
              if (plan.kind === "throw") return new Error("connection reset");
              if (plan.kind === "text") return new Response([204, 205, 304].includes(plan.status) ? null : plan.text, { status: plan.status });
              const echoed = plan.echo ? (req.requests ?? []).map((r) => ({ id: r.id, status: 200, body: { ok: r.id } })) : [];
              return new Response(JSON.stringify({ responses: [...echoed, ...plan.extra], nextLink: plan.nextLink ?? undefined }), { status: plan.status });
            });
            const middleware = new BatchingMiddleware({ retry: { maxRetries: 1, maxDelayMs: 0, baseDelayMs: 0 } });
            middleware.setNext(transport);
            const settlements = new Array(n).fill(0);
            const contexts: Context[] = Array.from({ length: n }, (_, i) => ({
              request: `https://graph.microsoft.com/v1.0/items/${i}`,
              options: { method: ms[i], headers: { "Content-Type": "application/json" }, body: ms[i] === "GET" || ms[i] === "HEAD" ? undefined : "{}" },
            }));
            const results = await Promise.allSettled(
              contexts.map((ctx, i) =>
                middleware.execute(ctx).then(
                  () => void settlements[i]++,
                  (e) => {
                    settlements[i]++;
                    throw e;
                  },
                ),
              ),
            );
            expect(settlements.every((s) => s === 1)).toBe(true);
            results.forEach((r, i) => {
              if (r.status === "fulfilled") expect(contexts[i].response).toBeInstanceOf(Response);
              // Rejections are errors with a message (some come from Node's realm, not jest's).
              else expect(typeof (r.reason as Error).message).toBe("string");
            });
          },
        ),
        { numRuns: 150 },
      );
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
