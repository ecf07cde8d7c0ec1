/**
 * The authentication samples (samples/auth/) run as a user runs them, with --emulator: the same
 * code as against Graph, with a stub credential and the emulator's URL. Without --emulator and
 * without credentials, they say which variable is missing instead of failing with a stack.
 */
import { execFile } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..");

function run(sample: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, ["-r", "ts-node/register/transpile-only", `samples/auth/${sample}`, ...args], { cwd: root, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

jest.setTimeout(90_000);

test.each([
  ["client-secret.ts", "client secret"],
  ["default-credential.ts", "default credential"],
])("%s --emulator: the fan-out of 32 requests travels in 3 $batch calls", async (sample, label) => {
  const { code, stdout, stderr } = await run(sample, ["--emulator"]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  expect(stdout).toContain(`${label}: {"users":20,"withManager":20,"groups":10,"memberships":80}`);
  expect(stdout).toContain("HTTP calls: 3 (3 $batch) for 32 requests");
});

test("kiota.ts --emulator: 21 requests in 2 HTTP calls, the stub credential asked for each token", async () => {
  const { code, stdout, stderr } = await run("kiota.ts", ["--emulator"]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  expect(stdout).toContain('kiota: {"users":20,"withManager":20,"groups":0,"memberships":0}');
  expect(stdout).toContain("HTTP calls: 2 (1 $batch) for 21 requests");
  expect(stdout).toContain("token requests: 21");
});

test.each(["client-secret.ts", "kiota.ts"])("%s without credentials names the missing variable and exits 1", async (sample) => {
  const env = { ...process.env };
  for (const name of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"]) delete env[name];
  const { code, stdout, stderr } = await run(sample, [], env);
  expect(code).toBe(1);
  expect(stdout).toBe("");
  expect(stderr.trim()).toBe(
    "AZURE_TENANT_ID is not set. Set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET for your app registration, or run with --emulator to try this sample on the local Graph emulator.",
  );
});
