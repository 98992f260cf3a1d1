/**
 * The project's seeded generator (mulberry32: small, seedable, reproducible): the demo
 * replay, the fixture generators, the evaluations and the fuzz tests all draw from it, so
 * a rerun is byte-identical and no two copies can drift apart.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
