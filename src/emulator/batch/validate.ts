/**
 * Whole-batch validation. Anything wrong here fails the entire $batch with 400
 * before a single sub-request runs, as Graph does; problems that concern one
 * sub-request only (an unknown resource, a bad body) become its own response.
 */
import { badRequest } from "../graph-error";

export const MAX_BATCH_REQUESTS = 20;

/** A sub-request that passed validation. */
export interface BatchStep {
  id: string;
  /** Upper-case. */
  method: string;
  /** Relative to the version root, as sent. */
  url: string;
  /** Names lower-cased: sub-request headers are case-insensitive. */
  headers: Record<string, string>;
  /** The JSON value of `body`; undefined when absent or null. */
  body: unknown;
  dependsOn: string[];
}

/** Parses the outer body down to the `requests` array. */
export function readBatchRequests(payload: Buffer): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString("utf8"));
  } catch {
    throw badRequest("Invalid batch payload format: the body is not valid JSON.");
  }
  if (!isPlainObject(parsed) || !Array.isArray(parsed.requests)) {
    throw badRequest("Invalid batch payload format: expected a JSON object with a 'requests' array.");
  }
  return parsed.requests;
}

export function validateBatch(requests: readonly unknown[]): BatchStep[] {
  if (requests.length === 0) throw badRequest("Invalid batch payload format: 'requests' is empty.");
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw badRequest(
      `Number of requests inside batch exceeds the limit: ${requests.length} requests, at most ${MAX_BATCH_REQUESTS} are allowed.`,
    );
  }
  const steps = requests.map((request, index) => validateStep(request, index));
  const seen = new Map<string, string>();
  for (const step of steps) {
    const key = step.id.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw badRequest(`Duplicate request id '${step.id}' (same as '${earlier}'): ids are compared case-insensitively.`);
    }
    seen.set(key, step.id);
  }
  validateDependencies(steps);
  return steps;
}

function validateStep(request: unknown, index: number): BatchStep {
  if (!isPlainObject(request)) throw badRequest(`Invalid batch payload format: request #${index + 1} is not an object.`);
  const id = requiredString(request, "id", `Request #${index + 1}`);
  const label = `Request '${id}'`;
  const method = requiredString(request, "method", label).toUpperCase();
  const url = requiredString(request, "url", label);
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) {
    throw badRequest(`${label} has an absolute URL '${url}': URLs must be relative to the version root, e.g. '/me'.`);
  }
  if (/^\/?(v1\.0|beta)(\/|\?|$)/i.test(url)) {
    throw badRequest(
      `${label} has the URL '${url}', which includes a version segment: URLs must be relative to the version root, e.g. '/me'.`,
    );
  }
  const headers = readHeaders(request.headers, label);
  const body = request.body ?? undefined;
  if (body !== undefined && headers["content-type"] === undefined) {
    throw badRequest(`${label} has a body but no Content-Type header: a Content-Type header is required when a body is present.`);
  }
  return { id, method, url, headers, body, dependsOn: readDependsOn(request.dependsOn, label) };
}

function requiredString(request: Record<string, unknown>, key: string, label: string): string {
  const value = request[key];
  if (typeof value !== "string" || value.length === 0) {
    throw badRequest(`${label} is missing the required '${key}' property (a non-empty string).`);
  }
  return value;
}

function readHeaders(headers: unknown, label: string): Record<string, string> {
  if (headers === undefined || headers === null) return {};
  if (!isPlainObject(headers)) throw badRequest(`${label} has invalid headers: expected an object of strings.`);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") throw badRequest(`${label} has an invalid value for header '${name}': expected a string.`);
    result[name.toLowerCase()] = value;
  }
  return result;
}

function readDependsOn(dependsOn: unknown, label: string): string[] {
  if (dependsOn === undefined || dependsOn === null) return [];
  if (!Array.isArray(dependsOn) || !dependsOn.every((id) => typeof id === "string")) {
    throw badRequest(`${label} has an invalid dependsOn: expected an array of request ids.`);
  }
  return dependsOn as string[];
}

/**
 * References must point to earlier requests, and the graph must have one of
 * the three shapes Graph supports. This is the same rule as the JS SDK's
 * BatchRequestContent: all parallel, a serial chain, or everything after the
 * first request depending on the first.
 */
function validateDependencies(steps: readonly BatchStep[]): void {
  const position = new Map(steps.map((step, index) => [step.id.toLowerCase(), index]));
  steps.forEach((step, index) => {
    for (const dependency of step.dependsOn) {
      const target = position.get(dependency.toLowerCase());
      if (target === undefined) {
        throw badRequest(`Request '${step.id}' depends on '${dependency}', which is not in the batch.`);
      }
      if (target >= index) {
        throw badRequest(
          `Request '${step.id}' depends on '${dependency}', which does not come before it: dependencies must appear earlier in the batch.`,
        );
      }
    }
  });
  if (!isSupportedShape(steps)) {
    throw badRequest(
      "Unsupported dependsOn pattern: the requests must be all parallel (no dependsOn), " +
        "all serial (each depending on the previous one), or all depending on the first one.",
    );
  }
}

function isSupportedShape(steps: readonly BatchStep[]): boolean {
  if (steps.every((step) => step.dependsOn.length === 0)) return true;
  if (steps[0].dependsOn.length > 0) return false;
  const dependsOnlyOn = (step: BatchStep, id: string) =>
    step.dependsOn.length === 1 && step.dependsOn[0].toLowerCase() === id.toLowerCase();
  const rest = steps.slice(1);
  const serial = rest.every((step, i) => dependsOnlyOn(step, steps[i].id));
  const fanOut = rest.every((step) => dependsOnlyOn(step, steps[0].id));
  return serial || fanOut;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
