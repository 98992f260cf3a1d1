/**
 * Showback and chargeback: the spend of shared lines (a platform team, unattributed
 * spend, a commitment) split over the teams (or any `over` dimension) that consume it —
 * evenly, in proportion to their own spend, or by fixed weights. Each split is exact to
 * the tick; what no recipient can take stays visible as its own line.
 */
import type { SharedCostConfig } from '../config/config-schema.js';
import { allocateTicks } from '../shared/allocate-ticks.js';
import { compareText } from '../shared/compare-text.js';

export interface SpendLine {
  /** Dimension → value for the dimensions `from` and `over` use. */
  dims: Readonly<Record<string, string>>;
  ticks: bigint;
}

export interface ChargebackRow {
  recipient: string;
  direct_ticks: bigint;
  /** Shared cost name → ticks received. */
  shared: Record<string, bigint>;
  total_ticks: bigint;
}

export interface Chargeback {
  over: string;
  rows: ChargebackRow[];
  /** Shared lines nobody could take (no recipient with spend, or no matching weights). */
  unallocated: Array<{ name: string; ticks: bigint }>;
  total_ticks: bigint;
}

const matches = (dims: Readonly<Record<string, string>>, from: Readonly<Record<string, string>>) => Object.entries(from).every(([d, v]) => dims[d] === v);

export function chargeback(lines: readonly SpendLine[], shared: readonly SharedCostConfig[], over: string): Chargeback {
  const pools = shared.map((s) => ({ config: s, ticks: 0n }));
  const direct = new Map<string, bigint>();
  let total = 0n;
  for (const line of lines) {
    total += line.ticks;
    const pool = pools.find((p) => matches(line.dims, p.config.from));
    if (pool) pool.ticks += line.ticks;
    else {
      const who = line.dims[over] ?? '(unattributed)';
      direct.set(who, (direct.get(who) ?? 0n) + line.ticks);
    }
  }
  const rows = new Map<string, ChargebackRow>();
  const row = (recipient: string) => {
    let r = rows.get(recipient);
    if (!r) rows.set(recipient, (r = { recipient, direct_ticks: direct.get(recipient) ?? 0n, shared: {}, total_ticks: 0n }));
    return r;
  };
  for (const who of direct.keys()) row(who);
  const unallocated: Chargeback['unallocated'] = [];
  for (const { config, ticks } of pools) {
    if (ticks === 0n) continue;
    let recipients: string[];
    let weights: bigint[];
    if (config.method === 'weights') {
      recipients = Object.keys(config.weights ?? {}).filter((r) => config.to === undefined || config.to.includes(r));
      // Weights may be decimals (2.5); scaled to integers so the split stays exact.
      weights = recipients.map((r) => BigInt(Math.round((config.weights?.[r] ?? 0) * 1_000_000)));
    } else {
      recipients = [...direct.keys()].filter((r) => r !== '(unattributed)' && (config.to === undefined || config.to.includes(r)) && (direct.get(r) ?? 0n) > 0n);
      if (config.to !== undefined && config.method === 'even') recipients = [...config.to];
      weights = recipients.map((r) => (config.method === 'even' ? 1n : (direct.get(r) ?? 0n)));
    }
    if (recipients.length === 0 || weights.every((w) => w <= 0n)) {
      unallocated.push({ name: config.name, ticks });
      continue;
    }
    const parts = allocateTicks(ticks, weights);
    recipients.forEach((r, i) => {
      const target = row(r);
      target.shared[config.name] = (target.shared[config.name] ?? 0n) + parts[i]!;
    });
  }
  for (const r of rows.values()) r.total_ticks = r.direct_ticks + Object.values(r.shared).reduce((a, b) => a + b, 0n);
  const sorted = [...rows.values()].filter((r) => r.total_ticks !== 0n).sort((a, b) => (b.total_ticks > a.total_ticks ? 1 : b.total_ticks < a.total_ticks ? -1 : compareText(a.recipient, b.recipient)));
  return { over, rows: sorted, unallocated, total_ticks: total };
}
