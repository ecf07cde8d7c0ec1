import { Client, MiddlewareFactory } from "@microsoft/microsoft-graph-client";
import { BatchingMiddlewareOptions, createBatchingMiddlewareChain } from "../../src";
import type { Emulator } from "../../src/emulator";
import { tokenProvider } from "./clients";

/** A batching client for the emulator: its loopback host must be named in `hosts`. */
export function emulatorClient(emulator: Emulator, options: BatchingMiddlewareOptions = {}): Client {
  return Client.initWithMiddleware({
    baseUrl: emulator.url,
    middleware: createBatchingMiddlewareChain(tokenProvider(), { hosts: [`127.0.0.1:${emulator.port}`], ...options }),
  });
}

/** The SDK's default chain against the emulator: the unbatched reference. */
export function emulatorPlainClient(emulator: Emulator): Client {
  return Client.initWithMiddleware({ baseUrl: emulator.url, middleware: MiddlewareFactory.getDefaultMiddlewareChain(tokenProvider()) });
}
