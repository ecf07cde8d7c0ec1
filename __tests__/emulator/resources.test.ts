/** The resource routes, unbatched: OData paging, writes, errors, redirects and headers. */
import { startEmulator, type Emulator } from "../../src/emulator";
import { expectGraphError, getJson, GRAPH_JSON } from "./helpers";

let emulator: Emulator;
let v1: string;
beforeEach(async () => {
  emulator = await startEmulator({ seed: 11 });
  v1 = `${emulator.url}/v1.0`;
});
afterEach(() => emulator.close());

function send(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${v1}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("collections", () => {
  it("pages through every user with $top and absolute nextLinks", async () => {
    const seen: string[] = [];
    let url: string | undefined = `${v1}/users?$top=7&$select=id,displayName`;
    let pages = 0;
    while (url) {
      const page = await getJson(url);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe(GRAPH_JSON);
      expect(page.body["@odata.context"]).toBe(`${v1}/$metadata#users(id,displayName)`);
      for (const user of page.body.value) expect(Object.keys(user).sort()).toEqual(["displayName", "id"]);
      seen.push(...page.body.value.map((user: { id: string }) => user.id));
      url = page.body["@odata.nextLink"];
      if (url) expect(url).toMatch(new RegExp(`^${v1}/users\\?.*\\$skiptoken=`));
      pages++;
    }
    expect(pages).toBe(5); // 30 users, 7 per page
    expect(seen).toEqual(emulator.directory.users.map((user) => user.id));
  });

  it("uses Graph's default page size without $top", async () => {
    const mail = await getJson(`${v1}/me/messages`);
    expect(mail.body.value).toHaveLength(5);
    expect(mail.body["@odata.nextLink"]).toBeUndefined();
    expect(mail.body["@odata.context"]).toBe(`${v1}/$metadata#users('u-0001')/messages`);
  });

  it.each([
    ["an unknown $select property", "/users?$select=id,shoeSize", /shoeSize/],
    ["a $top of 0", "/users?$top=0", /page size/],
    ["a $top above the limit", "/users?$top=1000", /page size/],
    ["an unsupported query option", "/users?$filter=startswith(displayName,'A')", /\$filter/],
    ["a forged $skiptoken", "/users?$skiptoken=garbage", /skiptoken/],
  ])("answers 400 to %s", async (_label, path, message) => {
    const { status, body } = await getJson(`${v1}${path}`);
    expect(status).toBe(400);
    expectGraphError(body, "BadRequest");
    expect(body.error.message).toMatch(message);
  });

  it("lists group members and owners as directoryObjects", async () => {
    const group = emulator.directory.groups[2];
    const members = await getJson(`${v1}/groups/${group.id}/members?$select=id`);
    expect(members.body.value).toEqual(group.memberIds.map((id) => ({ "@odata.type": "#microsoft.graph.user", id })));
    const owners = await getJson(`${v1}/groups/${group.id}/owners`);
    expect(owners.body.value.map((owner: { id: string }) => owner.id)).toEqual(group.ownerIds);
  });
});

describe("entities", () => {
  it("treats /me as the first user, and finds users by userPrincipalName", async () => {
    const me = await getJson(`${v1}/me`);
    const first = emulator.directory.users[0];
    expect(me.body).toMatchObject({ id: first.id, displayName: first.displayName, mail: first.mail });
    const byUpn = await getJson(`${v1}/users/${encodeURIComponent(first.userPrincipalName.toUpperCase())}?$select=id`);
    expect(byUpn.body).toEqual({ "@odata.context": `${v1}/$metadata#users(id)/$entity`, id: first.id });
  });

  it("answers the manager as another user", async () => {
    const user = emulator.directory.users[9];
    const manager = await getJson(`${v1}/users/${user.id}/manager`);
    expect(manager.status).toBe(200);
    expect(manager.body).toMatchObject({ "@odata.type": "#microsoft.graph.user", id: user.managerId });
    expect(manager.body.id).not.toBe(user.id);
  });

  it("serves the same data under /beta", async () => {
    const beta = await getJson(`${emulator.url}/beta/groups/g-0004`);
    expect(beta.body).toMatchObject({ id: "g-0004", displayName: emulator.directory.groups[3].displayName });
  });
});

describe("writes", () => {
  it("creates a message: 201 with the new id, counted once", async () => {
    const response = await send("POST", "/me/messages", { subject: "Hello", body: { contentType: "HTML", content: "<p>Hi there</p>" } });
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created).toMatchObject({ id: "m-0001-006", subject: "Hello", bodyPreview: "Hi there", isRead: false });
    expect(emulator.directory.findMessage("u-0001", "m-0001-006")?.body.contentType).toBe("html");
    expect(emulator.stats.writes).toEqual({ "POST /me/messages": 1 });
  });

  it("patches a user with 204, a message with 200 and the entity, a group with 204", async () => {
    expect((await send("PATCH", "/users/u-0002", { jobTitle: "Chief Emulator" })).status).toBe(204);
    expect(emulator.directory.users[1].jobTitle).toBe("Chief Emulator");

    const patched = await send("PATCH", "/users/u-0002/messages/m-0002-003", { isRead: true, subject: "Re: done" });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: "m-0002-003", isRead: true, subject: "Re: done" });

    expect((await send("PATCH", "/groups/g-0001", { description: "New" })).status).toBe(204);
    expect(emulator.directory.groups[0].description).toBe("New");

    expect(emulator.stats.writes).toEqual({
      "PATCH /users/u-0002": 1,
      "PATCH /users/u-0002/messages/m-0002-003": 1,
      "PATCH /groups/g-0001": 1,
    });
  });

  it("rejects unknown, read-only and ill-typed properties", async () => {
    for (const body of [{ shoeSize: 42 }, { id: "u-9" }, { jobTitle: 7 }]) {
      const response = await send("PATCH", "/users/u-0002", body);
      expect(response.status).toBe(400);
      expectGraphError(await response.json());
    }
  });

  it("deletes a message with 204, after which it is gone", async () => {
    expect((await send("DELETE", "/me/messages/m-0001-002")).status).toBe(204);
    const again = await send("GET", "/me/messages/m-0001-002");
    expect(again.status).toBe(404);
    expectGraphError(await again.json(), "ResourceNotFound");
    expect(emulator.directory.messages("u-0001").map((m) => m.id)).not.toContain("m-0001-002");
    expect(emulator.stats.writes).toEqual({ "DELETE /me/messages/m-0001-002": 1 });
  });

  it("adds a group member with $ref, and refuses a second time", async () => {
    const group = emulator.directory.groups[0];
    const outsider = emulator.directory.users.find((user) => !group.memberIds.includes(user.id))!;
    const reference = { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${outsider.id}` };

    expect((await send("POST", `/groups/${group.id}/members/$ref`, reference)).status).toBe(204);
    expect(group.memberIds).toContain(outsider.id);

    const twice = await send("POST", `/groups/${group.id}/members/$ref`, reference);
    expect(twice.status).toBe(400);
    expectGraphError(await twice.json(), "Request_BadRequest");
    expect(emulator.stats.writes).toEqual({ [`POST /groups/${group.id}/members/$ref`]: 2 });
  });
});

describe("errors", () => {
  it("answers 404 with Graph's error shape for an unknown entity or segment", async () => {
    const user = await getJson(`${v1}/users/u-9999`);
    expect(user.status).toBe(404);
    expectGraphError(user.body, "Request_ResourceNotFound");

    const segment = await getJson(`${v1}/teams/42`);
    expect(segment.status).toBe(404);
    expectGraphError(segment.body, "ResourceNotFound");
    expect(segment.body.error.message).toContain("'teams'");
  });

  it("answers 405 to a wrong method on a known route, without counting a write", async () => {
    const response = await send("DELETE", "/users/u-0001");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, PATCH");
    expectGraphError(await response.json());
    expect(emulator.stats.writes).toEqual({});
  });

  it("answers 400 to an unknown version", async () => {
    const { status, body } = await getJson(`${emulator.url}/v2.0/me`);
    expect(status).toBe(400);
    expectGraphError(body, "BadRequest");
  });

  it("answers 400 to invalid JSON", async () => {
    const response = await fetch(`${v1}/me/messages`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{oops" });
    expect(response.status).toBe(400);
    expectGraphError(await response.json());
  });
});

describe("headers", () => {
  it("sends request-id, echoes client-request-id and matches the error's request-id", async () => {
    const response = await fetch(`${v1}/users/nobody`, { headers: { "client-request-id": "my-id-1" } });
    expect(response.headers.get("client-request-id")).toBe("my-id-1");
    const requestId = response.headers.get("request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await response.json()).error.innerError["request-id"]).toBe(requestId);
  });

  it("sets Content-Length so that connections are kept alive", async () => {
    const response = await fetch(`${v1}/me`);
    const text = await response.text();
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(response.headers.get("connection")).toBe("keep-alive");
  });
});

describe("drive content", () => {
  it("redirects /content with 302 to a signed download URL that serves the bytes", async () => {
    const redirect = await fetch(`${v1}/me/drive/items/i-0001-001/content`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get("location")!;
    expect(location).toMatch(new RegExp(`^${emulator.url}/_download/i-0001-001\\?sig=`));

    const download = await fetch(location);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/octet-stream");
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.equals(emulator.directory.findDriveItem("u-0001", "i-0001-001")!.content)).toBe(true);
    expect(emulator.stats.httpCalls).toMatchObject({ total: 2, single: 1, download: 1 });

    const forged = await fetch(location.replace(/sig=.*/, "sig=forged"));
    expect(forged.status).toBe(401);
    expectGraphError(await forged.json());
  });

  it("follows the redirect like a client would", async () => {
    const followed = await fetch(`${v1}/users/u-0004/drive/items/i-0004-002/content`);
    expect(followed.status).toBe(200);
    expect(Buffer.from(await followed.arrayBuffer()).equals(emulator.directory.findDriveItem("u-0004", "i-0004-002")!.content)).toBe(true);
  });

  it("returns item metadata with a download URL", async () => {
    const { body } = await getJson(`${v1}/me/drive/items/i-0001-001`);
    const item = emulator.directory.findDriveItem("u-0001", "i-0001-001")!;
    expect(body).toMatchObject({ id: item.id, name: item.name, size: item.content.length, file: { mimeType: item.mimeType } });
    expect(body["@microsoft.graph.downloadUrl"]).toMatch(new RegExp(`^${emulator.url}/_download/`));
  });
});
