import {
  AuthenticationProvider,
  Client,
  ClientOptions,
  MiddlewareFactory,
} from "@microsoft/microsoft-graph-client";
import { BatchingMiddlewareOptions, createBatchingMiddlewareChain } from "../../src";

export const TOKEN = "test-token";

export function tokenProvider(token = TOKEN): AuthenticationProvider & { calls: number } {
  const provider = {
    calls: 0,
    async getAccessToken() {
      provider.calls++;
      return token;
    },
  };
  return provider;
}

/** A client with the SDK's default chain behind BatchingMiddleware. */
export function batchedClient(
  options: BatchingMiddlewareOptions = {},
  clientOptions: Omit<ClientOptions, "middleware" | "authProvider"> = {},
  provider: AuthenticationProvider = tokenProvider(),
): Client {
  return Client.initWithMiddleware({ ...clientOptions, middleware: createBatchingMiddlewareChain(provider, options) });
}

/** The same client without batching: the reference every batched answer is compared with. */
export function plainClient(
  clientOptions: Omit<ClientOptions, "middleware" | "authProvider"> = {},
  provider: AuthenticationProvider = tokenProvider(),
): Client {
  return Client.initWithMiddleware({ ...clientOptions, middleware: MiddlewareFactory.getDefaultMiddlewareChain(provider) });
}

/** Settles a promise into a comparable shape: the value, or the error's public fields. */
export interface Outcome<T> {
  ok: boolean;
  value?: T;
  error?: { name: string; message: string; statusCode?: unknown; code?: unknown };
}

export async function outcome<T>(promise: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    const e = error as Record<string, unknown> & Error;
    return { ok: false, error: { name: e.name, message: e.message, statusCode: e.statusCode, code: e.code } };
  }
}
