/**
 * Messages between the bench (parent) and the emulator child process (bench/emulator-process.ts).
 * Types only, so that both sides can import it without loading the other side's code.
 */
import type { EmulatorOptions, EmulatorStats } from "../src/emulator/types";

/** What a workload needs to know about the data the emulator generated. */
export interface DataRequest {
  /** Ids of the first `messagesOfUsers` users' existing messages (mailboxes are generated lazily). */
  messagesOfUsers?: number;
}

/** Functions cannot cross the process boundary: `onRequest` is not available. */
export type RemoteEmulatorOptions = Omit<EmulatorOptions, "onRequest" | "port" | "host">;

export type Command =
  | { id: number; op: "start"; options: RemoteEmulatorOptions; data: DataRequest }
  | { id: number; op: "stats" }
  | { id: number; op: "close" };

/** A freshly started emulator: where it listens and the ids of its data. */
export interface EmulatorData {
  readonly url: string;
  readonly port: number;
  readonly users: readonly string[];
  readonly groups: readonly string[];
  /** Existing message ids by user id, for the users asked for in `DataRequest.messagesOfUsers`. */
  readonly messages: Readonly<Record<string, readonly string[]>>;
}

export interface RemoteStats {
  readonly stats: EmulatorStats;
  /** CPU the emulator process spent since the emulator was started, in microseconds. */
  readonly cpuMicros: number;
}

export type Reply =
  | { id: number; ok: true; op: "start"; data: EmulatorData }
  | { id: number; ok: true; op: "stats"; stats: RemoteStats }
  | { id: number; ok: true; op: "close" }
  | { id: number; ok: false; error: string };
