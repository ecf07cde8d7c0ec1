import nock from "nock";

export interface RecordedBatch {
  path: string;
  headers: Record<string, string>;
  body: { requests: Array<{ id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown; dependsOn?: string[] }> };
}

export interface SubAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Intercepts `$batch` POSTs on `origin` and answers each sub-request with `answer(sub)`,
 * recording what was sent. The answers are computed from the request, so a test's expectation
 * only holds if the middleware really sent the request and mapped the answer back to its caller.
 */
export function interceptBatches(
  origin: string,
  answer: (sub: RecordedBatch["body"]["requests"][number]) => SubAnswer,
  options: { version?: string; times?: number; shuffle?: boolean } = {},
): RecordedBatch[] {
  const recorded: RecordedBatch[] = [];
  nock(origin)
    .post(`/${options.version ?? "v1.0"}/$batch`)
    .times(options.times ?? 100)
    .reply(async (request) => {
      const parsed = (await request.json()) as RecordedBatch["body"];
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => (headers[name] = value));
      recorded.push({ path: new URL(request.url).pathname, headers, body: parsed });
      const responses = parsed.requests.map((sub) => ({ id: sub.id, ...answer(sub) }));
      if (options.shuffle) responses.reverse();
      return [200, { responses }, { "Content-Type": "application/json" }];
    });
  return recorded;
}
