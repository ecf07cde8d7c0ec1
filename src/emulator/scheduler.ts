/**
 * Cancellable delays. close() must not leave timers behind (they would keep
 * the process alive), and a handler waiting on a delay must learn that the
 * emulator is gone instead of hanging forever: its delay rejects.
 */

/** Rejection of every pending and future delay once the emulator is closed. */
export class EmulatorClosedError extends Error {
  constructor() {
    super("The Graph emulator was closed");
    this.name = "EmulatorClosedError";
  }
}

export class Scheduler {
  private readonly pending = new Map<NodeJS.Timeout, (error: Error) => void>();
  private closed = false;

  /**
   * Waits `ms` milliseconds. Zero resolves without a timer, which keeps
   * latency-free runs (soak tests) fast.
   */
  delay(ms: number): Promise<void> {
    if (this.closed) return Promise.reject(new EmulatorClosedError());
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, reject);
    });
  }

  close(): void {
    this.closed = true;
    for (const [timer, reject] of this.pending) {
      clearTimeout(timer);
      reject(new EmulatorClosedError());
    }
    this.pending.clear();
  }
}
