// top's budgets project what `llmfin budget status` projects: its END P50, END P90, P(BREACH) and
// BREACH for the same moment, at start, after a minute of live spend and after a row that changes
// a day of history; computed at start, every minute and at a roll-over, never row by row.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import type { BudgetConfig } from '../../src/config/config-schema.js';
import { openLedger } from '../../src/ledger/index.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { TopApp } from '../../src/tui/TopApp.js';
import { BudgetProjector } from '../../src/tui/data/budget-projector.js';
import type { LiveBudgetStatus } from '../../src/tui/data/dashboard-snapshot.js';
import { LiveDashboard } from '../../src/tui/data/live-dashboard.js';
import { formatMoney } from '../../src/tui/format/format-money.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { testPricer } from '../helpers/import.js';
import { frameWhere, renderApp } from './helpers/render-app.js';
import { insertRows, type RequestRowInput } from './helpers/insert-rows.js';

const USD = 10_000_000_000n;
const DAY = 86_400_000;
const cents = (n: number) => (BigInt(n) * USD) / 100n;
const NOW = Date.parse('2026-11-20T12:00:00.000Z');

const BUDGETS: BudgetConfig[] = [
  { name: 'support-month', scope: { team: 'support' }, period: 'monthly', limit_usd: 290, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' },
  { name: 'search-day', scope: { team: 'search' }, period: 'daily', limit_usd: 12, soft_limit_percent: 80, action: 'block', timezone: 'UTC' },
];

/**
 * From 1 October to today (20 November), one request a day at 06:00: team support's $10.00
 * every day; team search's $6 on weekdays and $3 at weekends, ±30% (seeded).
 */
function history(): RequestRowInput[] {
  let x = 2024;
  const noise = () => 0.7 + 0.6 * ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows: RequestRowInput[] = [];
  for (let t = Date.parse('2026-10-01T06:00:00.000Z'); t <= Date.parse('2026-11-20T06:00:00.000Z'); t += DAY) {
    const weekend = [0, 6].includes(new Date(t).getUTCDay());
    rows.push({ ts: new Date(t).toISOString(), costTicks: cents(1000), team: 'support' });
    rows.push({ ts: new Date(t).toISOString(), costTicks: cents(Math.round((weekend ? 300 : 600) * noise())), team: 'search' });
  }
  return rows;
}

let dir: string;
let path: string;
let clock: number;
let ledger: LedgerStore | undefined;
const apps: Array<{ unmount(): void; cleanup(): void }> = [];

beforeEach(async () => {
  dir = tempDir('llmfin-top-projection-');
  path = join(dir, 'l.db');
  await (await openLedger(path)).close();
  insertRows(path, history());
  writeFileSync(
    join(dir, 'llmfin.yaml'),
    `ledger: { path: l.db }\nbudgets:\n${BUDGETS.map((b) => `  - { name: ${b.name}, scope: { team: ${b.scope.team} }, period: ${b.period}, limit_usd: ${b.limit_usd}, action: ${b.action} }\n`).join('')}`,
  );
  clock = NOW;
});

afterEach(async () => {
  for (const a of apps.splice(0)) {
    a.unmount();
    a.cleanup();
  }
  vi.restoreAllMocks();
  await ledger?.close();
  ledger = undefined;
});

async function start() {
  ledger = await openLedger(path, { readonly: true, create: false });
  return LiveDashboard.start({ ledger, budgets: BUDGETS, attributor: new Attributor([]), pricer: await testPricer(), groupBy: 'team', now: () => clock });
}

type StatusJson = Pick<LiveBudgetStatus, 'name' | 'spent_usd' | 'projected_usd' | 'breach_at' | 'projected_p50_usd' | 'projected_p90_usd' | 'breach_probability' | 'breach_date_p50' | 'breach_date_p90' | 'projection_method'>;

/** `llmfin budget status --at <at> --format json`'s rows, by name. */
async function budgetStatusAt(at: number): Promise<Map<string, StatusJson>> {
  const r = await runCli(['budget', 'status', '--at', new Date(at).toISOString(), '--format', 'json'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return new Map((JSON.parse(r.stdout).rows as StatusJson[]).map((s) => [s.name, s]));
}

const FIELDS = ['spent_usd', 'projected_usd', 'breach_at', 'projected_p50_usd', 'projected_p90_usd', 'breach_probability', 'breach_date_p50', 'breach_date_p90', 'projection_method'] as const;
const fields = (s: StatusJson) => Object.fromEntries(FIELDS.map((f) => [f, s[f]]));

/** The dashboard's budgets against budget status's, field by field. */
function expectSameAs(dash: LiveDashboard, expected: Map<string, StatusJson>): void {
  const budgets = dash.snapshot({ groupBy: 'team', filter: '' }).budgets;
  for (const b of budgets) expect(fields(b), b.name).toEqual(fields(expected.get(b.name)!));
}

/** A budget's line on the Budgets view, below its bar, as budget status would label its row. */
function expectedLine(s: StatusJson, scope: string, period: string, action: string): string {
  const breach = s.breach_date_p50 ?? (s.breach_date_p90 ? `P90 ${s.breach_date_p90}` : '–');
  const probability = s.breach_probability === null ? [] : [`P(breach) ${Math.round(s.breach_probability * 100)}%`];
  return `  ${[scope, period, `action ${action}`, `end P50 ${formatMoney(s.projected_p50_usd)}`, `end P90 ${formatMoney(s.projected_p90_usd)}`, ...probability, `breach ${breach}`].join(' · ')}`;
}

/** The Budgets view of `top` on `dash`, at 120 columns. */
async function budgetsView(dash: LiveDashboard, until: (frame: string) => boolean = () => true): Promise<string[]> {
  const app = renderApp(<TopApp source={dash} refreshMs={40} groupBy="team" color={false} interactive />, { columns: 120, rows: 30 });
  apps.push(app);
  await frameWhere(app, (f) => f.includes('[1 Overview]'));
  app.stdin.write('2');
  const frame = await frameWhere(app, (f) => f.includes('[2 Budgets]') && f.includes('end P50') && until(f));
  app.unmount();
  return frame.split('\n');
}

const lineBelow = (lines: string[], name: string) => lines[lines.findIndex((l) => l.startsWith(`${name} `)) + 1];

describe("top's budget projections", () => {
  it("show budget status's END P50, END P90, P(breach) and breach day, at start and a minute of live spend later", async () => {
    const read = vi.spyOn(BudgetProjector.prototype, 'read');
    const dash = await start();
    const status = await budgetStatusAt(NOW);
    expectSameAs(dash, status);
    const support = status.get('support-month')!;
    // By hand: $10 a day, every day. Spent: 1–20 November, $200. To come: the 12 hours left of
    // today ($5) and 10 days ($100): $305. From $205 tonight, $290 is passed on the 9th day
    // after today's (205 + 9 × 10 = 295): 29 November. The forecaster never missed a day of
    // this history, so P90 is P50 and P(breach) 100%.
    expect(support).toMatchObject({ spent_usd: 200, projected_p50_usd: 305, projected_p90_usd: 305, breach_probability: 1, breach_date_p50: '2026-11-29', projection_method: 'forecast' });
    const search = status.get('search-day')!;
    expect(search.projection_method).toBe('forecast');
    const lines = await budgetsView(dash);
    expect(lineBelow(lines, 'support-month')).toBe('  team=support · monthly · action alert · end P50 $305.00 · end P90 $305.00 · P(breach) 100% · breach 2026-11-29');
    expect(lineBelow(lines, 'search-day')).toBe(expectedLine(search, 'team=search', 'daily', 'block'));
    expect(lines.find((l) => l.startsWith('support-month '))).toMatch(/ \$200\.00\/\$290\.00 → \$305\.00 by month end$/);

    // A $1 request 30 s on. Until the next computation, the $105 to come stands: $201 + $105.
    insertRows(path, [{ ts: new Date(NOW + 30_000).toISOString(), costTicks: cents(100), team: 'support' }]);
    clock = NOW + 40_000;
    await dash.poll();
    const carried = dash.snapshot({ groupBy: 'team', filter: '' }).budgets.find((b) => b.name === 'support-month')!;
    expect([carried.spent_usd, carried.projected_p50_usd, carried.breach_date_p50]).toEqual([201, 306, '2026-11-29']);

    // A minute after the first: computed again, from the live spend and the histories read at
    // start (a request of today from a provider current today moves neither), as budget status
    // computes it from the ledger.
    clock = NOW + 60_000;
    await dash.poll();
    expect(read).toHaveBeenCalledTimes(1);
    const later = await budgetStatusAt(clock);
    expectSameAs(dash, later);
    // $201 + 11 h 59 min of $10 a day + $100.
    expect(later.get('support-month')!.projected_p50_usd).toBeCloseTo(201 + (10 * 719) / 1440 + 100, 8);
    const again = await budgetsView(dash, (f) => f.includes('$201.00/$290.00'));
    expect(lineBelow(again, 'support-month')).toBe(expectedLine(later.get('support-month')!, 'team=support', 'monthly', 'alert'));
    expect(lineBelow(again, 'search-day')).toBe(expectedLine(later.get('search-day')!, 'team=search', 'daily', 'block'));
  });

  it('read the ledger again after a row that changes a day of history: a late request of yesterday', async () => {
    const read = vi.spyOn(BudgetProjector.prototype, 'read');
    const dash = await start();
    // Yesterday's support spend becomes $30 (in November: spent too); the forecast reads it.
    insertRows(path, [{ ts: '2026-11-19T18:00:00.000Z', costTicks: cents(2000), team: 'support' }]);
    clock = NOW + 5_000;
    await dash.poll();
    // Spent at once; read again 10 s after the last read at most, not at every such row.
    expect(dash.snapshot({ groupBy: 'team', filter: '' }).budgets.find((b) => b.name === 'support-month')!.spent_usd).toBe(220);
    expect(read).toHaveBeenCalledTimes(1);
    clock = NOW + 10_000;
    await dash.poll();
    expect(read).toHaveBeenCalledTimes(2);
    const status = await budgetStatusAt(clock);
    // From the histories read at start (the 19th at $10) it was $220 + $5 + $100 = $325: budget status forecasts from the $30 day.
    expect(status.get('support-month')!.projected_p50_usd).not.toBe(325);
    expectSameAs(dash, status);
  });

  it('are computed at start, every minute and at a period’s roll-over, never per row', async () => {
    const compute = vi.spyOn(BudgetProjector.prototype, 'compute');
    const read = vi.spyOn(BudgetProjector.prototype, 'read');
    const dash = await start();
    expect([compute.mock.calls.length, read.mock.calls.length]).toEqual([1, 1]);
    // 59 seconds of requests, 10 a second, each second's taken in by a refresh: 590 rows, no computation.
    for (let s = 1; s < 60; s++) {
      insertRows(path, Array.from({ length: 10 }, (_, i) => ({ ts: new Date(NOW + s * 1000 - i).toISOString(), costTicks: cents(1), team: i % 2 ? 'support' : 'search' })));
      clock = NOW + s * 1000;
      await dash.poll();
    }
    expect(dash.snapshot({ groupBy: 'team', filter: '' }).budgets.find((b) => b.name === 'support-month')!.spent_usd).toBe(202.95);
    expect([compute.mock.calls.length, read.mock.calls.length]).toEqual([1, 1]);
    clock = NOW + 60_000;
    await dash.poll();
    expect([compute.mock.calls.length, read.mock.calls.length]).toEqual([2, 1]);
    // search-day's period rolls over at midnight: computed (and read: a new day) at the first refresh of the 21st.
    clock = Date.parse('2026-11-21T00:00:01.000Z');
    await dash.poll();
    expect([compute.mock.calls.length, read.mock.calls.length]).toEqual([3, 2]);
    const search = dash.snapshot({ groupBy: 'team', filter: '' }).budgets.find((b) => b.name === 'search-day')!;
    expect([search.period_start, search.spent_usd]).toEqual(['2026-11-21T00:00:00.000Z', 0]);
    expectSameAs(dash, await budgetStatusAt(clock));
  });
});
