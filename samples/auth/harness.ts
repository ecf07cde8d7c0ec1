/**
 * What the samples share besides the work itself: the command line (`--emulator`), the
 * environment variables, and the stand-ins for the emulator run.
 */
import { ClientSecretCredential, type AccessToken, type TokenCredential } from "@azure/identity";
import { startEmulator, type Emulator } from "../../src/emulator";

/** Graph's scope for application permissions: whatever the app registration was granted. */
export const GRAPH_SCOPES = ["https://graph.microsoft.com/.default"];

export const useEmulator = process.argv.includes("--emulator");

/** The variables, or a clear message naming the first one missing, and exit code 1. */
export function requireEnv<T extends string>(...names: T[]): Record<T, string> {
  const values = {} as Record<T, string>;
  for (const name of names) {
    const value = process.env[name];
    if (!value) {
      console.error(`${name} is not set. Set ${names.join(", ")} for your app registration, or run with --emulator to try this sample on the local Graph emulator.`);
      process.exit(1);
    }
    values[name] = value;
  }
  return values;
}

/** An app's client secret, from AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET. */
export function secretCredential(): TokenCredential {
  const env = requireEnv("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET");
  return new ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET);
}

/** A credential for the emulator, which checks no token: it hands out a fixed one. */
export const stubCredential: TokenCredential & { calls: number } = {
  calls: 0,
  async getToken(): Promise<AccessToken> {
    stubCredential.calls++;
    return { token: "emulator-token", expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

/** Starts the emulator with a realistic round trip for the emulator run. */
export function emulator(): Promise<Emulator> {
  return startEmulator({ latencyMs: 50, data: { users: 20, groups: 10 } });
}

/** Prints what the run did; on the emulator, how many HTTP calls it took. */
export function print(label: string, report: object, running?: Emulator, requests?: number): void {
  console.log(`${label}: ${JSON.stringify(report)}`);
  if (running) {
    const { total, batch } = running.stats.httpCalls;
    console.log(`HTTP calls: ${total} (${batch} $batch) for ${requests} requests`);
  }
}
