// `forecast --traffic x2` asks "would we break a budget?": the what-if scales each budget's
// spend still to come (never what is spent), in the forecast's trajectory and in the run rate.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import type { BudgetConfig } from '../../src/config/config-schema.js';
import { budgetStatusesAndUnpriced } from '../../src/forecast/budget-trajectory.js';
import { NO_WHAT_IF, type WhatIf } from '../../src/forecast/what-if.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer } from '../../src/pricing/pricer.js';
import { runCli, tempDir } from '../helpers/cli.js';

const DAY_MS = 86_400_000;

/** `days` days of feature c through `lastDay`, one row a day made by `row`. */
async function ledgerOf(lastDay: string, days: number, row: (ts: string, i: number) => Record<string, unknown>): Promise<LedgerStore> {
  const dir = tempDir();
  const end = Date.parse(`${lastDay}T00:00:00Z`);
  const lines = Array.from({ length: days }, (_, i) => JSON.stringify(row(new Date(end - (days - 1 - i) * DAY_MS).toISOString(), i)));
  writeFileSync(join(dir, 'rows.jsonl'), lines.join('\n') + '\n');
  const db = join(dir, 'ledger.db');
  const r = await runCli(['import', '--db', db, join(dir, 'rows.jsonl')]);
  expect(r.code, r.stderr).toBe(0);
  return openLedger(db);
}

const billed = (ts: string, i: number) => ({ id: `c-${i}`, ts, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '2.00', requests: 100, feature: 'c' });
/** gpt-4o at $2.50 / $10 per 1M: 1M input + 100k output = $2.50 + $1.00 = $3.50 a day. */
const metered = (ts: string, i: number) => ({ id: `m-${i}`, ts, provider: 'openai', model: 'gpt-4o', requests: 100, input_tokens: 1_000_000, output_tokens: 100_000, feature: 'c', team: 'search' });

const budget = (limit: number, scope: Record<string, string> = { feature: 'c' }) =>
  ({ name: 'c', scope, period: 'monthly', timezone: 'UTC', limit_usd: limit, soft_limit_percent: 80, action: 'alert' }) as unknown as BudgetConfig;
const what = (w: Partial<WhatIf>): WhatIf => ({ ...NO_WHAT_IF, ...w });

describe('budget trajectories under a forecast what-if', () => {
  let pricer: Pricer;
  const ledgers: LedgerStore[] = [];
  beforeAll(async () => {
    pricer = new Pricer(await PriceCatalogue.load());
  });
  afterAll(async () => {
    for (const l of ledgers) await l.close();
  });

  it('--traffic x2 doubles the days to come: 31 × $4.00 = $124.00 against 31 × $2.00 = $62.00', async () => {
    const ledger = await ledgerOf('2026-11-30', 60, billed);
    ledgers.push(ledger);
    const now = new Date('2026-12-01T12:00:00Z');
    const base = await budgetStatusesAndUnpriced(ledger, new Attributor([]), pricer, [budget(100)], now);
    expect(base.rows[0]!.projected_p50_usd).toBe(62);
    expect(base.rows[0]!.breach_probability).toBe(0);
    const x2 = await budgetStatusesAndUnpriced(ledger, new Attributor([]), pricer, [budget(100)], now, what({ traffic: 2 }));
    expect(x2.rows[0]).toMatchObject({ spent_usd: 0, projected_p50_usd: 124, breach_probability: 1 });
    // $4.00 a day from 2026-12-01 passes $100 on the 26th day.
    expect(x2.rows[0]!.breach_date_p50).toBe('2026-12-26');
    expect(x2.whatIf.get('c')).toEqual({ factor: 2, skippedSwaps: [], untouched: false });
  });

  it('scales the run rate from where the record stops, not what is spent: $16 + $16 × 23 / 8 × 2 = $108.00', async () => {
    // 8 days of $2.00 (12-01..08) judged 12-11 12:00: the record stops at 12-09 00:00.
    const ledger = await ledgerOf('2026-12-08', 8, billed);
    ledgers.push(ledger);
    const now = new Date('2026-12-11T12:00:00Z');
    const { rows } = await budgetStatusesAndUnpriced(ledger, new Attributor([]), pricer, [budget(50)], now, what({ traffic: 2 }));
    // $34 left of $50 at $4.00 a day: 8.5 days after 12-09 00:00.
    expect(rows[0]).toMatchObject({ spent_usd: 16, projected_usd: 108, projected_p50_usd: 108, breach_at: '2026-12-17T12:00:00.000Z', projection_method: 'run-rate' });
  });

  it('--prompt-growth 100% re-prices the scope’s token mix: ($5.00 + $1.00) / $3.50 a day', async () => {
    const ledger = await ledgerOf('2026-11-30', 60, metered);
    ledgers.push(ledger);
    const now = new Date('2026-12-01T12:00:00Z');
    const r = await budgetStatusesAndUnpriced(ledger, new Attributor([]), pricer, [budget(1000)], now, what({ promptGrowth: 1 }));
    expect(r.whatIf.get('c')!.factor).toBeCloseTo(6 / 3.5, 12);
    // 31 days at $6.00.
    expect(r.rows[0]!.projected_p50_usd).toBeCloseTo(186, 6);
  });

  it('a model switch applies when it names the value the scope pins, and is set aside (and said) when the scope does not pin its dimension', async () => {
    const ledger = await ledgerOf('2026-11-30', 60, metered);
    ledgers.push(ledger);
    const now = new Date('2026-12-01T12:00:00Z');
    // gpt-4o-mini at $0.15 / $0.60 per 1M: $0.15 + $0.06 = $0.21 a day, 31 days = $6.51.
    const pinned = await budgetStatusesAndUnpriced(ledger, new Attributor([]), pricer, [budget(1000)], now, what({ swaps: [{ dimension: 'feature', value: 'c', model: 'gpt-4o-mini' }] }));
    expect(pinned.rows[0]!.projected_p50_usd).toBeCloseTo(6.51, 6);
    // Another feature's switch is another group's: not this budget's, and nothing to say.
    const other = await budgetStatusesAndUnpriced(ledger, new Attributor([]), pricer, [budget(1000)], now, what({ swaps: [{ dimension: 'feature', value: 'd', model: 'gpt-4o-mini' }] }));
    expect(other.whatIf.get('c')).toEqual({ factor: 1, skippedSwaps: [], untouched: false });
    expect(other.rows[0]!.projected_p50_usd).toBeCloseTo(108.5, 6);
    // A team's switch on a feature's budget: part of it, or none, cannot be told.
    const swap = { dimension: 'team', value: 'search', model: 'gpt-4o-mini' };
    const unpinned = await budgetStatusesAndUnpriced(ledger, new Attributor([]), pricer, [budget(1000)], now, what({ swaps: [swap] }));
    expect(unpinned.whatIf.get('c')).toEqual({ factor: 1, skippedSwaps: [swap], untouched: false });
  });

  it('a prompt growth on billed money only leaves the budget as forecast, and says so', async () => {
    const ledger = await ledgerOf('2026-11-30', 60, billed);
    ledgers.push(ledger);
    const now = new Date('2026-12-01T12:00:00Z');
    const r = await budgetStatusesAndUnpriced(ledger, new Attributor([]), pricer, [budget(100)], now, what({ promptGrowth: 0.3 }));
    expect(r.whatIf.get('c')).toEqual({ factor: 1, skippedSwaps: [], untouched: true });
    expect(r.rows[0]!.projected_p50_usd).toBe(62);
  });
});
