/**
 * Base64 helpers that work in Node and in browsers (no Buffer dependency at the call sites).
 * Graph documents "base64 URL-encoded" bodies while its samples use standard base64, so
 * decoding accepts both alphabets and missing padding; encoding emits standard base64.
 */

const hasBuffer = typeof Buffer !== "undefined";

export function bytesToBase64(bytes: Uint8Array): string {
  if (hasBuffer) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

const BASE64_SHAPE = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** Decodes standard or URL-safe base64; returns undefined when the text is not base64 at all. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, "");
  if (!BASE64_SHAPE.test(compact) || compact.replace(/=+$/, "").length % 4 === 1) return undefined;
  const standard = compact.replace(/-/g, "+").replace(/_/g, "/");
  if (hasBuffer) {
    const buf = Buffer.from(standard, "base64");
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  const padded = standard + "===".slice((standard.length + 3) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
