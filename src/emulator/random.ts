/**
 * Seedable randomness. Math.random cannot be replayed, so everything random in
 * the emulator (data, jitter, faults) draws from these generators instead.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: tiny, fast, and good enough for simulation (not for crypto). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes a seed with a label and an index into an independent seed. Data that
 * is generated lazily gets its own stream this way, so the result does not
 * depend on the order in which tests happen to touch it.
 */
export function deriveSeed(seed: number, label: string, index = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ index, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Picks an element of a non-empty array. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[randomInt(random, items.length)];
}

/** `count` distinct integers from [0, n), in draw order (count is capped at n). */
export function sampleDistinct(random: Random, n: number, count: number): number[] {
  const wanted = Math.min(count, n);
  // Rejection sampling is O(count) when count is much smaller than n, the usual
  // case (8 members out of thousands of users); otherwise shuffle a full range.
  if (wanted * 2 < n) {
    const chosen = new Set<number>();
    while (chosen.size < wanted) chosen.add(randomInt(random, n));
    return [...chosen];
  }
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < wanted; i++) {
    const j = i + randomInt(random, n - i);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, wanted);
}
