/**
 * Settle: decide, for every request of a batch, what its caller gets from what the batch
 * brought back. Pure: the middleware applies the decisions. Every member gets exactly one
 * decision, whatever the response holds (missing ids, unknown ids, duplicates, garbage), which
 * is what the property tests check.
 */
import { BatchResponseError, MissingResponseError } from "../errors";
import type { SubResponse } from "./decode";
import { getHeader } from "../utils/headers";
import { backoffDelay, isIdempotent, isRetryable, parseRetryAfter } from "./retry";

/** What settling needs to know of a batch member. */
export interface Member {
  /** The sub-request id in this batch. */
  readonly id: string;
  readonly method: string;
  /** Times this request has been sent, this batch included. */
  readonly attempts: number;
  readonly maxRetries: number;
  /** Ids (in this batch) of the requests this one depends on. */
  readonly dependsOn: readonly string[];
}

/** What the `$batch` exchange produced, after following any nextLink. */
export type BatchOutcome =
  /** `status`: the outer call's (2xx), for observers. */
  | { kind: "responses"; responses: readonly SubResponse[]; invalid: readonly { id?: string; reason: string }[]; status?: number }
  /** The outer call answered a non-2xx status; `error` is Graph's error object when the body had one. */
  | { kind: "http-error"; status: number; statusText: string; headers: Record<string, string>; error?: { code?: string; message?: string; innerError?: unknown } }
  | { kind: "transport"; cause: unknown }
  | { kind: "malformed"; status: number; reason: string };

export type Decision =
  /**
   * `pauseMs`: a refusal the caller gets as it is because its retries are spent; its scope still
   * waits that long, as the service's "slow down" holds for the requests after this one too.
   */
  | { kind: "deliver"; response: SubResponse; pauseMs?: number }
  /**
   * `throttled`: the service refused it for its scope (a 429, or a Retry-After): the scope waits
   * `delayMs`. Otherwise (a 503/504 without Retry-After, a missing answer) only this request waits.
   */
  | { kind: "retry"; delayMs: number; throttled: boolean }
  | { kind: "reject"; error: unknown };

export interface SettleOptions {
  readonly maxDelayMs: number;
  readonly baseDelayMs: number;
  readonly now: number;
  readonly random: () => number;
}

/**
 * A whole-batch HTTP failure becomes, for each caller, a Graph-shaped error response with the
 * outer status: the SDK then raises the GraphError (statusCode, code) the caller would have got
 * had its own request failed that way, and the message says it was the batch.
 */
export function outerFailureResponse(outcome: Extract<BatchOutcome, { kind: "http-error" }>): SubResponse {
  const reason = `${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ""}`;
  const detail = outcome.error?.message ? `: ${outcome.error.message}` : "";
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(outcome.headers)) {
    if (!/^(content-type|content-length|content-encoding|transfer-encoding)$/i.test(name)) headers[name] = value;
  }
  headers["Content-Type"] = "application/json";
  return {
    id: "",
    status: outcome.status,
    headers,
    body: {
      error: {
        code: outcome.error?.code ?? "BatchRequestFailed",
        message: `The $batch request that carried this request failed with HTTP ${reason}${detail}`,
        ...(outcome.error?.innerError !== undefined ? { innerError: outcome.error.innerError } : {}),
      },
    },
  };
}

export function planSettlement(members: readonly Member[], outcome: BatchOutcome, options: SettleOptions): Decision[] {
  switch (outcome.kind) {
    case "http-error": {
      const response = outerFailureResponse(outcome);
      return members.map(() => ({ kind: "deliver", response }));
    }
    case "transport":
      // Whatever the chain threw (a network error, a credential that failed, the user's own
      // middleware) is what each caller's own request would have thrown: it reaches them as it is.
      return members.map(() => ({ kind: "reject", error: outcome.cause }));
    case "malformed":
      return members.map(() => ({
        kind: "reject",
        error: new BatchResponseError(`The $batch request that carried this request answered HTTP ${outcome.status}, but ${outcome.reason}`, { status: outcome.status }),
      }));
    case "responses":
      return planFromResponses(members, outcome, options);
  }
}

function planFromResponses(
  members: readonly Member[],
  outcome: Extract<BatchOutcome, { kind: "responses" }>,
  options: SettleOptions,
): Decision[] {
  // Ids compare case-insensitively, as Graph compares them; the first answer for an id wins.
  const byId = new Map<string, SubResponse>();
  for (const response of outcome.responses) {
    const key = response.id.toLowerCase();
    if (!byId.has(key)) byId.set(key, response);
  }
  const invalidById = new Map<string, string>();
  for (const entry of outcome.invalid) if (entry.id !== undefined) invalidById.set(entry.id.toLowerCase(), entry.reason);

  const decisions: Decision[] = members.map((member) => {
    const response = byId.get(member.id.toLowerCase());
    if (response) return decideForResponse(member, response, options);
    const invalid = invalidById.get(member.id.toLowerCase());
    if (invalid !== undefined) {
      return { kind: "reject", error: new MissingResponseError(`The batch response for this request could not be read: ${invalid}`, { status: 200 }) };
    }
    if (isIdempotent(member.method) && member.attempts <= member.maxRetries) {
      return { kind: "retry", delayMs: 0, throttled: false };
    }
    return {
      kind: "reject",
      error: new MissingResponseError(
        `The batch response held no answer for this ${member.method} request (id ${member.id})` +
          (isIdempotent(member.method) ? " after retries" : "; it was not sent again because it may have been executed"),
        { status: 200 },
      ),
    };
  });

  // A dependent that failed only because its dependency failed (424) goes back with that
  // dependency when the dependency is retried, so it runs after it again.
  const retried = new Set(members.filter((_, i) => decisions[i].kind === "retry").map((m) => m.id));
  if (retried.size > 0) {
    let changed = true;
    while (changed) {
      changed = false;
      members.forEach((member, i) => {
        const decision = decisions[i];
        if (decision.kind === "deliver" && decision.response.status === 424 && member.dependsOn.some((d) => retried.has(d))) {
          decisions[i] = { kind: "retry", delayMs: 0, throttled: false };
          retried.add(member.id);
          changed = true;
        }
      });
    }
  }
  return decisions;
}

function decideForResponse(member: Member, response: SubResponse, options: SettleOptions): Decision {
  if (!isRetryable(member.method, response.status)) return { kind: "deliver", response };
  const retryAfter = parseRetryAfter(getHeader(response.headers, "retry-after"), options.now);
  if (member.attempts > member.maxRetries) return { kind: "deliver", response, ...refusalPause(response.status, retryAfter, options) };
  const delayMs = retryAfter ?? backoffDelay(member.attempts, options.baseDelayMs, options.random);
  if (delayMs > options.maxDelayMs) return { kind: "deliver", response };
  return { kind: "retry", delayMs, throttled: response.status === 429 || retryAfter !== undefined };
}

/**
 * The pause a refusal delivered to its caller still asks of its scope: a 429 (or a 503 with
 * Retry-After) whose Retry-After is within `maxDelayMs`. A longer wait is not imposed on the
 * requests after it, as it is not on the caller itself.
 */
export function refusalPause(status: number, retryAfterMs: number | undefined, options: Pick<SettleOptions, "maxDelayMs">): { pauseMs?: number } {
  const refused = status === 429 || status === 503;
  return refused && retryAfterMs !== undefined && retryAfterMs > 0 && retryAfterMs <= options.maxDelayMs ? { pauseMs: retryAfterMs } : {};
}
