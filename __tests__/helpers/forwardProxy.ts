/**
 * A real forward proxy on loopback, as a corporate network has: clients open a CONNECT tunnel
 * (undici's ProxyAgent always does) and send their HTTP through it. The proxy reads the requests
 * inside each tunnel (the targets are plain http on loopback, so the tunnel carries clear text)
 * and forwards them to the host they name, so it can count every call that took this road.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ForwardProxy {
  readonly url: string;
  /** Every request that went through the proxy, in arrival order. */
  readonly requests: { method: string; path: string }[];
  close(): Promise<void>;
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const requests: { method: string; path: string }[] = [];
  const sockets = new Set<Socket>();

  // The tunnel's far end: a plain HTTP server whose requests are relayed to their Host.
  const relay = http.createServer((request, response) => {
    requests.push({ method: request.method ?? "", path: request.url ?? "" });
    const [hostname, port] = (request.headers.host ?? "").split(":");
    // A connection per request upstream: reusing an idle one races the server closing it.
    const upstream = http.request({ hostname, port: Number(port || 80), method: request.method, path: request.url, headers: request.headers, agent: false }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });

  const proxy = http.createServer((_request, response) => {
    response.writeHead(405).end("this proxy only tunnels (CONNECT)");
  });
  // Tunnels stay open as long as the client keeps them (undici pools them).
  relay.keepAliveTimeout = 60_000;
  proxy.on("connect", (_request, socket: Socket, head: Buffer) => {
    sockets.add(socket);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) socket.unshift(head);
    relay.emit("connection", socket);
  });

  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      relay.close();
    },
  };
}
