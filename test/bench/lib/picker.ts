/** Deterministic pseudo-random picks in [0, n) (xorshift), so every run of a bench picks the same. */
export function picker(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}
