/**
 * The Graph emulator in a process of its own, driven over IPC by bench/remote-emulator.ts.
 *
 * Why a child process: the bench reports the client's CPU time per request with
 * process.cpuUsage(), which counts every thread of the process. With the emulator in-process its
 * HTTP parsing, JSON and timers would be charged to the client, and the two would compete for the
 * same event loop, inflating each other's latency.
 *
 * Every "start" replaces the running emulator with a fresh one (same seed, new port): writes of
 * one run (created messages) and the token bucket of a throttled run cannot leak into the next.
 */
import { startEmulator, type Emulator } from "../src/emulator";
import type { Command, EmulatorData, Reply } from "./emulator-protocol";

let current: Emulator | undefined;
let cpuAtStart = process.cpuUsage();

function send(reply: Reply): void {
  process.send?.(reply);
}

async function handle(command: Command): Promise<Reply> {
  switch (command.op) {
    case "start": {
      await current?.close();
      current = undefined;
      const emulator = await startEmulator(command.options);
      current = emulator;
      cpuAtStart = process.cpuUsage();
      const { directory } = emulator;
      const messages: Record<string, string[]> = {};
      for (const user of directory.users.slice(0, command.data.messagesOfUsers ?? 0)) {
        messages[user.id] = directory.messages(user.id).map((message) => message.id);
      }
      const data: EmulatorData = {
        url: emulator.url,
        port: emulator.port,
        users: directory.users.map((user) => user.id),
        groups: directory.groups.map((group) => group.id),
        messages,
      };
      return { id: command.id, ok: true, op: "start", data };
    }
    case "stats": {
      if (!current) throw new Error("no emulator is running");
      const cpu = process.cpuUsage(cpuAtStart);
      // A copy: the live object keeps changing while the reply is serialised.
      const stats = JSON.parse(JSON.stringify(current.stats)) as typeof current.stats;
      return { id: command.id, ok: true, op: "stats", stats: { stats, cpuMicros: cpu.user + cpu.system } };
    }
    case "close":
      await current?.close();
      current = undefined;
      return { id: command.id, ok: true, op: "close" };
  }
}

process.on("message", (command: Command) => {
  handle(command).then(send, (error: unknown) =>
    send({ id: command.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
});

// The parent went away (crash, Ctrl-C): do not linger with an open server.
process.on("disconnect", () => {
  void (current?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
