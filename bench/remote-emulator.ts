/**
 * The parent's handle on the emulator child process (bench/emulator-process.ts): start a fresh
 * emulator, read its counters, close. One child serves the whole bench run; forking ts-node costs
 * a second or two, starting an emulator inside it a few milliseconds.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Command, DataRequest, EmulatorData, RemoteEmulatorOptions, RemoteStats, Reply } from "./emulator-protocol";

type Pending = { resolve: (reply: Reply) => void; reject: (error: Error) => void };

/** Distributes Omit over the union, so each command keeps its own fields. */
type Request = Command extends infer C ? (C extends Command ? Omit<C, "id"> : never) : never;

export class RemoteEmulator {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited?: Error;

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiter?.resolve(reply);
    });
    child.on("exit", (code, signal) => {
      this.exited = new Error(`the emulator process exited (code ${code}, signal ${signal})`);
      for (const waiter of this.pending.values()) waiter.reject(this.exited);
      this.pending.clear();
    });
  }

  /** Forks the child through ts-node (transpile only: the bench must not wait for a type check). */
  static async launch(): Promise<RemoteEmulator> {
    const child = fork(path.join(__dirname, "emulator-process.ts"), [], {
      execArgv: ["-r", "ts-node/register/transpile-only"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, "..", "tsconfig.json") },
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    return new RemoteEmulator(child);
  }

  /** Replaces the running emulator with a fresh one and returns where it is and what it holds. */
  async start(options: RemoteEmulatorOptions, data: DataRequest = {}): Promise<EmulatorData> {
    const reply = await this.call({ op: "start", options, data });
    if (reply.op !== "start") throw new Error(`unexpected reply ${reply.op}`);
    return reply.data;
  }

  async stats(): Promise<RemoteStats> {
    const reply = await this.call({ op: "stats" });
    if (reply.op !== "stats") throw new Error(`unexpected reply ${reply.op}`);
    return reply.stats;
  }

  /** Closes the emulator and ends the child. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    await this.call({ op: "close" }).catch(() => undefined);
    this.child.disconnect();
    await exit;
  }

  private call(request: Request): Promise<Extract<Reply, { ok: true }>> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (reply) => (reply.ok ? resolve(reply) : reject(new Error(`emulator process: ${reply.error}`))),
        reject,
      });
      this.child.send({ ...request, id } as Command);
    });
  }
}
