/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type Random = () => number;

/**
 * Creates a seeded pseudo-random source (mulberry32): the same seed gives the same sequence on every machine.
 * @param seed - any integer; only its low 32 bits are used
 * @returns a function that returns the next number in [0, 1)
 * @throws TypeError when `seed` is not a finite integer
 * @example
 * const random = createRandom(34);
 * random(); // same value on every run
 */
export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed)) {
    throw new TypeError(`seed: expected an integer, got ${String(seed)}`);
  }
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
 * Returns a random integer in [min, max] inclusive.
 * @param random - the source to draw from
 */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
