/**
 * The native Response a sub-response becomes. It is a real `Response` (status, headers,
 * `instanceof Response`), built with a null body and the decoded payload kept aside: Node's
 * `new Response(string)` wraps every body in a web stream (15-25 µs), and reading it back
 * through that stream with `json()` costs about 45 µs more, while most callers only ever call
 * `json()` once. The stream is built only if someone asks for `body`, `blob()`, `formData()` or a
 * clone after reading; from then on everything is the real Response's.
 */
export type Payload = string | Uint8Array<ArrayBuffer>;

const BODY_USED = "Body is unusable: Body has already been read";

export class LazyBodyResponse extends Response {
  private readonly payload: Payload | null;
  private readonly init: ResponseInit;
  private materialized: Response | undefined;
  private consumed = false;

  constructor(payload: Payload | null, init: ResponseInit) {
    super(null, init);
    this.payload = payload;
    this.init = init;
  }

  /** The real Response with a stream body, made on first need; already read if we were. */
  private real(): Response {
    if (!this.materialized) {
      this.materialized = new Response(this.payload, this.init);
      // Reading locks the stream at once, so the real Response is "used" from here on, as we were.
      if (this.consumed) this.materialized.arrayBuffer().catch(() => undefined);
    }
    return this.materialized;
  }

  override get body(): Response["body"] {
    if (this.payload === null && !this.materialized) return null;
    return this.real().body;
  }

  override get bodyUsed(): boolean {
    return this.materialized ? this.materialized.bodyUsed : this.consumed;
  }

  /** Takes the payload once, as reading a body does; a null body can be read any number of times. */
  private take(): Payload | null {
    if (this.payload === null) return null;
    if (this.consumed) throw new TypeError(BODY_USED);
    this.consumed = true;
    return this.payload;
  }

  override async text(): Promise<string> {
    if (this.materialized) return this.materialized.text();
    const payload = this.take();
    if (payload === null) return "";
    return typeof payload === "string" ? payload : new TextDecoder().decode(payload);
  }

  override async json(): Promise<any> {
    if (this.materialized) return this.materialized.json();
    return JSON.parse(await this.text());
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.materialized) return this.materialized.arrayBuffer();
    const payload = this.take();
    if (payload === null) return new ArrayBuffer(0);
    const bytes = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  override blob(): Promise<Blob> {
    return this.real().blob();
  }

  override formData(): Promise<FormData> {
    return this.real().formData();
  }

  override clone(): Response {
    if (this.materialized) return withUrl(this.materialized.clone(), this.url);
    if (this.consumed) throw new TypeError("Response.clone: Body has already been consumed.");
    return withUrl(new LazyBodyResponse(this.payload, this.init), this.url);
  }
}

/** A Response built by hand has an empty `url`; callers and RedirectHandler read it. */
export function withUrl<T extends Response>(response: T, url: string): T {
  Object.defineProperty(response, "url", { value: url });
  return response;
}
