import nock from "nock";
import { RecordedBatch } from "./nockBatch";

export const GRAPH = "https://graph.microsoft.com";
const json = { "Content-Type": "application/json" };

export type Sub = RecordedBatch["body"]["requests"][number];
export type SubAnswer = { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

/**
 * A scripted $batch endpoint: `answer(sub, attempt, batchIndex)` sees how often that URL was sent
 * before and which batch this is. Returning undefined leaves the response out. Each recorded
 * batch notes how many batches were in flight when it arrived, itself included.
 */
export function scriptedBatches(answer: (sub: Sub, attempt: number, batchIndex: number) => SubAnswer, opts: { delayMs?: number } = {}) {
  const seen = new Map<string, number>();
  const batches: { at: number; active: number; requests: Sub[] }[] = [];
  let active = 0;
  let peak = 0;
  nock(GRAPH)
    .post("/v1.0/$batch")
    .times(1000)
    .reply(async (request) => {
      const body = (await request.json()) as RecordedBatch["body"];
      const batchIndex = batches.length;
      active++;
      batches.push({ at: Date.now(), active, requests: body.requests });
      peak = Math.max(peak, active);
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      active--;
      const responses = [];
      for (const sub of body.requests) {
        const key = `${sub.method} ${sub.url}`;
        const attempt = seen.get(key) ?? 0;
        seen.set(key, attempt + 1);
        const a = answer(sub, attempt, batchIndex);
        if (a) responses.push({ id: sub.id, ...a });
      }
      return [200, { responses }, json];
    });
  return { batches, peak: () => peak, sent: (method: string, url: string) => seen.get(`${method} ${url}`) ?? 0 };
}

