/**
 * The `$batch` call travels the way its requests would (issue 12): every HTTP call made on
 * callers' behalf carries their transport options (fetchOptions or `.option(...)`, a RequestInit's
 * fields in the other front doors), and requests whose transport options differ never share one.
 */
import {
  AuthenticationHandler,
  Client,
  Context,
  HTTPMessageHandler,
  Middleware,
  RedirectHandler,
  RetryHandler,
} from "@microsoft/microsoft-graph-client";
import http from "node:http";
import { Agent, ProxyAgent } from "undici";
import { BatchingMiddleware, createBatchingMiddlewareChain } from "../../src";
import { createBatchingFetch } from "../../src/adapters/fetch";
import { BatchingHandler } from "../../src/adapters/kiota";
import { startEmulator, type Emulator } from "../../src/emulator";
import { tokenProvider } from "../helpers/clients";
import { startForwardProxy, type ForwardProxy } from "../helpers/forwardProxy";

let emulator: Emulator;
let proxy: ForwardProxy | undefined;
const dispatchers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await emulator?.close();
  await proxy?.close();
  proxy = undefined;
  await Promise.all(dispatchers.splice(0).map((d) => d.close()));
});

function dispatcher<T extends { close(): Promise<void> }>(made: T): T {
  dispatchers.push(made);
  return made;
}

const hosts = () => [`127.0.0.1:${emulator.port}`];
const totalCalls = () => emulator.stats.httpCalls.total;

interface Recorded {
  url: string;
  options: Record<string, unknown>;
  subUrls: string[];
}

/** A link just before the HTTP handler: what each HTTP call really carries. */
class Recorder implements Middleware {
  readonly calls: Recorded[] = [];
  private next?: Middleware;
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const options = { ...(context.options ?? {}) } as Record<string, unknown>;
    const body = typeof options.body === "string" && String(context.request).endsWith("/$batch") ? JSON.parse(options.body) : undefined;
    this.calls.push({ url: String(context.request), options, subUrls: body ? body.requests.map((r: { url: string }) => r.url) : [] });
    await this.next!.execute(context);
  }
  batches(): Recorded[] {
    return this.calls.filter((call) => call.url.endsWith("/$batch"));
  }
}

/** The SDK's chain, batching first, with a recorder in front of the HTTP handler. */
function recordedChain(): { middleware: Middleware[]; recorder: Recorder } {
  const recorder = new Recorder();
  return {
    recorder,
    middleware: [new BatchingMiddleware({ hosts: hosts() }), new AuthenticationHandler(tokenProvider()), new RetryHandler(), new RedirectHandler(), recorder, new HTTPMessageHandler()],
  };
}

describe("the v3 client behind a forward proxy", () => {
  test("every call ($batch, nextLink, redirect follow, a request alone) goes through the proxy; a client without the option goes direct", async () => {
    emulator = await startEmulator({ faults: { batchNextLinkRate: 1 } });
    proxy = await startForwardProxy();
    const viaProxy = Client.initWithMiddleware({
      baseUrl: emulator.url,
      middleware: createBatchingMiddlewareChain(tokenProvider(), { hosts: hosts() }),
      fetchOptions: { dispatcher: dispatcher(new ProxyAgent(proxy.url)) } as RequestInit,
    });
    const users = emulator.directory.users.slice(0, 25);
    const owner = emulator.directory.users[1].id;
    const [fetched, file] = await Promise.all([
      Promise.all(users.map((u) => viaProxy.api(`/users/${u.id}`).get())),
      viaProxy.api(`/users/${owner}/drive/items/i-0002-001/content`).getStream(),
    ]);
    expect(fetched.map((u: { id: string }) => u.id)).toEqual(users.map((u) => u.id));
    expect(file).toBeDefined();
    const alone = await viaProxy.api("/me").get();
    expect(alone.id).toBe(emulator.directory.users[0].id);

    const calls = emulator.stats.httpCalls;
    expect(calls.batch).toBeGreaterThanOrEqual(2);
    expect(calls.batchNextLink).toBeGreaterThanOrEqual(1);
    expect(calls.download).toBe(1);
    expect(calls.single).toBe(1);
    // Every call the emulator answered came through the proxy, and nothing else did.
    expect(proxy.requests).toHaveLength(totalCalls());
    const paths = proxy.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(expect.arrayContaining(["POST /v1.0/$batch", "GET /v1.0/me", expect.stringMatching(/^GET \/v1\.0\/\$batch\/next\//), expect.stringMatching(/^GET \/_download\//)]));

    const direct = Client.initWithMiddleware({ baseUrl: emulator.url, middleware: createBatchingMiddlewareChain(tokenProvider(), { hosts: hosts() }) });
    const before = { proxied: proxy.requests.length, answered: totalCalls() };
    await Promise.all(users.slice(0, 5).map((u) => direct.api(`/users/${u.id}`).get()));
    expect(totalCalls()).toBeGreaterThan(before.answered);
    expect(proxy.requests).toHaveLength(before.proxied);
  });
});

describe("requests whose transport options differ never share a $batch", () => {
  test("two clients on one chain with different agents: each $batch holds one client's requests and carries its agent", async () => {
    emulator = await startEmulator();
    const { middleware, recorder } = recordedChain();
    // An undici dispatcher for Node's fetch, and an http.Agent as node-fetch (and Microsoft's proxy docs) use.
    const [agentA, agentB] = [dispatcher(new Agent()), dispatcher(new Agent())];
    const [httpAgentA, httpAgentB] = [new http.Agent(), new http.Agent()];
    const clientA = Client.initWithMiddleware({ baseUrl: emulator.url, middleware, fetchOptions: { dispatcher: agentA, agent: httpAgentA } as RequestInit });
    const clientB = Client.initWithMiddleware({ baseUrl: emulator.url, middleware, fetchOptions: { dispatcher: agentB, agent: httpAgentB } as RequestInit });
    const ids = emulator.directory.users.slice(0, 16).map((u) => u.id);
    // Interleaved, in one tick.
    const results = await Promise.all(ids.map((id, i) => (i % 2 ? clientB : clientA).api(`/users/${id}`).get()));
    expect(results.map((u: { id: string }) => u.id)).toEqual(ids);

    const batches = recorder.batches();
    expect(batches).toHaveLength(2);
    for (const batch of batches) {
      const owner = batch.options.dispatcher === agentA ? 0 : 1;
      expect(batch.options.dispatcher).toBe(owner === 0 ? agentA : agentB);
      expect(batch.options.agent).toBe(owner === 0 ? httpAgentA : httpAgentB);
      expect(batch.subUrls).toEqual(ids.filter((_, i) => i % 2 === owner).map((id) => `/users/${id}`));
    }
  });

  test("a per-request .option('cache', 'no-store') travels with its own batch, and keeps it from requests without it", async () => {
    emulator = await startEmulator();
    const { middleware, recorder } = recordedChain();
    const client = Client.initWithMiddleware({ baseUrl: emulator.url, middleware, fetchOptions: { credentials: "include", keepalive: true } });
    const ids = emulator.directory.users.slice(0, 6).map((u) => u.id);
    await Promise.all(ids.map((id, i) => (i < 3 ? client.api(`/users/${id}`).option("cache", "no-store") : client.api(`/users/${id}`)).get()));

    const batches = recorder.batches();
    expect(batches).toHaveLength(2);
    const noStore = batches.find((b) => b.options.cache === "no-store")!;
    const plain = batches.find((b) => b.options.cache === undefined)!;
    expect(noStore.subUrls).toEqual(ids.slice(0, 3).map((id) => `/users/${id}`));
    expect(plain.subUrls).toEqual(ids.slice(3).map((id) => `/users/${id}`));
    // The client's own fetchOptions are on both; the request's own fields are the batch's.
    for (const batch of batches) expect(batch.options).toMatchObject({ credentials: "include", keepalive: true, method: "POST" });
  });

  test("options equal by value share a batch; agents are compared by identity", async () => {
    emulator = await startEmulator();
    const { middleware, recorder } = recordedChain();
    const client = Client.initWithMiddleware({ baseUrl: emulator.url, middleware });
    const [agentA, agentB] = [dispatcher(new Agent()), dispatcher(new Agent())];
    const ids = emulator.directory.users.slice(0, 6).map((u) => u.id);
    await Promise.all([
      client.api(`/users/${ids[0]}`).option("keepalive", true).get(),
      client.api(`/users/${ids[1]}`).option("keepalive", true).get(),
      client.api(`/users/${ids[2]}`).option("dispatcher", agentA).get(),
      client.api(`/users/${ids[3]}`).option("dispatcher", agentA).get(),
      client.api(`/users/${ids[4]}`).option("dispatcher", agentB).get(),
      client.api(`/users/${ids[5]}`).option("dispatcher", agentB).get(),
    ]);
    const batches = recorder.batches();
    expect(batches.map((b) => b.subUrls.length)).toEqual([2, 2, 2]);
    expect(batches.map((b) => b.options.dispatcher ?? b.options.keepalive)).toEqual([true, agentA, agentB]);
  });
});

describe("the other front doors", () => {
  /** A fetch that records what each HTTP call carries besides the request itself. */
  function recordingFetch() {
    const calls: { url: string; init: RequestInit; subUrls: string[] }[] = [];
    const impl: typeof fetch = (input, init = {}) => {
      const subUrls = String(input).endsWith("/$batch") ? JSON.parse(String(init.body)).requests.map((r: { url: string }) => r.url) : [];
      calls.push({ url: String(input), init, subUrls });
      return fetch(input, init);
    };
    return { calls, impl };
  }

  test("the batching fetch: init fields are the transport options, carried by the $batch call and its nextLink GET, never mixed", async () => {
    emulator = await startEmulator({ faults: { batchNextLinkRate: 1 } });
    const { calls, impl } = recordingFetch();
    const graphFetch = createBatchingFetch(impl, { hosts: hosts() });
    const agent = dispatcher(new Agent());
    const ids = emulator.directory.users.slice(0, 6).map((u) => u.id);
    const init = (i: number): RequestInit => (i < 3 ? ({ dispatcher: agent, keepalive: true } as RequestInit) : { credentials: "include" });
    const responses = await Promise.all(ids.map((id, i) => graphFetch(`${emulator.url}/v1.0/users/${id}`, init(i))));
    expect(await Promise.all(responses.map((r) => r.json().then((u) => u.id)))).toEqual(ids);

    const batches = calls.filter((c) => c.url.endsWith("/$batch"));
    expect(batches).toHaveLength(2);
    const withAgent = batches.find((b) => (b.init as { dispatcher?: unknown }).dispatcher === agent)!;
    expect(withAgent.init).toMatchObject({ keepalive: true, method: "POST" });
    expect(withAgent.subUrls).toEqual(ids.slice(0, 3).map((id) => `/users/${id}`));
    const withCredentials = batches.find((b) => b.init.credentials === "include")!;
    expect(withCredentials.subUrls).toEqual(ids.slice(3).map((id) => `/users/${id}`));
    const pages = calls.filter((c) => c.url.includes("/$batch/next/"));
    expect(pages).toHaveLength(2);
    expect(pages.map((p) => (p.init as { dispatcher?: unknown }).dispatcher ?? p.init.credentials).sort()).toEqual([agent, "include"].sort());
  });

  test("the Kiota handler: RequestInit fields are carried down the chain with the $batch call, and split batches", async () => {
    emulator = await startEmulator();
    const { calls, impl } = recordingFetch();
    const handler = new BatchingHandler({ hosts: hosts() });
    handler.next = { execute: (url: string, init: RequestInit) => impl(url, init) } as BatchingHandler["next"];
    const ids = emulator.directory.users.slice(0, 4).map((u) => u.id);
    const responses = await Promise.all(
      ids.map((id, i) => handler.execute(`${emulator.url}/v1.0/users/${id}`, { method: "GET", headers: { authorization: "Bearer k" }, ...(i % 2 ? { cache: "no-store" as const } : {}) })),
    );
    expect(await Promise.all(responses.map((r) => r.json().then((u) => u.id)))).toEqual(ids);
    const batches = calls.filter((c) => c.url.endsWith("/$batch"));
    expect(batches).toHaveLength(2);
    const noStore = batches.find((b) => b.init.cache === "no-store")!;
    expect(noStore.subUrls).toEqual([ids[1], ids[3]].map((id) => `/users/${id}`));
    expect(noStore.init.headers).toMatchObject({ authorization: "Bearer k" });
    expect(batches.find((b) => b.init.cache === undefined)!.subUrls).toEqual([ids[0], ids[2]].map((id) => `/users/${id}`));
  });
});
