/**
 * A static server on loopback for the browser demo and the browser test: the page is served from
 * its own origin, so every call it makes to the emulator is cross-origin, as a SPA's calls to
 * graph.microsoft.com are (and the emulator's CORS is exercised).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface StaticFile {
  readonly type: string;
  readonly body: string | Uint8Array;
}

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveStatic(files: Record<string, StaticFile>, port = 0): Promise<StaticServer> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const file = files[path];
    if (!file) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "Content-Type": file.type, "Cache-Control": "no-store" }).end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Bundles a page's entry for the browser (ESM, the real SDK inlined), in memory. */
export async function bundle(entry: string): Promise<string> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}
