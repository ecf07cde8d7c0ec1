/**
 * msgraph-batching-middleware/emulator: a local Microsoft Graph with $batch
 * semantics, for demos, integration tests, soak tests and benchmarks.
 * See docs/emulator.md.
 */
export { startEmulator } from "./server";
export { throttlingScopeOf } from "./throttle-scope";
export type { CorsOptions } from "./cors";
export type {
  Emulator,
  EmulatorDataOptions,
  EmulatorOptions,
  EmulatorStats,
  FaultOptions,
  HttpCallStats,
  RequestInfo,
  ScopedThrottleOptions,
  ThrottleOptions,
} from "./types";
export type { Directory, NewMessage } from "./data/directory";
export type { DriveItemRecord, GroupRecord, MessageRecord, PhotoRecord, UserRecord, DataShape } from "./data/records";
