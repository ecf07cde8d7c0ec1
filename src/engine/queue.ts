/**
 * The waiting line of one batch endpoint: units (requests that travel together) in arrival
 * order. A plain array with a moving head, because `Array.prototype.shift` is linear and a
 * fan-out of 10,000 requests would make taking batches quadratic.
 */
export interface Sequenced {
  readonly seq: number;
}

export class UnitQueue<T extends Sequenced> {
  private units: T[][] = [];
  private head = 0;

  get length(): number {
    return this.units.length - this.head;
  }

  /** The first unit, or undefined when empty. */
  peek(): T[] | undefined {
    return this.units[this.head];
  }

  shift(): T[] | undefined {
    if (this.head >= this.units.length) return undefined;
    const unit = this.units[this.head];
    this.units[this.head++] = undefined as unknown as T[];
    if (this.head > 1024 && this.head * 2 > this.units.length) {
      this.units = this.units.slice(this.head);
      this.head = 0;
    }
    return unit;
  }

  push(unit: T[]): void {
    this.units.push(unit);
  }

  /** Puts a unit back in arrival order (a retry keeps its place ahead of newer requests). */
  insertInOrder(unit: T[]): void {
    let index = this.units.length;
    while (index > this.head && this.units[index - 1][0].seq > unit[0].seq) index--;
    this.units.splice(index, 0, unit);
  }

  /** Takes one request out of whichever unit holds it; true if found. */
  remove(item: T): boolean {
    for (let i = this.head; i < this.units.length; i++) {
      const index = this.units[i].indexOf(item);
      if (index < 0) continue;
      this.units[i].splice(index, 1);
      if (this.units[i].length === 0) this.units.splice(i, 1);
      return true;
    }
    return false;
  }
}
