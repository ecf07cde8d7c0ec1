#!/usr/bin/env node
/**
 * Runs the emulator until Ctrl-C:
 *   npx ts-node --transpile-only src/emulator/cli.ts --port 8080 --latency 80
 */
import { parseArgs, USAGE } from "./cli-args";
import { startEmulator } from "./server";
import type { Emulator } from "./types";

function summary(emulator: Emulator): string {
  const { users, groups, shape, me } = emulator.directory;
  const range = (items: readonly { id: string }[]) => (items.length ? `${items[0].id}..${items[items.length - 1].id}` : "none");
  return (
    `${users.length} users (${range(users)}), ${groups.length} groups (${range(groups)}), ` +
    `${shape.messagesPerUser} messages and ${shape.driveItemsPerUser} drive items per user; /me = ${me.id} (${me.displayName})`
  );
}

async function main(): Promise<void> {
  let command;
  try {
    command = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (command.kind === "help") {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator(command.options);
  console.log(`Graph emulator listening on ${emulator.url} (use ${emulator.url}/v1.0 or ${emulator.url}/beta)`);
  console.log(`Seeded data: ${summary(emulator)}`);
  console.log("Press Ctrl-C to stop.");

  // No process.exit(): once closed, nothing is left holding the event loop,
  // so the process ending by itself proves the shutdown is clean.
  const shutdown = (signal: string) => {
    console.log(`\n${signal} received, closing the emulator.`);
    emulator.close().then(
      () => console.log(`Closed after ${emulator.stats.httpCalls.total} HTTP calls.`),
      (error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
