/**
 * Send: one `$batch` POST through the adapter's transport (down the rest of its chain, so that
 * authentication, retry, redirect, telemetry and the HTTP handler apply to the batch as to any
 * request), then the GETs of any top-level nextLink.
 */
import { parseBatchResponse, SubResponse } from "./decode";
import type { BatchOutcome } from "./settle";
import type { BatchTransport } from "./types";

/** Pages of a partial batch response followed at most; a service that loops forever stops here. */
const MAX_NEXT_LINKS = 100;

function headersOf(response: Response): Record<string, string> {
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => (out[name] = value));
  return out;
}

async function readJson(response: Response): Promise<{ ok: true; json: unknown } | { ok: false; reason: string }> {
  const text = await response.text();
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, reason: `the body is not JSON (${text.length > 80 ? `${text.slice(0, 80)}...` : text || "empty"})` };
  }
}

/** Sends one batch and follows its nextLinks. Never throws: every failure is an outcome. */
export async function sendBatch(transport: BatchTransport, url: string, body: string, signal?: AbortSignal): Promise<BatchOutcome> {
  try {
    const response = await transport.post(url, body, signal);
    if (!response) return { kind: "malformed", status: 0, reason: "the chain produced no response" };
    if (!response.ok) return await httpError(response);
    const read = await readJson(response);
    if (!read.ok) return { kind: "malformed", status: response.status, reason: read.reason };
    let first: ReturnType<typeof parseBatchResponse>;
    try {
      first = parseBatchResponse(read.json);
    } catch (error) {
      return { kind: "malformed", status: response.status, reason: (error as Error).message };
    }
    const responses: SubResponse[] = [...first.responses];
    const invalid = [...first.invalid];
    let nextLink = first.nextLink;
    for (let page = 0; nextLink && page < MAX_NEXT_LINKS; page++) {
      // A failure while following nextLink loses only the responses not yet delivered: they
      // are treated as missing (sent again if idempotent), never as a failure of the whole batch.
      const pageResult = await followNextLink(transport, new URL(nextLink, url).href, signal);
      if (!pageResult) break;
      responses.push(...pageResult.responses);
      invalid.push(...pageResult.invalid);
      nextLink = pageResult.nextLink;
    }
    return { kind: "responses", responses, invalid, status: response.status };
  } catch (error) {
    return { kind: "transport", cause: error };
  }
}

async function followNextLink(transport: BatchTransport, url: string, signal?: AbortSignal) {
  try {
    const response = await transport.get(url, signal);
    if (!response || !response.ok) {
      await response?.body?.cancel();
      return undefined;
    }
    const body = await readJson(response);
    return body.ok ? parseBatchResponse(body.json) : undefined;
  } catch {
    return undefined;
  }
}

async function httpError(response: Response): Promise<BatchOutcome> {
  let error: { code?: string; message?: string; innerError?: unknown } | undefined;
  const body = await readJson(response).catch(() => undefined);
  if (body?.ok && typeof body.json === "object" && body.json !== null) {
    const inner = (body.json as { error?: unknown }).error;
    if (typeof inner === "object" && inner !== null) error = inner as typeof error;
  }
  return { kind: "http-error", status: response.status, statusText: response.statusText, headers: headersOf(response), error };
}
