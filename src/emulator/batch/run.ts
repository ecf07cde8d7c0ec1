/**
 * Runs the steps of a validated batch. Independent steps start together and
 * run concurrently; a step with dependsOn waits for its dependencies and
 * answers 424 without executing when one of them failed (status >= 400).
 * Responses are collected in completion order, which is what Graph returns.
 */
import { errorResponse, GraphError } from "../graph-error";
import { toSubResponse, type SubResponse } from "./codec";
import type { BatchStep } from "./validate";

export type StepRunner = (step: BatchStep) => Promise<SubResponse>;

export async function runBatch(
  steps: readonly BatchStep[],
  runStep: StepRunner,
  createRequestId: () => string,
): Promise<SubResponse[]> {
  const completed: SubResponse[] = [];
  // Validation guarantees that dependencies come earlier, so their status
  // promise is always registered before a dependent asks for it.
  const statusById = new Map<string, Promise<number>>();
  for (const step of steps) {
    const dependencies = step.dependsOn.map((id) => ({ id, status: statusById.get(id.toLowerCase()) as Promise<number> }));
    const status = (async () => {
      let failedDependency: string | undefined;
      for (const dependency of dependencies) {
        if ((await dependency.status) >= 400) failedDependency ??= dependency.id;
      }
      const response = failedDependency === undefined
        ? await runStep(step)
        : failedDependencyResponse(step, failedDependency, createRequestId());
      completed.push(response);
      return response.status;
    })();
    statusById.set(step.id.toLowerCase(), status);
  }
  await Promise.all(statusById.values());
  return completed;
}

function failedDependencyResponse(step: BatchStep, dependency: string, requestId: string): SubResponse {
  const error = new GraphError(424, "FailedDependency", `The request depends on request '${dependency}', which failed.`);
  return toSubResponse(step, errorResponse(error, requestId));
}
