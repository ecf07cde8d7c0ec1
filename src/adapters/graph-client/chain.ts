import { AuthenticationProvider, Middleware, MiddlewareFactory } from "@microsoft/microsoft-graph-client";
import { BatchingMiddleware } from "./BatchingMiddleware";
import type { BatchingMiddlewareOptions } from "../../options";

/**
 * The SDK's default chain (authentication, retry, redirect on Node, telemetry, HTTP) with
 * batching first, so that every `$batch` call goes through all of them:
 * `Client.initWithMiddleware({ middleware: createBatchingMiddlewareChain(authProvider) })`.
 */
export function createBatchingMiddlewareChain(
  authProvider: AuthenticationProvider,
  options?: BatchingMiddlewareOptions,
): Middleware[] {
  return [new BatchingMiddleware(options), ...MiddlewareFactory.getDefaultMiddlewareChain(authProvider)];
}
