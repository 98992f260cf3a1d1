// What counts as a change on screen: the real dashboard over a real ledger with budgets, its clock moving.
import { describe, expect, it } from 'vitest';
import { Attributor } from '../../../src/attribution/attributor.js';
import type { BudgetConfig } from '../../../src/config/config-schema.js';
import { LiveDashboard } from '../../../src/tui/data/live-dashboard.js';
import { shownKey } from '../../../src/tui/hooks/use-live-snapshot.js';
import { insertRows } from '../helpers/insert-rows.js';
import { ledgerFileEachTest } from '../helpers/ledger-file.js';
import { testPricer } from '../../helpers/import.js';

const USD = 10_000_000_000n;
const BUDGETS: BudgetConfig[] = [
  { name: 'org', scope: {}, period: 'monthly', limit_usd: 100, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' },
  { name: 'support', scope: { team: 'support' }, period: 'daily', limit_usd: 10, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' },
];

const file = ledgerFileEachTest('llmfin-top-key-');

describe('shownKey', () => {
  it('is the same from one idle second to the next with budgets on screen: a projection moves with the spend, not the clock', async () => {
    // $2 spent today by 12:00; the daily budget, with no history to forecast from, projects
    // budget status's run rate: $2 × 86,400 s / 43,205 s elapsed.
    insertRows(file.path, [{ ts: '2026-11-30T11:59:00.000Z', costTicks: 2n * USD, team: 'support' }]);
    let clock = Date.parse('2026-11-30T12:00:05.000Z');
    const ledger = await file.openReadOnly();
    const dash = await LiveDashboard.start({ ledger, budgets: BUDGETS, attributor: new Attributor([]), pricer: await testPricer(), groupBy: 'team', now: () => clock });
    const view = { groupBy: 'team' as const, filter: '' };
    const first = dash.snapshot(view);
    const keys = [shownKey(first)];
    for (let i = 0; i < 5; i++) {
      clock += 1000;
      await dash.poll();
      keys.push(shownKey(dash.snapshot(view)));
    }
    const last = dash.snapshot(view);
    // The projection as computed at start holds between computations (a run rate moved to the
    // tick at every second, 3.9995370906 then 3.9990742884, and drew a frame whenever its cents did)…
    const support = (s: typeof first) => s.budgets.find((b) => b.name === 'support')!;
    expect(support(first).projected_p50_usd).toBe(3.9995370906);
    expect(support(last).projected_p50_usd).toBe(3.9995370906);
    // …so nothing is drawn again.
    expect(new Set(keys).size).toBe(1);

    // A new request is a change on screen, and moves the projected end by its cost.
    insertRows(file.path, [{ ts: '2026-11-30T12:00:09.000Z', costTicks: 3n * USD, team: 'support' }]);
    clock += 1000;
    await dash.poll();
    const after = dash.snapshot(view);
    expect([support(after).spent_usd, support(after).projected_p50_usd]).toEqual([5, 6.9995370906]);
    expect(shownKey(after)).not.toBe(keys[0]);
  });
});

describe('shownKey at a computation that changes nothing on screen', () => {
  it('draws no view again, though the run rate computed beside the projection moved', async () => {
    // $4 of a $10 monthly budget by Nov 10 12:00, in a ledger recorded from the 1st to now (a $0
    // request at 12:00): at that run rate the limit is crossed on Nov 24 at 18:00, an instant that
    // moves 2.5 s for every second that passes (no view shows it), while the breach day stays the 24th.
    insertRows(file.path, [
      { ts: '2026-11-01T00:00:00.000Z', costTicks: 4n * USD, team: 'support' },
      { ts: '2026-11-10T12:00:00.000Z', costTicks: 0n, team: 'search' },
    ]);
    let clock = Date.parse('2026-11-10T12:00:30.000Z');
    const ledger = await file.openReadOnly();
    const dash = await LiveDashboard.start({ ledger, budgets: [{ ...BUDGETS[0]!, limit_usd: 10 }], attributor: new Attributor([]), pricer: await testPricer(), groupBy: 'team', now: () => clock });
    const view = { groupBy: 'team' as const, filter: '' };
    const breaches = new Set<string | null>();
    const keys = { overview: new Set<string>(), budgets: new Set<string>(), groups: new Set<string>() };
    // Each second of the minute 12:01 (the header's clock), computed again at 12:01:30.
    for (clock += 30_000; clock < Date.parse('2026-11-10T12:02:00.000Z'); clock += 1000) {
      await dash.poll();
      const s = dash.snapshot(view);
      breaches.add(s.budgets[0]!.breach_at);
      expect(s.budgets[0]!.breach_date_p50).toBe('2026-11-24');
      for (const screen of ['overview', 'budgets', 'groups'] as const) keys[screen].add(shownKey(s, screen));
    }
    // $6 to go at $4 per 9 days 12 h 0 min 30 s is 14 days 6 h 0 min 45 s away; a minute later, 150 s further.
    expect([...breaches]).toEqual(['2026-11-24T18:01:15.000Z', '2026-11-24T18:03:45.000Z']);
    // …and no view draws again.
    expect([keys.overview.size, keys.budgets.size, keys.groups.size]).toEqual([1, 1, 1]);
  });
});
