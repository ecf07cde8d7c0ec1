/**
 * The v3 client's side of the samples: an `@azure/identity` credential, the SDK's
 * TokenCredentialAuthenticationProvider, and the SDK's default chain with batching first.
 */
import type { TokenCredential } from "@azure/identity";
import { Client } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { BatchingMiddleware, createBatchingMiddlewareChain } from "../../src";
import { directoryReport } from "./fanout";
import { emulator, GRAPH_SCOPES, print, stubCredential, useEmulator } from "./harness";

/** Runs the fan-out with `credential` against Graph, or with the stub against the emulator (--emulator). */
export async function runWithV3Client(label: string, credential: () => TokenCredential): Promise<void> {
  const running = useEmulator ? await emulator() : undefined;
  try {
    const authProvider = new TokenCredentialAuthenticationProvider(running ? stubCredential : credential(), { scopes: GRAPH_SCOPES });
    // On the emulator, its loopback host must be named to be batched; on Graph nothing changes.
    const middleware = createBatchingMiddlewareChain(authProvider, running ? { hosts: [`127.0.0.1:${running.port}`] } : {});
    const client = Client.initWithMiddleware({ middleware, ...(running ? { baseUrl: running.url } : {}) });
    const report = await directoryReport(client);
    const stats = (middleware[0] as BatchingMiddleware).stats();
    print(label, report, running, stats.requestsBatched + stats.requestsUnbatched);
  } finally {
    await running?.close();
  }
}
