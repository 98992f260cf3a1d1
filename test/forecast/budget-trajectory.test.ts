// A budget in another time zone ends part-way through a UTC day: its projection counts that
// day for the hours inside the period, not whole.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { periodWindow } from '../../src/budgets/budget-period.js';
import type { BudgetConfig } from '../../src/config/config-schema.js';
import { budgetTrajectory } from '../../src/forecast/budget-trajectory.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer } from '../../src/pricing/pricer.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('budget trajectory across a time zone', () => {
  let ledger: LedgerStore;
  let pricer: Pricer;
  beforeAll(async () => {
    pricer = new Pricer(await PriceCatalogue.load());
    // Feature b billed $6.80 a day, 2026-11-21 to 2026-11-30 (ten days: the run rate).
    const dir = tempDir();
    const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: `b-${i}`, ts: `2026-11-${21 + i}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '6.80', requests: 100, feature: 'b' }));
    // A request metered today (a proxy records as it goes): today's spend so far is in the
    // ledger, so only the rest of the day is forecast.
    lines.push(JSON.stringify({ id: 'b-today', ts: '2026-12-01T19:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '0.01', requests: 1, feature: 'other' }));
    writeFileSync(join(dir, 'bill.jsonl'), lines.join('\n') + '\n');
    const db = join(dir, 'ledger.db');
    expect((await runCli(['import', '--db', db, join(dir, 'bill.jsonl')])).code).toBe(0);
    ledger = await openLedger(db);
  });
  afterAll(async () => {
    await ledger.close();
  });

  const budget = (period: BudgetConfig['period'], timezone: string, limit: number) => ({ name: 'b', scope: { feature: 'b' }, period, timezone, limit_usd: limit }) as unknown as BudgetConfig;

  it("a Tokyo day seen at 19:12 UTC: 4.8 hours of today and 15 of tomorrow, $6.80 × 0.825 = $5.61", async () => {
    const now = new Date('2026-12-01T19:12:00Z');
    // The Tokyo day runs 2026-12-01T15:00Z to 2026-12-02T15:00Z.
    const window = periodWindow('daily', now, 'Asia/Tokyo');
    expect([window.start.toISOString(), window.end.toISOString()]).toEqual(['2026-12-01T15:00:00.000Z', '2026-12-02T15:00:00.000Z']);
    const t = await budgetTrajectory(ledger, new Attributor([]), pricer, budget('daily', 'Asia/Tokyo', 5), window, 0, now);
    // 4.8 / 24 = 0.2 of today + 15 / 24 = 0.625 of tomorrow (not the whole of it: $8.16).
    expect(t.p50).toBeCloseTo(5.61, 9);
    // Cumulative $1.36 today, $5.61 tomorrow: past the $5.00 limit on 2026-12-02.
    expect(t.breach_date_p50).toBe('2026-12-02');
  });

  // The breach date is a date in the budget's zone: a UTC date can fall outside its day.
  it('dates an Auckland day\'s breach in Auckland: 19:12 UTC on 1 December is 08:12 on 2 December there', async () => {
    const now = new Date('2026-12-01T19:12:00Z');
    const window = periodWindow('daily', now, 'Pacific/Auckland');
    expect([window.start.toISOString(), window.end.toISOString()]).toEqual(['2026-12-01T11:00:00.000Z', '2026-12-02T11:00:00.000Z']);
    // $6.80 × 0.2 = $1.36 by UTC midnight (13:00 in Auckland) is past $1: crossed on 2 December there, not 1 December.
    const t = await budgetTrajectory(ledger, new Attributor([]), pricer, budget('daily', 'Pacific/Auckland', 1), window, 0, now);
    expect(t.breach_date_p50).toBe('2026-12-02');
  });

  it('dates a Los Angeles day\'s breach in Los Angeles: its day ends at 08:00 UTC the next day', async () => {
    const now = new Date('2026-12-01T19:12:00Z');
    const window = periodWindow('daily', now, 'America/Los_Angeles');
    expect([window.start.toISOString(), window.end.toISOString()]).toEqual(['2026-12-01T08:00:00.000Z', '2026-12-02T08:00:00.000Z']);
    // $1.36 to UTC midnight, under $1.50; $6.80 / 3 = $2.27 more by 08:00 UTC (midnight there): crossed on 1 December there.
    const t = await budgetTrajectory(ledger, new Attributor([]), pricer, budget('daily', 'America/Los_Angeles', 1.5), window, 0, now);
    expect(t.breach_date_p50).toBe('2026-12-01');
  });

  it('a UTC day keeps whole days: $6.80 × 0.2 = $1.36 left today', async () => {
    const now = new Date('2026-12-01T19:12:00Z');
    const t = await budgetTrajectory(ledger, new Attributor([]), pricer, budget('daily', 'UTC', 5), periodWindow('daily', now, 'UTC'), 0, now);
    expect(t.p50).toBeCloseTo(1.36, 9);
  });
});
