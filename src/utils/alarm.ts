/**
 * A timer that fires at the earliest time asked of it: asking for a later time than the one set
 * changes nothing, an earlier one moves it. The engine keeps two: one that wakes held requests,
 * one that announces the end of pauses.
 */
export class Alarm {
  private timer?: ReturnType<typeof setTimeout>;
  private at = Infinity;

  /** `unref`: the alarm holds no caller, and must not keep a Node process alive. */
  constructor(
    private readonly ring: () => void,
    private readonly unref = false,
  ) {}

  /** Rings at `time` (a Date.now() value), unless it is already set to ring earlier. */
  setFor(time: number | undefined): void {
    if (time === undefined || time >= this.at) return;
    if (this.timer) clearTimeout(this.timer);
    this.at = time;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.at = Infinity;
      this.ring();
    }, Math.max(0, time - Date.now()));
    if (this.unref) (this.timer as { unref?: () => void }).unref?.();
  }
}
