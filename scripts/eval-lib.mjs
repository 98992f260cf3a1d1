// Shared pieces of the evaluation scripts: a seeded PRNG, normal and lognormal draws,
// and the NAB subset reader (../shared/reference/anomaly, provenance in its SOURCE.md).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from './prng.mjs';

export { prng };

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function draws(rand) {
  const uniform = (a, b) => a + (b - a) * rand();
  const normal = () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const int = (a, b) => Math.floor(uniform(a, b + 1));
  return { uniform, normal, int, lognormal: (mu, sigma) => Math.exp(mu + sigma * normal()) };
}

/** Where the NAB subset lives (first match), or undefined when it is not on this machine. */
export function nabDir() {
  for (const p of [process.env.NAB_DIR, join(root, '..', 'shared', 'reference', 'anomaly', 'nab'), join(root, 'bench', 'nab')]) {
    if (p && existsSync(join(p, 'labels', 'combined_windows.json'))) return p;
  }
  return undefined;
}

/** A NAB csv as [{ t: ms, v }]. */
export function readNab(dir, file) {
  const lines = readFileSync(join(dir, 'data', file), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const [ts, v] = l.split(',');
    return { t: Date.parse(`${ts.replace(' ', 'T')}Z`), v: Number(v) };
  });
}

/** Sums a NAB series per UTC bucket (day: 86_400_000, hour: 3_600_000); complete buckets only. */
export function resample(points, bucketMs) {
  const sums = new Map();
  const counts = new Map();
  for (const p of points) {
    const b = Math.floor(p.t / bucketMs) * bucketMs;
    sums.set(b, (sums.get(b) ?? 0) + p.v);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const keys = [...sums.keys()].sort((a, b) => a - b);
  const full = Math.max(...counts.values());
  // Drop partial first/last buckets: they would look like level changes.
  const kept = keys.filter((k, i) => counts.get(k) >= full * 0.9 || (i > 0 && i < keys.length - 1));
  return { start: kept[0], values: kept.map((k) => sums.get(k)), keys: kept };
}

export const pct = (x, d = 1) => `${(x * 100).toFixed(d)}%`;
export const fmt = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
export const verdict = (ok) => (ok ? 'PASS' : 'MISS');
