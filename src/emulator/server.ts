/** Wiring and lifecycle: builds the parts from the options and runs them behind node:http. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BatchEndpoint } from "./batch/endpoint";
import { NextLinkStore } from "./batch/next-link";
import { CallHandler } from "./call-handler";
import { Directory } from "./data/directory";
import { Executor } from "./executor";
import { FaultInjector, nonNegative } from "./faults";
import { RequestIds } from "./graph-error";
import { deriveSeed, mulberry32 } from "./random";
import { DownloadSigner } from "./routes/drive";
import { Scheduler } from "./scheduler";
import { createStats, recordWrite, resetStats } from "./stats";
import { readThrottling } from "./throttle-options";
import { readCors, withCors } from "./cors";
import type { Emulator, EmulatorOptions } from "./types";

const DEFAULT_SEED = 1;

/**
 * Starts a local Graph on loopback: users, groups, mail, drives, `$batch` with Graph's semantics.
 *
 * @param options - latency, data sizes, throttling, faults, CORS; all optional.
 * @returns the running emulator: its `url` (the client's `baseUrl`), `stats`, `directory`, `close()`.
 * @throws RangeError (as a rejection) for an invalid option, naming it.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ latencyMs: 50 });
 * const client = Client.initWithMiddleware({
 *   baseUrl: emulator.url,
 *   middleware: createBatchingMiddlewareChain(authProvider, { hosts: [`127.0.0.1:${emulator.port}`] }),
 * });
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const seed = options.seed ?? DEFAULT_SEED;
  const latencyMs = nonNegative(options.latencyMs ?? 0, "latencyMs");
  const serviceTimeMs = nonNegative(options.serviceTimeMs ?? 0, "serviceTimeMs");
  const serviceJitterMs = nonNegative(options.serviceJitterMs ?? 0, "serviceJitterMs");
  const throttling = readThrottling(options);
  const cors = readCors(options.cors, options.host ?? "127.0.0.1");
  // The data has its own streams (see data/generate.ts); this one drives jitter and faults.
  const random = mulberry32(deriveSeed(seed, "runtime"));
  const faults = new FaultInjector(options.faults, random);
  const directory = new Directory(seed, options.data);

  const scheduler = new Scheduler();
  const server = createServer();
  const port = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
  const url = `http://${formatHost(options.host ?? "127.0.0.1")}:${port}`;

  const stats = createStats();
  const requestIds = new RequestIds();
  const signer = new DownloadSigner(url, `graph-emulator-${seed}`);
  const executor = new Executor({
    environment: { directory, baseUrl: url, signer, onWrite: (key) => recordWrite(stats, key) },
    stats,
    faults,
    ...throttling,
    meId: directory.users[0]?.id ?? "",
    scheduler,
    random,
    serviceTimeMs,
    serviceJitterMs,
  });
  const batch = new BatchEndpoint({ executor, stats, faults, nextLinks: new NextLinkStore(), requestIds, baseUrl: url });
  const handler = new CallHandler({
    directory,
    stats,
    faults,
    scheduler,
    executor,
    batch,
    signer,
    requestIds,
    latencyMs,
    onRequest: options.onRequest,
  });
  server.on("request", cors ? withCors(handler.listener, cors, latencyMs) : handler.listener);
  // A client that sends garbage or vanishes mid-request must not crash the emulator.
  server.on("clientError", (_error, socket) => socket.destroy());

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    stats,
    resetStats: () => resetStats(stats),
    directory,
    close: () => (closing ??= close(server, scheduler)),
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * server.close() alone waits for idle keep-alive sockets to time out, which
 * keeps a test process alive for seconds: destroy them, and cancel delays so
 * in-flight handlers end now.
 */
function close(server: Server, scheduler: Scheduler): Promise<void> {
  scheduler.close();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

function formatHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
