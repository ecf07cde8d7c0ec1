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
import { secretCredential } from "./harness";
import { runWithV3Client } from "./v3-client";

// secretCredential: new ClientSecretCredential(AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET),
// or a clear message naming the variable that is missing. The client's wiring is in v3-client.ts.
runWithV3Client("client secret", secretCredential).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
