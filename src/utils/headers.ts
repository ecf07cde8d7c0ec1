/** Header helpers: callers hand us plain objects, `Headers` instances or tuples. */

export type HeaderRecord = Record<string, string>;

/** Normalises any `HeadersInit` into a plain record, keeping the caller's name casing. */
export function toHeaderRecord(init: HeadersInit | undefined): HeaderRecord {
  const out: HeaderRecord = {};
  if (!init) return out;
  if (typeof Headers !== "undefined" && init instanceof Headers) {
    init.forEach((value, name) => (out[name] = value));
  } else if (Array.isArray(init)) {
    for (const [name, value] of init) out[name] = String(value);
  } else {
    for (const [name, value] of Object.entries(init)) {
      if (value !== undefined && value !== null) out[name] = String(value);
    }
  }
  return out;
}

/** Case-insensitive lookup in a plain record. */
export function getHeader(headers: HeaderRecord, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === wanted) return headers[key];
  }
  return undefined;
}

/** The media type of a Content-Type value, lower-cased and without parameters. */
export function mediaType(contentType: string | undefined | null): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

export function isJsonMediaType(type: string): boolean {
  return type === "application/json" || type.endsWith("+json");
}

export function isTextMediaType(type: string): boolean {
  return type.startsWith("text/");
}
