// What counts as a change on screen: the real dashboard over a real ledger with budgets, its clock moving.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attributor } from '../../../src/attribution/attributor.js';
import type { BudgetConfig } from '../../../src/config/config-schema.js';
import { openLedger } from '../../../src/ledger/index.js';
import type { LedgerStore } from '../../../src/ledger/ledger-store.js';
import { LiveDashboard } from '../../../src/tui/data/live-dashboard.js';
import { shownKey } from '../../../src/tui/hooks/use-live-snapshot.js';
import { insertRows } from '../helpers/insert-rows.js';

const USD = 10_000_000_000n;
const BUDGETS: BudgetConfig[] = [
  { name: 'org', scope: {}, period: 'monthly', limit_usd: 100, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' },
  { name: 'support', scope: { team: 'support' }, period: 'daily', limit_usd: 10, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' },
];

let dir: string;
let path: string;
let ledger: LedgerStore | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llmfin-top-key-'));
  path = join(dir, 'ledger.db');
  await (await openLedger(path)).close();
});

afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('shownKey', () => {
  it('is the same from one idle second to the next with budgets on screen, though their run-rate projections move', async () => {
    // $2 spent today by 12:00; the daily budget projects $2 × 86,400 s / seconds elapsed.
    insertRows(path, [{ ts: '2026-11-30T11:59:00.000Z', costTicks: 2n * USD, team: 'support' }]);
    let clock = Date.parse('2026-11-30T12:00:05.000Z');
    ledger = await openLedger(path, { readonly: true, create: false });
    const dash = await LiveDashboard.start({ ledger, budgets: BUDGETS, attributor: new Attributor([]), groupBy: 'team', now: () => clock });
    const view = { groupBy: 'team' as const, filter: '' };
    const first = dash.snapshot(view);
    const keys = [shownKey(first)];
    for (let i = 0; i < 5; i++) {
      clock += 1000;
      await dash.poll();
      keys.push(shownKey(dash.snapshot(view)));
    }
    const last = dash.snapshot(view);
    // The projections did move (43,205 s elapsed, then 43,210 s), to the tick…
    const support = (s: typeof first) => s.budgets.find((b) => b.name === 'support')!;
    expect(support(first).projected_usd).toBe(3.9995370906);
    expect(support(last).projected_usd).toBe(3.9990742884);
    // …but the screen shows $4.00 by midnight all along, so nothing is drawn again.
    expect(new Set(keys).size).toBe(1);

    // A new request is a change on screen.
    insertRows(path, [{ ts: '2026-11-30T12:00:09.000Z', costTicks: 3n * USD, team: 'support' }]);
    clock += 1000;
    await dash.poll();
    const after = dash.snapshot(view);
    expect(support(after).spent_usd).toBe(5);
    expect(shownKey(after)).not.toBe(keys[0]);
  });
});

describe('shownKey on the views that do not show when a limit is crossed', () => {
  it('a far breach moving minute by minute is a change on the Budgets view only', async () => {
    // $4 of a $10 monthly budget by Nov 10 12:00, in a ledger whose record begins on the 1st
    // (the run rate counts from there): at that run rate the limit is crossed on
    // Nov 24 at 18:00, a moment that moves 2.5 s for every second that passes, while the
    // projection stays $12.63 (12.6316 → 12.6308).
    insertRows(path, [{ ts: '2026-11-01T00:00:00.000Z', costTicks: 4n * USD, team: 'support' }]);
    let clock = Date.parse('2026-11-10T12:00:01.000Z');
    ledger = await openLedger(path, { readonly: true, create: false });
    const dash = await LiveDashboard.start({ ledger, budgets: [{ ...BUDGETS[0]!, limit_usd: 10 }], attributor: new Attributor([]), groupBy: 'team', now: () => clock });
    const view = { groupBy: 'team' as const, filter: '' };
    const breaches = new Set<string | null>();
    const keys = { overview: new Set<string>(), budgets: new Set<string>(), groups: new Set<string>() };
    for (let i = 0; i < 50; i++) {
      const s = dash.snapshot(view);
      breaches.add(s.budgets[0]!.breach_at);
      for (const screen of ['overview', 'budgets', 'groups'] as const) keys[screen].add(shownKey(s, screen));
      clock += 1000;
      await dash.poll();
    }
    // 50 seconds: the breach moved at every poll, from 18:00:02.5 to 18:02:05, over three minutes…
    expect(breaches.size).toBe(50);
    expect([...breaches].map((b) => b!.slice(0, 16))).toEqual([...Array(23).fill('2026-11-24T18:00'), ...Array(24).fill('2026-11-24T18:01'), ...Array(3).fill('2026-11-24T18:02')]);
    // …which the Budgets view shows, to the minute…
    expect(keys.budgets.size).toBe(3);
    // …and the others do not: they draw nothing again.
    expect(keys.overview.size).toBe(1);
    expect(keys.groups.size).toBe(1);
  });
});
