/**
 * The Kiota-based Graph SDK (`@microsoft/msgraph-sdk`) with BatchingHandler first in its chain,
 * signed in as an application with a client secret through Kiota's own Azure Identity provider.
 *
 *   AZURE_TENANT_ID=... AZURE_CLIENT_ID=... AZURE_CLIENT_SECRET=... npx ts-node --transpile-only samples/auth/kiota.ts
 *   npx ts-node --transpile-only samples/auth/kiota.ts --emulator
 *
 * The app registration needs the application permission User.Read.All (admin consent); the token
 * is requested for https://graph.microsoft.com/.default. With --emulator, the emulator's loopback host is added to
 * the provider's allowed hosts (Kiota allows http on localhost), so the stub credential is asked for
 * the token and it rides on each `$batch` call, as a real one would.
 *
 * Kiota's packages are ES modules only; Node 20.19+ can require() them, which is how this file,
 * run by ts-node as CommonJS, loads them.
 */
import { BatchingHandler } from "../../src/adapters/kiota";
import { directoryReportKiota } from "./fanout";
import { emulator, GRAPH_SCOPES, print, secretCredential, stubCredential, useEmulator } from "./harness";

/* eslint-disable @typescript-eslint/no-require-imports */
const { AzureIdentityAuthenticationProvider } = require("@microsoft/kiota-authentication-azure");
const { KiotaClientFactory } = require("@microsoft/kiota-http-fetchlibrary");
const { getDefaultMiddlewares } = require("@microsoft/msgraph-sdk-core");
const { GraphRequestAdapter, createGraphServiceClient } = require("@microsoft/msgraph-sdk");
require("@microsoft/msgraph-sdk-users");
/* eslint-enable @typescript-eslint/no-require-imports */

async function main(): Promise<void> {
  const credential = useEmulator ? stubCredential : secretCredential();
  const running = useEmulator ? await emulator() : undefined;
  try {
    const allowedHosts = running ? new Set(["127.0.0.1"]) : undefined; // default: Graph's hosts
    const authProvider = new AzureIdentityAuthenticationProvider(credential, GRAPH_SCOPES, undefined, allowedHosts);
    const batching = new BatchingHandler(running ? { hosts: [`127.0.0.1:${running.port}`] } : {});
    const http = KiotaClientFactory.create(undefined, [batching, ...getDefaultMiddlewares()]);
    const adapter = new GraphRequestAdapter(authProvider, undefined, undefined, http);
    if (running) adapter.baseUrl = `${running.url}/v1.0`;
    const client = createGraphServiceClient(adapter);
    const report = await directoryReportKiota(client);
    const stats = batching.stats();
    print("kiota", report, running, stats.requestsBatched + stats.requestsUnbatched);
    if (running) console.log(`token requests: ${stubCredential.calls}`);
  } finally {
    await running?.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
