/**
 * The browser test's page: the real SDK and the middleware, bundled by esbuild, calling the
 * emulator from another origin. Each check runs in the page and returns plain data to the test.
 */
import { Client, GraphError, MiddlewareFactory, ResponseType } from "@microsoft/microsoft-graph-client";
import { createBatchingMiddlewareChain } from "../../src";

const authProvider = { getAccessToken: async () => "browser-token" };

function client(emulator: string): Client {
  return Client.initWithMiddleware({ baseUrl: emulator, middleware: createBatchingMiddlewareChain(authProvider, { hosts: [new URL(emulator).host] }) });
}

const checks = {
  /** The SDK's browser chain has no RedirectHandler: what the middleware's chain holds here. */
  chain(): string[] {
    return createBatchingMiddlewareChain(authProvider).map((m) => m.constructor.name);
  },

  async users(emulator: string, ids: string[]): Promise<string[]> {
    const graph = client(emulator);
    const users = await Promise.all(ids.map((id) => graph.api(`/users/${id}`).get()));
    return users.map((u: { id: string }) => u.id);
  },

  async notFound(emulator: string): Promise<{ isGraphError: boolean; statusCode: number; code: string; other: string }> {
    const graph = client(emulator);
    const [missing, other] = await Promise.all([graph.api("/users/nobody").get().catch((e: unknown) => e), graph.api("/me").get()]);
    const error = missing as GraphError;
    return { isGraphError: error instanceof GraphError, statusCode: error.statusCode, code: error.code ?? "", other: other.id };
  },

  async photo(emulator: string, id: string): Promise<{ contentType: string | null; bytes: number[]; other: string }> {
    const graph = client(emulator);
    const [raw, other] = await Promise.all([graph.api(`/users/${id}/photo/$value`).responseType(ResponseType.RAW).get() as Promise<Response>, graph.api("/me").get()]);
    return { contentType: raw.headers.get("content-type"), bytes: [...new Uint8Array(await raw.arrayBuffer())], other: other.id };
  },

  async abort(emulator: string, ids: string[]): Promise<string[]> {
    const graph = client(emulator);
    const controller = new AbortController();
    const calls = ids.map((id, i) =>
      graph
        .api(`/users/${id}`)
        .option("signal", i === 1 ? controller.signal : undefined)
        .get()
        .then(
          (u: { id: string }) => u.id,
          (e: { code?: string; name?: string }) => (e.code === "AbortError" || e.name === "AbortError" ? "aborted" : `error ${e.code ?? e.name}`),
        ),
    );
    controller.abort();
    return Promise.all(calls);
  },
};

(window as unknown as { checks: typeof checks }).checks = checks;
document.body.dataset.ready = "yes";
