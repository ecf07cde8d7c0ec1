/**
 * The v3 Graph client with batching, signed in as an application with a client secret.
 *
 *   AZURE_TENANT_ID=... AZURE_CLIENT_ID=... AZURE_CLIENT_SECRET=... npx ts-node --transpile-only samples/auth/client-secret.ts
 *   npx ts-node --transpile-only samples/auth/client-secret.ts --emulator
 *
 * The app registration needs the application permissions User.Read.All and GroupMember.Read.All
 * (admin consent); the token is requested for https://graph.microsoft.com/.default. With
 * --emulator the same code runs against the local Graph emulator with a stub credential: the
 * SDK's AuthenticationHandler asks for a token only for Graph's https hosts, so on the emulator's
 * http loopback it is not even called.
 */
import { ClientSecretCredential, type TokenCredential } from "@azure/identity";
import { Client } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials";
import { BatchingMiddleware, createBatchingMiddlewareChain } from "../../src";
import { directoryReport } from "./fanout";
import { emulator, GRAPH_SCOPES, print, requireEnv, stubCredential, useEmulator } from "./harness";

async function main(): Promise<void> {
  let credential: TokenCredential;
  if (useEmulator) credential = stubCredential;
  else {
    const env = requireEnv("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET");
    credential = new ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET);
  }
  const running = useEmulator ? await emulator() : undefined;
  try {
    const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: GRAPH_SCOPES });
    // On the emulator, its loopback host must be named to be batched; on Graph nothing changes.
    const middleware = createBatchingMiddlewareChain(authProvider, running ? { hosts: [`127.0.0.1:${running.port}`] } : {});
    const client = Client.initWithMiddleware({ middleware, ...(running ? { baseUrl: running.url } : {}) });
    const report = await directoryReport(client);
    const stats = (middleware[0] as BatchingMiddleware).stats();
    print("client secret", report, running, stats.requestsBatched + stats.requestsUnbatched);
  } finally {
    await running?.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
