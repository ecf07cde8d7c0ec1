/**
 * Collect: the window. Requests that reach the middleware close together are gathered here and
 * handed on together when the window closes.
 */

type Scheduled = { cancel(): void };

/**
 * When does a window with windowMs = 0 close? The SDK reaches the middleware only after a few
 * promise hops (`get()` → `send()` → `sendRequest()` → `execute()`), and callers often add their
 * own (`ids.map(async id => ...)`). A microtask or `process.nextTick` would close the window
 * between those hops and split one `Promise.all` into many batches. `setImmediate` runs only once
 * the current macrotask, every promise job it queued (transitively) and every nextTick have run:
 * everything the caller started synchronously has reached us by then, and nothing waits on I/O
 * or a timer. (This is DataLoader's "after pending promise jobs", made robust to nextTick users.)
 * Browsers have no setImmediate; setTimeout(0) also runs after the microtask queue drains.
 */
function scheduleSoon(fn: () => void): Scheduled {
  if (typeof setImmediate === "function") {
    const handle = setImmediate(fn);
    return { cancel: () => clearImmediate(handle) };
  }
  const handle = setTimeout(fn, 0);
  return { cancel: () => clearTimeout(handle) };
}

function scheduleAfter(ms: number, fn: () => void): Scheduled {
  const handle = setTimeout(fn, ms);
  return { cancel: () => clearTimeout(handle) };
}

export class Window<T> {
  private items: T[] = [];
  private scheduled?: Scheduled;
  /** Requests of this window still being prepared (a Blob body being read). */
  private readonly holds = new Set<Promise<unknown>>();

  constructor(
    private readonly windowMs: number,
    private readonly onClose: (items: T[]) => void,
  ) {}

  add(item: T): void {
    this.items.push(item);
    this.open();
  }

  /**
   * Keeps the window open until `preparing` settles: a request whose body must be read
   * asynchronously (a Blob) was issued in this window and must not miss it.
   */
  hold(preparing: Promise<unknown>): void {
    const settled = preparing.then(
      () => undefined,
      () => undefined,
    );
    this.holds.add(settled);
    void settled.then(() => this.holds.delete(settled));
    this.open();
  }

  private open(): void {
    // The window opens with its first request: a time window is measured from it, so no
    // request waits longer than windowMs for the window to close.
    this.scheduled ??= this.windowMs > 0 ? scheduleAfter(this.windowMs, () => this.close()) : scheduleSoon(() => this.close());
  }

  /** Takes an item out (an abort before the window closed). True if it was there. */
  remove(item: T): boolean {
    const index = this.items.indexOf(item);
    if (index < 0) return false;
    this.items.splice(index, 1);
    if (this.items.length === 0 && this.holds.size === 0) {
      this.scheduled?.cancel();
      this.scheduled = undefined;
    }
    return true;
  }

  /** The requests in the window now. */
  get pending(): readonly T[] {
    return this.items;
  }

  private close(): void {
    if (this.holds.size > 0) {
      // Close once what is being prepared has joined; requests arriving meanwhile join too.
      void Promise.all(this.holds).then(() => this.close());
      return;
    }
    const items = this.items;
    this.items = [];
    this.scheduled = undefined;
    if (items.length > 0) this.onClose(items);
  }
}
