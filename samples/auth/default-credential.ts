/**
 * The v3 Graph client with batching, signed in with DefaultAzureCredential: environment
 * variables, workload or managed identity, Azure CLI, … whichever is there.
 *
 *   az login   (or AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET; or a managed identity)
 *   npx ts-node --transpile-only samples/auth/default-credential.ts
 *   npx ts-node --transpile-only samples/auth/default-credential.ts --emulator
 *
 * The app registration needs the application permissions User.Read.All and GroupMember.Read.All
 * (admin consent); the token is requested for https://graph.microsoft.com/.default. With
 * --emulator the same code runs against the local Graph emulator with a stub credential: the
 * SDK's AuthenticationHandler asks for a token only for Graph's https hosts, so on the emulator's
 * http loopback it is not even called.
 */
import { DefaultAzureCredential } from "@azure/identity";
import { runWithV3Client } from "./v3-client";

// DefaultAzureCredential finds its own configuration; it fails, with its own message, at the
// first token request when there is none.
runWithV3Client("default credential", () => new DefaultAzureCredential()).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
