/**
 * Stateless seeded randomness: every value is a hash of (seed, keys), so the simulator can
 * ask for "the noise of minute k at site X" in any order and a run replays exactly from its
 * seed, whatever was queried before.
 */

/** FNV-1a of a string, as an unsigned 32-bit integer. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: spreads every input bit over the output. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of integer keys (negative and non-integer keys are folded in too). */
export function hashInts(...keys: number[]): number {
  let h = 0x9e3779b9;
  for (const k of keys) {
    const lo = k | 0;
    const hi = Math.floor(k / 4294967296) | 0;
    h = fmix(h ^ lo);
    h = fmix((h + 0x7f4a7c15) ^ hi);
  }
  return h;
}

/** Uniform in [0, 1) from integer keys. */
export function unit(...keys: number[]): number {
  return hashInts(...keys) / 4294967296;
}

/** Uniform in [min, max) from integer keys. */
export function between(min: number, max: number, ...keys: number[]): number {
  return min + (max - min) * unit(...keys);
}
