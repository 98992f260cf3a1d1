// The dashboard at every width from 40 columns, in ink-testing-library: a money figure and an
// `+N unpriced` count are never cut; the sparkline is the first thing to go, then the other
// columns; below 40 columns one line asks for a wider terminal.
import { afterEach, describe, expect, it } from 'vitest';
import { Box } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { ThemeContext } from '../../src/tui/components/ThemeContext.js';
import { Header } from '../../src/tui/components/Header.js';
import { OverviewScreen } from '../../src/tui/screens/OverviewScreen.js';
import { BudgetsScreen } from '../../src/tui/screens/BudgetsScreen.js';
import { GroupsScreen } from '../../src/tui/screens/GroupsScreen.js';
import { RequestsScreen } from '../../src/tui/screens/RequestsScreen.js';
import { TopApp } from '../../src/tui/TopApp.js';
import type { DashboardSnapshot } from '../../src/tui/data/dashboard-snapshot.js';
import type { DashboardSource } from '../../src/tui/data/live-dashboard.js';
import { BUDGETS, GROUPS, TICKS, budget, row, snapshot } from './helpers/dashboard-fixture.js';
import { frameWhere, renderApp } from './helpers/render-app.js';

afterEach(() => cleanup());

/** A terminal `width` columns wide: ink-testing-library's is 100, the box narrows it. */
function draw(tree: ReactElement, width: number): string[] {
  const { lastFrame } = render(
    <ThemeContext.Provider value={{ color: false }}>
      <Box width={width} flexDirection="column">
        {tree}
      </Box>
    </ThemeContext.Provider>,
  );
  return (lastFrame() ?? '').split('\n');
}

// Every figure at its widest: a long group name with $123,456.78 and 12.3k unpriced rows, a
// budget of $98,765.43/$123,456.00 with 34.6k unpriced rows, a month of 876.5k unpriced.
const WIDE: DashboardSnapshot = snapshot({
  groups: GROUPS.map((g) => (g.name === 'search' ? { ...g, name: 'search-and-retrieval', unpricedRows: 12_345, costTicks: 12_345_678 * 1e8 } : g)),
  budgets: [...BUDGETS, { ...budget('enterprise-annual-pool', 123_456, 98_765.43), unpriced_rows: 34_567 }],
  today: { costTicks: 12_345_67n * (TICKS / 100n), requests: 1_234_567, countedTicks: 0n, countedRequests: 0, unpriced: 34_567 },
  month: { costTicks: 123_456_78n * (TICKS / 100n), requests: 9_876_543, countedTicks: 0n, countedRequests: 0, unpriced: 876_543 },
  latest: [row(99, { estimated: true, costTicks: 12_345_600_000_000n, ts: '2026-11-29T23:59:00.000Z' }), row(98)],
});

/** A money figure cut at the edge: `$123,4…`. */
const CUT_MONEY = /\$[\d,.]*…/;
const WIDTHS = [40, 42, 45, 48, 50, 55, 60, 70, 80, 100];

describe.each(WIDTHS)('at %i columns', (width) => {
  it('header: both totals and both unpriced counts whole', () => {
    const out = draw(<Header snapshot={WIDE} paused={false} width={width} />, width);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(width);
    const text = out.join('\n');
    expect(text).not.toMatch(CUT_MONEY);
    expect(text).toContain('today $12,345.67 (');
    expect(text).toContain('34.6k unpriced)');
    expect(text).toContain('month $123,456.78 (+876.5k unpriced)');
  });

  it('header: PAUSED and the filter stay whole; the ledger name is cut for them, then left out', () => {
    // Frozen figures must say so: a cut "PAUSED" would leave them reading as live.
    const named = { ...WIDE, ledger: '/var/lib/llmfin/ledger-production-eu.db', filter: 'support' };
    for (const paused of [true, false]) {
      const [first] = draw(<Header snapshot={named} paused={paused} width={width} />, width);
      expect(first!.length).toBeLessThanOrEqual(width);
      expect(first).toMatch(new RegExp(`^llmfin top  (.*  )?${paused ? 'PAUSED' : 'live'}  filter: support$`));
    }
    const [first] = draw(<Header snapshot={named} paused width={width} />, width);
    // The whole row is 71 columns; without the name 46, and a cut name takes at least 2 + 4 more.
    if (width >= 71) expect(first).toBe('llmfin top  ledger-production-eu.db  12:00 UTC  PAUSED  filter: support');
    else if (width >= 52) expect([first!.startsWith('llmfin top  led'), first!.endsWith('…  12:00 UTC  PAUSED  filter: support')]).toEqual([true, true]);
    else if (width >= 46) expect(first).toBe('llmfin top  12:00 UTC  PAUSED  filter: support');
    else expect(first).toBe('llmfin top  PAUSED  filter: support');
  });

  it('overview, budgets, groups and requests: every money figure and unpriced count whole', () => {
    const overview = draw(<OverviewScreen snapshot={WIDE} width={width} height={30} />, width);
    const budgets = draw(<BudgetsScreen snapshot={WIDE} width={width} height={30} />, width);
    const groups = draw(<GroupsScreen snapshot={WIDE} width={width} height={30} />, width);
    const requests = draw(<RequestsScreen snapshot={WIDE} width={width} height={30} />, width);
    for (const l of [...overview, ...budgets, ...groups, ...requests]) {
      expect(l.length, l).toBeLessThanOrEqual(width);
      expect(l).not.toMatch(CUT_MONEY);
    }
    for (const screen of [overview, budgets]) {
      const text = screen.join('\n');
      expect(text).toMatch(/OVER +\$60\.00\/\$50\.00/);
      expect(text).toMatch(/WARN +\$170\.00\/\$200\.00/);
      // The overview has four rows for budgets: where the unpriced count takes a row of its
      // own, the last budgets are left to the Budgets view and the list says so.
      if (screen === overview && text.includes('…and 2 more')) continue;
      expect(text).toMatch(/WARN +\$98,765\.43\/\$123,456\.00/);
      // On the bar's row, or on a line of its own below it: whole either way.
      expect(text).toMatch(/\+34\.6k unpriced|34\.6k unpriced rows/);
    }
    expect(budgets.join('\n')).toContain('end P50 $100,439.42');
    for (const screen of [overview, groups]) {
      expect(screen.find((l) => l.startsWith('support '))).toMatch(/ \$5\.30( |$)/);
      expect(screen.find((l) => l.startsWith('search'))).toMatch(/ \$123,456\.78 .*\+12\.3k unpriced$/);
      expect(screen.find((l) => l.startsWith('growth'))).toMatch(/ \$0\.53( |$)/);
    }
    expect(requests.join('\n')).toMatch(/ ~\$1,234\.56( |$)/m);
  });

  it('groups: the sparkline goes before any other column gives way', () => {
    const groups = draw(<GroupsScreen snapshot={WIDE} width={width} height={30} />, width).slice(1);
    const spark = groups.some((l) => /[▁▂▃▄▅▆▇█]/.test(l));
    const share = groups.every((l) => /\d%( |$)/.test(l));
    const requests = groups.every((l) => / req( |$)/.test(l));
    // The short names whole (a long one is held to a quarter of the width at any width).
    const names = ['support ', 'growth '].every((n) => groups.some((l) => l.startsWith(n)));
    // While a sparkline is drawn, nothing else has given way.
    if (spark) expect([share, requests, names]).toEqual([true, true, true]);
    // A share or a request count gone means the sparkline went first.
    if (!share || !requests || !names) expect(spark).toBe(false);
    expect(spark).toBe(width >= 80);
  });
});

describe('the order things give way in', () => {
  it('the sparkline is drawn at 100 columns and gone at 60, where share, requests and names are all still there', () => {
    const at = (width: number) => draw(<GroupsScreen snapshot={WIDE} width={width} height={30} />, width).slice(1).join('\n');
    expect(at(100)).toMatch(/[▁▂▃▄▅▆▇█]/);
    const sixty = at(60);
    expect(sixty).not.toMatch(/[▁▂▃▄▅▆▇█]/);
    expect(sixty).toMatch(/^search-and-ret… \$123,456\.78 21\.0k req +100% \+12\.3k unpriced$/m);
  });

  it('at 40 columns the group rows keep the name, the spend and the unpriced count', () => {
    const forty = draw(<GroupsScreen snapshot={WIDE} width={40} height={30} />, 40).slice(1);
    expect(forty.find((l) => l.startsWith('search'))).toMatch(/^search-an… \$123,456\.78 \+12\.3k unpriced$/);
  });

  it('a budget bar drops its projection, then its bar, and its unpriced mark takes a line of its own at 40 columns', () => {
    const overview = (width: number) => draw(<BudgetsScreen snapshot={WIDE} width={width} height={30} />, width);
    expect(overview(100).join('\n')).toContain('[');
    const forty = overview(40);
    expect(forty.join('\n')).not.toContain('[');
    const at = forty.findIndex((l) => l.startsWith('enterp'));
    expect(forty[at]).toMatch(/ WARN \$98,765\.43\/\$123,456\.00$/);
    // Its detail line, then the unpriced count in the words that fit.
    expect(forty[at + 1]).toBe('  organisation · end P50 $100,439.42');
    expect(forty[at + 2]).toBe('  (+34.6k unpriced: not in spent)');
  });
});

/** A source that always gives the widest snapshot. */
const source: DashboardSource = { poll: async () => {}, track: async () => {}, snapshot: () => WIDE };

describe('TopApp below 40 columns', () => {
  const apps: Array<{ unmount(): void; cleanup(): void }> = [];
  afterEach(() => {
    for (const a of apps.splice(0)) {
      a.unmount();
      a.cleanup();
    }
  });

  it.each([
    [39, 'llmfin top needs 40+ columns (has 39)'],
    [36, 'widen the terminal to 40+ columns'],
    [20, 'widen to 40+ columns'],
    [12, '40+ columns'],
    [8, 'widen'],
  ])('at %i columns shows one line asking for a wider terminal', async (columns, text) => {
    const app = renderApp(<TopApp source={source} refreshMs={40} groupBy="team" color={false} interactive />, { columns, rows: 24 });
    apps.push(app);
    const frame = await frameWhere(app, (f) => f.trim() !== '');
    expect(frame.split('\n').filter((l) => l.trim() !== '')).toEqual([text]);
  });

  it('comes back to the dashboard when the terminal is widened, laid out in 40 columns with a three-row header', async () => {
    const app = renderApp(<TopApp source={source} refreshMs={40} groupBy="team" color={false} interactive />, { columns: 30, rows: 24 });
    apps.push(app);
    await frameWhere(app, (f) => f.includes('widen'));
    app.resize(40, 24);
    const frame = await frameWhere(app, (f) => f.includes('Latest requests'));
    const rows = frame.split('\n');
    expect(rows.length).toBeLessThanOrEqual(23);
    for (const l of rows) expect(l.length).toBeLessThanOrEqual(40);
    expect(rows[1]).toMatch(/^today \$12,345\.67 \(34\.6k unpriced\)/);
    expect(rows[2]).toBe('month $123,456.78 (+876.5k unpriced)');
    expect(rows[3]).toContain('[1 Overview]');
    expect(rows.at(-1)).toContain('q quit');
    expect(frame).not.toMatch(CUT_MONEY);
  });
});
