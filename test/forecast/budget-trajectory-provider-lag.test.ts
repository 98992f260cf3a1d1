// Providers arrive at their own lags: the proxy records OpenAI's traffic up to the hour,
// while the Bedrock bill stops three days back. Each provider's days after its own record
// are unknown, not $0: a budget over both adds each one's part from its own record's end,
// and a budget on one provider takes that provider's lag.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { periodWindow } from '../../src/budgets/budget-period.js';
import { ledgerRecord } from '../../src/budgets/ledger-record.js';
import { staleLedgerHint } from '../../src/budgets/stale-ledger-hint.js';
import type { BudgetConfig } from '../../src/config/config-schema.js';
import { budgetStatuses, budgetTrajectory } from '../../src/forecast/budget-trajectory.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer } from '../../src/pricing/pricer.js';
import { runCli, tempDir } from '../helpers/cli.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Judged at noon on Friday 2026-12-11: 10.5 days of December gone, 20.5 to come. */
const NOW = new Date('2026-12-11T12:00:00Z');

/**
 * OpenAI as the proxy records it, hour by hour (its money given, for round figures): $0.125 an hour ($3.00 a day), every hour from `from` up to
 * 11:00 on 2026-12-11 (the last hour before NOW). Bedrock from its bill: $2.00 a day, a row
 * at each midnight from `from` to 2026-12-08, three days behind.
 */
async function twoProviderLedger(from: string, withBedrock = true, withOpenai = true): Promise<{ db: string; dir: string }> {
  const dir = tempDir();
  const lines: string[] = [];
  const start = Date.parse(`${from}T00:00:00Z`);
  if (withOpenai) {
    for (let t = start, i = 0; t < NOW.getTime(); t += HOUR_MS, i++) {
      lines.push(JSON.stringify({ id: `o-${i}`, ts: new Date(t).toISOString(), provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '0.125', requests: 5 }));
    }
  }
  if (withBedrock) {
    for (let t = start, i = 0; t <= Date.parse('2026-12-08T00:00:00Z'); t += DAY_MS, i++) {
      lines.push(JSON.stringify({ id: `b-${i}`, ts: new Date(t).toISOString(), provider: 'bedrock', model: 'claude-sonnet-4-5', provenance: 'billed', cost_usd: '2.00', requests: 100 }));
    }
  }
  writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
  const db = join(dir, 'ledger.db');
  const r = await runCli(['import', '--db', db, join(dir, 'usage.jsonl')]);
  expect(r.code, r.stderr).toBe(0);
  return { db, dir };
}

const budget = (name: string, scope: Record<string, string>, limit: number) =>
  ({ name, scope, period: 'monthly', timezone: 'UTC', limit_usd: limit, soft_limit_percent: 80, action: 'alert' }) as unknown as BudgetConfig;

describe('budgets over providers recorded to different days', () => {
  let pricer: Pricer;
  const ledgers: LedgerStore[] = [];
  beforeAll(async () => {
    pricer = new Pricer(await PriceCatalogue.load());
  });
  afterAll(async () => {
    for (const l of ledgers) await l.close();
  });
  const open = async (db: string) => {
    const l = await openLedger(db);
    ledgers.push(l);
    return l;
  };

  describe('a run rate (December only: under 14 days of history)', () => {
    let ledger: LedgerStore;
    beforeAll(async () => {
      ledger = await open((await twoProviderLedger('2026-12-01')).db);
    });

    it('adds each provider\'s run rate over its own recorded time: $3.00 × 31 + $2.00 × 31 = $155.00', async () => {
      const [org, oa, bedrock] = await budgetStatuses(ledger, new Attributor([]), pricer, [budget('org', {}, 150), budget('oa', { provider: 'openai' }, 1000), budget('bedrock', { provider: 'bedrock' }, 1000)], NOW);
      // OpenAI: $31.50 (10 days × $3.00 and 12 hours of today) over the 10.5 days recorded,
      // $3.00 a day, $31.50 + 20.5 × $3.00 = $93.00. Bedrock: $16.00 over the 8 days to
      // 2026-12-09 00:00, $2.00 a day, $16.00 + 23 × $2.00 = $62.00. Judged ledger-wide
      // (10.5 days recorded for both) the org's run rate was $47.50 × 31 / 10.5 = $140.24.
      expect(org).toMatchObject({ name: 'org', spent_usd: 47.5, projected_usd: 155, projected_p50_usd: 155, projection_method: 'run-rate' });
      // From 2026-12-09 00:00 Bedrock's $2.00 a day: $52.50 at NOW; from NOW $5.00 a day,
      // the $97.50 left of $150 in 19.5 days: 2026-12-31 00:00.
      expect(org!.breach_at).toBe('2026-12-31T00:00:00.000Z');
      expect(org!.breach_date_p50).toBe('2026-12-31');
      // Each provider's budget takes its own lag: Bedrock's $16.00 over 8 days (not 10.5:
      // $47.24), OpenAI's as before.
      expect(bedrock).toMatchObject({ spent_usd: 16, projected_usd: 62, projected_p50_usd: 62 });
      expect(oa).toMatchObject({ spent_usd: 31.5, projected_usd: 93, projected_p50_usd: 93 });
    });

    it('reads each provider\'s record end, and names the one behind in the stale-ledger hint', async () => {
      const record = await ledgerRecord(ledger);
      expect(record.latest).toBe('2026-12-11T11:00:00.000Z');
      expect(Object.fromEntries(record.byProvider)).toEqual({ openai: '2026-12-11T11:00:00.000Z', bedrock: '2026-12-08T00:00:00.000Z' });
      expect(staleLedgerHint(record, NOW, '--at')).toBe(
        "bedrock recorded to 2026-12-08, 3 days behind, while the ledger's latest usage is from 2026-12-11: its usage since is not counted yet, so the budgets that cover it show too little spent, and their projections forecast its days since. Import its recent exports (`llmfin import`); --at 2026-12-08T23:59:59Z judges them as of the end of that day",
      );
      // Two days behind is the usual lag of a daily export: nothing to say.
      expect(staleLedgerHint(record, new Date('2026-12-10T12:00:00Z'))).toBeUndefined();
    });
  });

  describe('a forecast (60 days of history)', () => {
    let ledger: LedgerStore;
    beforeAll(async () => {
      ledger = await open((await twoProviderLedger('2026-10-12')).db);
    });
    const window = periodWindow('monthly', NOW, 'UTC');

    it('forecasts Bedrock\'s unrecorded days from its own history: P50 $155.00', async () => {
      // Spent $47.50; Bedrock's 2026-12-09, 12-10 and the 12 hours of today at $2.00 a day,
      // $5.00; then both at $5.00 a day: the 12 hours left of today, $2.50, and 20 days,
      // $100.00. Judged ledger-wide, Bedrock's last two days read $0 in the history and its
      // days since were never counted: P50 well below.
      const t = await budgetTrajectory(ledger, new Attributor([]), pricer, budget('org', {}, 150), window, 47.5, NOW);
      expect(t.method).toBe('forecast');
      expect(t.p50).toBeCloseTo(155, 6);
      // $47.50 + $5.00 + $2.50 today + $5.00 a day passes $150 on the 20th day after today.
      expect(t.breach_date_p50).toBe('2026-12-31');
      const [s] = await budgetStatuses(ledger, new Attributor([]), pricer, [budget('org', {}, 150)], NOW);
      expect(s).toMatchObject({ spent_usd: 47.5, projected_usd: 155, projection_method: 'forecast' });
      expect(s!.projected_p50_usd).toBeCloseTo(155, 6);
    });

    it('a Bedrock budget stops at Bedrock\'s record: $16.00 + (2 days + today whole + 20 days) × $2.00 = $62.00', async () => {
      const t = await budgetTrajectory(ledger, new Attributor([]), pricer, budget('bedrock', { provider: 'bedrock' }, 1000), window, 16, NOW);
      expect(t.p50).toBeCloseTo(62, 6);
    });

    it('an OpenAI budget is as it was: $31.50 + 0.5 × $3.00 + 20 × $3.00 = $93.00', async () => {
      const t = await budgetTrajectory(ledger, new Attributor([]), pricer, budget('oa', { provider: 'openai' }, 1000), window, 31.5, NOW);
      expect(t.p50).toBeCloseTo(93, 6);
    });
  });

  it('one provider alone three days behind: the ledger-wide judgement, unchanged', async () => {
    const ledger = await open((await twoProviderLedger('2026-12-01', true, false)).db);
    const [s] = await budgetStatuses(ledger, new Attributor([]), pricer, [budget('org', {}, 150)], NOW);
    // $16.00 over the 8 days recorded: $62.00, as recorded-until.ts always judged it.
    expect(s).toMatchObject({ spent_usd: 16, projected_usd: 62, projected_p50_usd: 62 });
    const record = await ledgerRecord(ledger);
    expect(staleLedgerHint(record, NOW)).toMatch(/^the ledger's latest usage is from 2026-12-08, 3 days before 2026-12-11: nothing since is counted/);
  });

  it('`budget status` JSON carries each provider\'s recorded_until and warns of the one behind', async () => {
    const { dir } = await twoProviderLedger('2026-12-01');
    writeFileSync(join(dir, 'llmfin.yaml'), 'ledger: { path: ledger.db }\nbudgets:\n  - { name: org, limit_usd: 150 }\n');
    const r = await runCli(['budget', 'status', '--at', NOW.toISOString(), '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.latest_usage_at).toBe('2026-12-11T11:00:00.000Z');
    // Bedrock's record stops at the end of 2026-12-08; OpenAI's has today in it, so reaches NOW.
    expect(out.recorded_until).toEqual({ bedrock: '2026-12-09T00:00:00.000Z', openai: '2026-12-11T12:00:00.000Z' });
    expect(out.rows[0]).toMatchObject({ name: 'org', projected_usd: 155, breach_at: '2026-12-31T00:00:00.000Z' });
    expect(r.stderr).toContain('warning: bedrock recorded to 2026-12-08, 3 days behind,');
  });
});
