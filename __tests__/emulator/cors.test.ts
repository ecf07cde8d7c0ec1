/** The emulator answers CORS as Graph does, so a page on another origin can call it. */
import { startEmulator, type Emulator } from "../../src/emulator";
import { parseArgs } from "../../src/emulator/cli-args";

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const PAGE = "http://localhost:3000";

test("a preflight is answered with the methods, the headers asked for, and no call counted", async () => {
  emulator = await startEmulator();
  const response = await fetch(`${emulator.url}/v1.0/$batch`, {
    method: "OPTIONS",
    headers: { Origin: PAGE, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type, consistencylevel, sdkversion, client-request-id" },
  });
  expect(response.status).toBe(204);
  expect(response.headers.get("access-control-allow-origin")).toBe("*");
  expect(response.headers.get("access-control-allow-methods")).toBe("GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
  expect(response.headers.get("access-control-allow-headers")).toBe("authorization, content-type, consistencylevel, sdkversion, client-request-id");
  expect(Number(response.headers.get("access-control-max-age"))).toBeGreaterThan(0);
  expect(emulator.stats.httpCalls.total).toBe(0);
});

test("every kind of answer carries Allow-Origin and exposes what callers read", async () => {
  emulator = await startEmulator({ faults: {} });
  const origin = { Origin: PAGE };
  const user = emulator.directory.users[1].id;
  const answers = [
    await fetch(`${emulator.url}/v1.0/users/${user}`, { headers: origin }),
    await fetch(`${emulator.url}/v1.0/users/nobody`, { headers: origin }),
    await fetch(`${emulator.url}/v1.0/$batch`, { method: "POST", headers: { ...origin, "Content-Type": "application/json" }, body: JSON.stringify({ requests: [{ id: "1", method: "GET", url: "/me" }] }) }),
    await fetch(`${emulator.url}/v1.0/users/${user}/drive/items/i-0002-001/content`, { headers: origin, redirect: "manual" }),
  ];
  expect(answers.map((r) => r.status)).toEqual([200, 404, 200, 302]);
  const download = await fetch(answers[3].headers.get("location")!, { headers: origin });
  expect(download.status).toBe(200);
  for (const response of [...answers, download]) {
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const exposed = response.headers.get("access-control-expose-headers")!.toLowerCase().split(", ");
    expect(exposed).toEqual(expect.arrayContaining(["retry-after", "location", "request-id", "client-request-id"]));
  }
});

test("a list of origins: a listed origin gets its own back, another gets no CORS headers and its preflight is refused", async () => {
  emulator = await startEmulator({ cors: { origin: [PAGE, "https://app.contoso.com"] } });
  const mine = await fetch(`${emulator.url}/v1.0/me`, { headers: { Origin: "https://app.contoso.com" } });
  expect(mine.headers.get("access-control-allow-origin")).toBe("https://app.contoso.com");
  expect(mine.headers.get("vary")).toBe("Origin");
  const theirs = await fetch(`${emulator.url}/v1.0/me`, { headers: { Origin: "https://evil.example" } });
  expect(theirs.status).toBe(200); // the server answers; the browser withholds it from the page
  expect(theirs.headers.get("access-control-allow-origin")).toBeNull();
  const preflight = await fetch(`${emulator.url}/v1.0/me`, { method: "OPTIONS", headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "GET" } });
  expect(preflight.status).toBe(403);
});

test("off with cors: false, and by default when listening beyond loopback; bad origins are refused", async () => {
  emulator = await startEmulator({ cors: false });
  expect((await fetch(`${emulator.url}/v1.0/me`, { headers: { Origin: PAGE } })).headers.get("access-control-allow-origin")).toBeNull();
  await emulator.close();
  emulator = await startEmulator({ host: "0.0.0.0" });
  expect((await fetch(`http://127.0.0.1:${emulator.port}/v1.0/me`, { headers: { Origin: PAGE } })).headers.get("access-control-allow-origin")).toBeNull();
  await expect(startEmulator({ cors: { origin: "localhost:3000" } })).rejects.toThrow(/cors\.origin takes/);
  await expect(startEmulator({ cors: { origin: ["http://a.example/path"] } })).rejects.toThrow(RangeError);
});

test("--cors on the command line", () => {
  expect(parseArgs(["--cors", "http://localhost:3000,https://app.contoso.com"])).toMatchObject({ options: { cors: { origin: ["http://localhost:3000", "https://app.contoso.com"] } } });
  expect(parseArgs(["--cors", "*"])).toMatchObject({ options: { cors: { origin: "*" } } });
  expect(parseArgs(["--cors", "off"])).toMatchObject({ options: { cors: false } });
});
