/**
 * Whatever the rest of the chain throws while sending a `$batch` reaches each caller as its own
 * request would have got it unbatched: same name, code, statusCode and message.
 */
import nock from "nock";
import { Client, Context, Middleware, MiddlewareFactory, type AuthenticationProvider } from "@microsoft/microsoft-graph-client";
import { BatchingMiddleware } from "../src";
import { outcome } from "./helpers/clients";
import { GRAPH } from "./helpers/scriptedBatches";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** What @azure/identity's ClientSecretCredential throws for a wrong secret, as the provider passes it on. */
class AuthenticationError extends Error {
  readonly statusCode = 401;
  constructor() {
    super("ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.");
    this.name = "AuthenticationError";
  }
}
const failingCredential: AuthenticationProvider = { getAccessToken: () => Promise.reject(new AuthenticationError()) };

/** The user's own middleware, failing the way middlewares fail. */
class Exploding implements Middleware {
  private next?: Middleware;
  setNext(next: Middleware) {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    if (context.request) throw Object.assign(new RangeError("quota middleware: budget exhausted"), { code: "QuotaExceeded" });
    return this.next!.execute(context);
  }
}

const urls = ["/users/a", "/users/b", "/users/c"];
async function compare(chain: () => Middleware[]) {
  const unbatched = await outcome(Client.initWithMiddleware({ middleware: chain() }).api("/users/a").get());
  const client = Client.initWithMiddleware({ middleware: [new BatchingMiddleware(), ...chain()] });
  const batched = await Promise.all(urls.map((u) => outcome(client.api(u).get())));
  return { unbatched, batched };
}

test("a credential that fails: batched callers get the unbatched GraphError (code AuthenticationError, the AADSTS message)", async () => {
  const { unbatched, batched } = await compare(() => MiddlewareFactory.getDefaultMiddlewareChain(failingCredential));
  expect(unbatched).toMatchObject({ ok: false, error: { code: "AuthenticationError", message: expect.stringContaining("AADSTS7000215") } });
  for (const b of batched) expect(b).toEqual(unbatched);
});

test("a custom middleware that throws: batched callers get what unbatched callers get", async () => {
  const { unbatched, batched } = await compare(() => [new Exploding(), ...MiddlewareFactory.getDefaultMiddlewareChain({ getAccessToken: async () => "t" })]);
  expect(unbatched).toMatchObject({ ok: false, error: { message: "quota middleware: budget exhausted" } });
  for (const b of batched) expect(b).toEqual(unbatched);
  expect(nock.pendingMocks()).toEqual([]);
});
