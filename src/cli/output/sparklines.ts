/**
 * `report --chart`: one sparkline per group over time buckets, with its total, so a
 * trend is visible in any terminal (and in NO_COLOR, where the bars carry the meaning).
 */
import type { ChalkInstance } from 'chalk';
import { dec, formatUsd, type Dec } from '../../shared/money.js';

const BARS = '▁▂▃▄▅▆▇█';
const DAY_MS = 86_400_000;

/** `order` lists the groups to draw, in the report's order (first place counts); other groups are left out. `bucket` is `day` or `week` (its Monday). */
export function renderSparklines(rows: ReadonlyArray<Record<string, unknown>>, groupDims: readonly string[], bucket: 'day' | 'week', order: readonly string[], chalk: ChalkInstance): string {
  const keep = new Set(order);
  const seen = [...new Set(rows.map((r) => String(r[bucket])))].sort();
  if (seen.length === 0) return '';
  const buckets = timeAxis(seen[0]!, seen.at(-1)!, bucket);
  const series = new Map<string, Map<string, Dec>>();
  // Rows of a model the catalogue does not know have no cost: a group of only those is unpriced, not $0.00.
  const unpriced = new Map<string, number>();
  for (const r of rows) {
    const name = groupDims.map((d) => String(r[d])).join(' · ') || 'total';
    if (groupDims.length > 0 && !keep.has(name)) continue;
    let s = series.get(name);
    if (!s) series.set(name, (s = new Map()));
    // The exact decimal when the row has it, so the total matches the table's to the cent.
    const cost = dec(typeof r.cost_usd_exact === 'string' ? r.cost_usd_exact : Number(r.cost_usd));
    s.set(String(r[bucket]), (s.get(String(r[bucket])) ?? dec(0)).plus(cost));
    unpriced.set(name, (unpriced.get(name) ?? 0) + (typeof r.unpriced_rows === 'number' ? r.unpriced_rows : 0));
  }
  const width = Math.max(...[...series.keys()].map((k) => k.length), 5);
  const lines = [`\n${chalk.bold(`Spend per ${bucket}, ${buckets[0]} to ${buckets.at(-1)}`)}`];
  // A report that also groups by time lists each group once per bucket: one line each.
  const names = groupDims.length > 0 ? [...keep].filter((n) => series.has(n)) : [...series.keys()];
  for (const name of names) {
    const s = series.get(name)!;
    const exact = buckets.map((b) => s.get(b) ?? dec(0));
    const values = exact.map((v) => v.toNumber());
    const max = Math.max(...values);
    const line = values.map((v) => (max <= 0 || v <= 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 0.5))])).join('');
    const sum = exact.reduce((a, b) => a.plus(b), dec(0));
    const figures = sum.isZero() && (unpriced.get(name) ?? 0) > 0 ? 'unpriced' : `${formatUsd(sum)} (peak ${formatUsd(max)})`;
    lines.push(`${name.padEnd(width)}  ${line}  ${figures}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Every bucket from the first with spend to the last: one with no spend between them is a
 * blank bar where it fell, not left out, which would draw the spend on either side of it
 * as if it were continuous.
 */
function timeAxis(first: string, last: string, bucket: 'day' | 'week'): string[] {
  const step = (bucket === 'week' ? 7 : 1) * DAY_MS;
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00.000Z`); t <= Date.parse(`${last}T00:00:00.000Z`); t += step) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
