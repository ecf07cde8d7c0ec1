/**
 * Options that catch mistakes (issue 10): a misspelt or unknown option is a BatchingConfigError
 * naming the closest valid one, in every front door, instead of being ignored.
 */
import { BatchingConfigError, BatchingMiddleware, BatchingOptions, createBatchingMiddlewareChain } from "../src";
import { createBatchingFetch } from "../src/adapters/fetch";
import { BatchingHandler, BatchingHandlerOptions } from "../src/adapters/kiota";
import { tokenProvider } from "./helpers/clients";

function errorOf(make: () => unknown): BatchingConfigError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(BatchingConfigError);
    return error as BatchingConfigError;
  }
  throw new Error("no error was thrown");
}

test.each([
  [{ maxConcurentBatches: 8 }, "maxConcurentBatches", "maxConcurrentBatches"],
  [{ windowMS: 5 }, "windowMS", "windowMs"],
  [{ dedup: true }, "dedup", "dedupe"],
  [{ onevent: () => undefined }, "onevent", "onEvent"],
  [{ host: ["a"] }, "host", "hosts"],
  [{ maxBatchsize: 10 }, "maxBatchsize", "maxBatchSize"],
])("BatchingMiddleware(%j) names the option and the closest valid one", (options, wrong, right) => {
  const error = errorOf(() => new BatchingMiddleware(options as never));
  expect(error.message).toContain(`no option '${wrong}'; did you mean '${right}'?`);
  expect(error.name).toBe("BatchingConfigError");
});

test("a name close to nothing lists the valid options instead of guessing", () => {
  const error = errorOf(() => new BatchingMiddleware({ transportAgent: 1 } as never));
  expect(error.message).not.toContain("did you mean");
  expect(error.message).toContain("valid: maxBatchSize, windowMs, maxConcurrentBatches, hosts, shouldBatch, retry, maxBodyBytes, onEvent, logger, dedupe");
});

test("nested retry options and per-request options are checked too", () => {
  expect(errorOf(() => new BatchingMiddleware({ retry: { maxRetry: 2 } as never })).message).toContain("retry has no option 'maxRetry'; did you mean 'maxRetries'?");
  expect(errorOf(() => new BatchingMiddleware({ retry: 3 as never })).message).toMatch(/retry must be an object/);
  expect(errorOf(() => new BatchingOptions({ enable: false } as never)).message).toContain("BatchingOptions has no option 'enable'; did you mean 'enabled'?");
  expect(errorOf(() => new BatchingOptions({ dependOn: "a" } as never)).message).toContain("did you mean 'dependsOn'?");
  expect(errorOf(() => new BatchingHandlerOptions({ enabeld: false } as never)).message).toContain("did you mean 'enabled'?");
});

test("every front door checks: the chain helper, the Kiota handler, the batching fetch", () => {
  expect(errorOf(() => createBatchingMiddlewareChain(tokenProvider(), { maxBodyByte: 1 } as never)).message).toContain("did you mean 'maxBodyBytes'?");
  expect(errorOf(() => new BatchingHandler({ maxConcurrentBatch: 1 } as never)).message).toContain("did you mean 'maxConcurrentBatches'?");
  expect(errorOf(() => createBatchingFetch(fetch, { logge: console } as never)).message).toContain("did you mean 'logger'?");
});

test("the new options are validated by type", () => {
  expect(errorOf(() => new BatchingMiddleware({ onEvent: "yes" as never })).message).toBe("onEvent must be a function");
  expect(errorOf(() => new BatchingMiddleware({ logger: {} as never })).message).toMatch(/logger must be a function or an object with a debug method/);
  expect(errorOf(() => new BatchingMiddleware({ dedupe: "true" as never })).message).toMatch(/dedupe must be true or false/);
  expect(() => new BatchingMiddleware({ onEvent: () => undefined, logger: console, dedupe: true })).not.toThrow();
});
