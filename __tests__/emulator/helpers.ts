/** Shared helpers for the emulator tests: plain fetch over real HTTP, nothing mocked. */
import type { Emulator } from "../../src/emulator";

export interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export interface SubResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: any;
}

export interface BatchAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** POSTs a raw body to $batch (for malformed payloads). */
export async function postBatchRaw(
  emulator: Emulator,
  body: string,
  version = "v1.0",
  headers: Record<string, string> = {},
): Promise<BatchAnswer> {
  const response = await fetch(`${emulator.url}/${version}/$batch`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

export function postBatch(
  emulator: Emulator,
  requests: unknown[],
  version = "v1.0",
  headers: Record<string, string> = {},
): Promise<BatchAnswer> {
  return postBatchRaw(emulator, JSON.stringify({ requests }), version, headers);
}

/** A sub-request with a JSON body and the Content-Type header a body requires. */
export function jsonRequest(id: string, method: string, url: string, body: unknown, extra: Partial<SubRequest> = {}): SubRequest {
  return { id, method, url, headers: { "Content-Type": "application/json" }, body, ...extra };
}

/** The sub-response with this id; fails the test when missing or duplicated. */
export function byId(responses: SubResponse[], id: string): SubResponse {
  const matches = responses.filter((response) => response.id === id);
  if (matches.length !== 1) throw new Error(`expected exactly one response '${id}', got ${matches.length}`);
  return matches[0];
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Graph's error shape: code, message and innerError with request-id and date. */
export function expectGraphError(body: any, code?: string | RegExp): void {
  expect(body).toEqual({
    error: {
      code: expect.any(String),
      message: expect.any(String),
      innerError: { "request-id": expect.stringMatching(/^[0-9a-f-]{36}$/), date: expect.any(String) },
    },
  });
  if (code instanceof RegExp) expect(body.error.code).toMatch(code);
  else if (code !== undefined) expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
}

export const GRAPH_JSON = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
