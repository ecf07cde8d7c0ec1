/**
 * Binary bodies must survive every path byte for byte: base64 inside a batch
 * (standard and url-safe alphabets), raw bytes unbatched, and the mix of both.
 */
import { startEmulator, type Emulator } from "../../src/emulator";
import { postBatch } from "./helpers";

/** Every byte value, so that a text decoding anywhere would corrupt it. */
const ALL_BYTES = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 256 }, (_, i) => i), 0xfb, 0xff, 0xff, 0xd9]);

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator({ seed: 5 });
});
afterEach(() => emulator.close());

async function getPhotoUnbatched(userId: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(`${emulator.url}/v1.0/users/${userId}/photo/$value`);
  return { status: response.status, type: response.headers.get("content-type"), bytes: Buffer.from(await response.arrayBuffer()) };
}

async function getPhotoBatched(userId: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  const answer = await postBatch(emulator, [{ id: "photo", method: "GET", url: `/users/${userId}/photo/$value` }]);
  const [response] = answer.body.responses;
  expect(typeof response.body).toBe("string");
  return { status: response.status, type: response.headers["Content-Type"], bytes: Buffer.from(response.body, "base64") };
}

it("serves the generated photo as JPEG-looking bytes, identical batched and unbatched", async () => {
  const unbatched = await getPhotoUnbatched("u-0002");
  expect(unbatched).toMatchObject({ status: 200, type: "image/jpeg" });
  expect([...unbatched.bytes.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
  expect([...unbatched.bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
  expect(unbatched.bytes.length).toBeGreaterThan(200);
  expect(unbatched.bytes.subarray(4, -2).some((byte) => byte >= 0x80)).toBe(true);

  const batched = await getPhotoBatched("u-0002");
  expect(batched.type).toBe("image/jpeg");
  expect(batched.bytes.equals(unbatched.bytes)).toBe(true);
  expect(batched.bytes.equals(emulator.directory.photo("u-0002")!.bytes)).toBe(true);
});

it.each([
  ["standard base64", ALL_BYTES.toString("base64")],
  ["base64url", ALL_BYTES.toString("base64url")],
])("round-trips a photo PUT in a batch as %s", async (_label, encoded) => {
  const put = await postBatch(emulator, [
    { id: "put", method: "PUT", url: "/me/photo/$value", headers: { "Content-Type": "image/jpeg" }, body: encoded },
  ]);
  expect(put.body.responses[0]).toEqual({ id: "put", status: 204, headers: {} });
  expect(emulator.stats.writes).toEqual({ "PUT /me/photo/$value": 1 });

  expect((await getPhotoBatched("u-0001")).bytes.equals(ALL_BYTES)).toBe(true);
  expect((await getPhotoUnbatched("u-0001")).bytes.equals(ALL_BYTES)).toBe(true);
});

it("round-trips a photo PUT unbatched", async () => {
  const put = await fetch(`${emulator.url}/v1.0/users/u-0003/photo/$value`, {
    method: "PUT",
    headers: { "Content-Type": "image/jpeg" },
    body: ALL_BYTES,
  });
  expect(put.status).toBe(204);
  expect((await getPhotoBatched("u-0003")).bytes.equals(ALL_BYTES)).toBe(true);
  expect((await getPhotoUnbatched("u-0003")).bytes.equals(ALL_BYTES)).toBe(true);
});

it("round-trips drive item content through a batch PUT and the download URL", async () => {
  const answer = await postBatch(emulator, [
    {
      id: "put",
      method: "PUT",
      url: "/me/drive/items/i-0001-003/content",
      headers: { "Content-Type": "application/octet-stream" },
      body: ALL_BYTES.toString("base64"),
    },
  ]);
  expect(answer.body.responses[0]).toMatchObject({ status: 200, body: { id: "i-0001-003", size: ALL_BYTES.length } });

  const redirect = await fetch(`${emulator.url}/v1.0/me/drive/items/i-0001-003/content`, { redirect: "manual" });
  const download = await fetch(redirect.headers.get("location")!);
  expect(download.headers.get("content-type")).toBe("application/octet-stream");
  expect(Buffer.from(await download.arrayBuffer()).equals(ALL_BYTES)).toBe(true);
});
