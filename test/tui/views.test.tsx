// Every view rendered at fixed widths with budgets at 50%, 85% and 120%: the text is the contract.
import { describe, expect, it } from 'vitest';
import { renderToString } from 'ink';
import type { ReactElement } from 'react';
import { ThemeContext } from '../../src/tui/components/ThemeContext.js';
import { OverviewScreen } from '../../src/tui/screens/OverviewScreen.js';
import { BudgetsScreen } from '../../src/tui/screens/BudgetsScreen.js';
import { GroupsScreen } from '../../src/tui/screens/GroupsScreen.js';
import { RequestsScreen } from '../../src/tui/screens/RequestsScreen.js';
import { FlagsScreen } from '../../src/tui/screens/FlagsScreen.js';
import { Header } from '../../src/tui/components/Header.js';
import { HelpPanel } from '../../src/tui/components/HelpPanel.js';
import { RequestFeed } from '../../src/tui/components/RequestFeed.js';
import type { DashboardSnapshot } from '../../src/tui/data/dashboard-snapshot.js';
import { BUDGETS as BUDGETS_50_85_120, NOW, TICKS, GROUPS, budget, row, snapshot } from './helpers/dashboard-fixture.js';

const WIDTHS = [80, 100, 120] as const;

function draw(tree: ReactElement, columns: number, color = false): string {
  return renderToString(<ThemeContext.Provider value={{ color }}>{tree}</ThemeContext.Provider>, { columns });
}

function lines(text: string): string[] {
  return text.split('\n');
}

describe.each(WIDTHS)('at %i columns', (width) => {
  const snap = snapshot();

  it('header: spend today and this month, rates and cost per request', () => {
    const out = draw(<Header snapshot={snap} paused={false} width={width} />, width);
    const [first, second] = lines(out);
    expect(first).toBe('llmfin top  ledger.db  12:00 UTC  live');
    expect(second).toContain(width >= 90 ? 'today $1,234.56 (45.7k req)' : 'today $1,234.56');
    expect(second).toContain('month $23,456.78');
    expect(second).toContain('512 req/s');
    expect(second).toContain('48.2k tok/s');
    expect(second).toContain('$0.027/req');
    for (const l of lines(out)) expect(l.length).toBeLessThanOrEqual(width);
  });

  it('header: requests with no price are counted beside the money, never a silent $0', () => {
    const unpriced = snapshot({ today: { costTicks: 0n, requests: 3, countedTicks: 0n, countedRequests: 1, unpriced: 2 }, month: { costTicks: 0n, requests: 5, countedTicks: 0n, countedRequests: 1, unpriced: 4 } });
    const [, second] = lines(draw(<Header snapshot={unpriced} paused={false} width={width} />, width));
    // Where the request count does not fit, it goes, and today's unpriced count stays: a bare
    // "today $0.00" beside the month's count would not say whether today's $0.00 is all there is.
    expect(second).toContain(width >= 100 ? 'today $0.00 (3 req, 2 unpriced)' : 'today $0.00 (2 unpriced)');
    expect(second).toContain('month $0.00 (+4 unpriced)');
    expect(second!.length).toBeLessThanOrEqual(width);
  });

  it('header: no cost per request, not $0.00/req, while today has no priced request', () => {
    const none = snapshot({ today: { costTicks: 0n, requests: 2, countedTicks: 0n, countedRequests: 0, unpriced: 2 }, costPerRequestTicks: null });
    const [, second] = lines(draw(<Header snapshot={none} paused={false} width={width} />, width));
    expect(second).not.toContain('$0.00/req');
    expect(second).toMatch(/ │ +–\/req$/);
  });

  it('header: a money figure is never cut; the rates give way first', () => {
    // A busy day with unknown models: every figure at its widest.
    const busy = snapshot({
      today: { costTicks: 12_345_67n * (TICKS / 100n), requests: 1_234_567, countedTicks: 12_345_67n * (TICKS / 100n), countedRequests: 1_200_000, unpriced: 34_567 },
      month: { costTicks: 123_456_78n * (TICKS / 100n), requests: 9_876_543, countedTicks: 123_456_78n * (TICKS / 100n), countedRequests: 9_000_000, unpriced: 876_543 },
      costPerRequestTicks: 21_600_000,
    });
    const [, second] = lines(draw(<Header snapshot={busy} paused={false} width={width} />, width));
    expect(second!.length).toBeLessThanOrEqual(width);
    expect(second).not.toContain('…');
    expect(second).toContain('today $12,345.67 (34.6k unpriced) │ ');
    expect(second).toContain('month $123,456.78 (+876.5k unpriced)');
    // Cost per request goes whole or not at all (at 80 columns the two totals and their counts take the row).
    if (width >= 100) expect(second).toMatch(/ │ \$0\.00216\/req$/);
    else expect(second).toBe('today $12,345.67 (34.6k unpriced) │ month $123,456.78 (+876.5k unpriced)');
  });

  it('overview: budgets most at risk first, each labelled, then groups and requests', () => {
    const out = draw(<OverviewScreen snapshot={snap} width={width} height={19} />, width);
    const rows = lines(out);
    expect(rows.length).toBeLessThanOrEqual(19);
    for (const l of rows) expect(l.length).toBeLessThanOrEqual(width);
    const budgets = rows.slice(1, 4);
    expect(budgets[0]).toMatch(/^coder-agent +\[█+\] +120\.0% OVER \$60\.00\/\$50\.00/);
    expect(budgets[1]).toMatch(/^support-team +\[█+░+\] +85\.0% WARN \$170\.00\/\$200\.00/);
    expect(budgets[2]).toMatch(/^org-monthly +\[█+░+\] +50\.0% OK +\$500\.00\/\$1,000\.00/);
    // The bar is filled in proportion: half for 50%, full (capped) for 120%.
    const cells = (l: string) => /\[([█░]+)\]/.exec(l)![1]!;
    const half = cells(budgets[2]!);
    expect(half.split('█').length - 1).toBe(Math.round(half.length / 2));
    expect(cells(budgets[0]!)).not.toContain('░');
    expect(out).toContain('Top teams');
    expect(rows.find((l) => l.startsWith('support '))).toMatch(/\$\d+\.\d\d +5\.40k req +\d+%$/);
    expect(out).toContain('Latest requests');
    // Who made each request, in the column of the group-by dimension.
    expect(out).toMatch(/\nTIME +MODEL +ROUTED FROM +TEAM +IN→OUT +COST +LAT\n/);
    expect(out).toMatch(/11:59:59 claude-haiku-4-5 +← claude-sonne(t-4-5|…) +support +2\.00k→300 +\$0\.0031 +850ms/);
    expect(out).toMatch(/gpt-4\.1 +– +support +12\.0k→900 +\$0\.0312 +2\.4s/);
  });

  it("budgets: unpriced rows in a budget's period are marked on its bar and named on its detail line, not passed over as $0", () => {
    const unpriced = snapshot({ budgets: [{ ...budget('org-monthly', 1000, 500), unpriced_rows: 3 }, budget('support-team', 200, 170, { scope: { team: 'support' } })] });
    const overview = lines(draw(<OverviewScreen snapshot={unpriced} width={width} height={19} />, width));
    for (const l of overview) expect(l.length).toBeLessThanOrEqual(width);
    expect(overview.find((l) => l.startsWith('org-monthly'))).toMatch(/50\.0% OK +\$500\.00\/\$1,000\.00 \(\+3 unpriced\)/);
    expect(overview.find((l) => l.startsWith('support-team'))).not.toContain('unpriced');
    const screen = lines(draw(<BudgetsScreen snapshot={unpriced} width={width} height={19} />, width));
    for (const l of screen) expect(l.length).toBeLessThanOrEqual(width);
    const detail = screen[screen.findIndex((l) => l.startsWith('org-monthly')) + 1]!;
    expect(detail).toMatch(/^ {2}organisation · monthly · action alert/);
    // In the words that fit, never cut: the long ones from 83 columns.
    expect(screen[screen.findIndex((l) => l.startsWith('org-monthly')) + 2]).toBe(
      width >= 83 ? '  3 unpriced rows in this period: their cost is unknown, not $0, and not in spent' : '  3 unpriced rows in this period: cost unknown, not $0, not in spent',
    );
  });

  it("budgets: a budget's unpriced line counts in the rows the view has, so the list never runs past them", () => {
    const withUnpriced = snapshot({ budgets: [{ ...BUDGETS_50_85_120[0]!, unpriced_rows: 1 }, BUDGETS_50_85_120[1]!, BUDGETS_50_85_120[2]!] });
    // Most at risk first: coder-agent (2 rows), support-team (2), then org-monthly (3) does not fit in 5.
    const out = lines(draw(<BudgetsScreen snapshot={withUnpriced} width={width} height={6} />, width));
    expect(out.length).toBeLessThanOrEqual(6);
    expect(out.at(-1)).toBe('  …and 1 more (see the Budgets view)');
    const all = lines(draw(<BudgetsScreen snapshot={withUnpriced} width={width} height={8} />, width));
    expect(all.length).toBeLessThanOrEqual(8);
    expect(all.at(-1)).toBe('  1 unpriced row in this period: its cost is unknown, not $0, and not in spent'.slice(0, width));
  });

  it('budgets: every budget with scope, period, action, projection and breach', () => {
    const out = draw(<BudgetsScreen snapshot={snap} width={width} height={19} />, width);
    expect(out).toContain('team=support · monthly · action alert · end P50 $');
    expect(out).toContain('agent=coder · daily · action alert · end P50 $');
    expect(out).toMatch(/agent=coder .* · breached$/m);
    // $170 spent 29.5 days into a 30-day month: $172.88 at its run rate, within $200 (budget status's `–`).
    expect(out).toMatch(/support-team.*\n.* · end P50 \$172\.88 · .*breach –$/m);
    expect(out).toMatch(/org-monthly .*→ \$508\.47 by month end/);
    for (const l of lines(out)) expect(l.length).toBeLessThanOrEqual(width);
  });

  it('groups: a group with unpriced rows says how many, the others say nothing', () => {
    const withUnpriced = snapshot({ groups: GROUPS.map((g) => (g.name === 'search' ? { ...g, unpricedRows: 3 } : g)) });
    const out = lines(draw(<GroupsScreen snapshot={withUnpriced} width={width} height={19} />, width));
    for (const l of out) expect(l.length).toBeLessThanOrEqual(width);
    expect(out.find((l) => l.startsWith('search '))).toMatch(/ 21\.0k req +\d+% \+3 unpriced$/);
    expect(out.find((l) => l.startsWith('support '))).not.toContain('unpriced');
  });

  it('groups: one sparkline per group, peak at its minute', () => {
    const out = draw(<GroupsScreen snapshot={snap} width={width} height={19} />, width);
    expect(out).toContain('Spend by team');
    const support = lines(out).find((l) => l.startsWith('support '))!;
    expect(support).toContain('█');
    expect(support).toMatch(/[▁▂▃▄▅▆▇]/);
    const names = lines(out).slice(1).map((l) => l.split(' ')[0]);
    expect(names).toEqual(['support', 'search', 'growth']);
  });

  it('requests: latest and the most expensive of the hour', () => {
    const out = draw(<RequestsScreen snapshot={snap} width={width} height={19} />, width);
    expect(out).toContain('Most expensive requests');
    const expensive = lines(out).slice(lines(out).findIndex((l) => l.startsWith('Most expensive')) + 2);
    expect(expensive[0]).toMatch(/gpt-4\.1 .*\$0\.0312/);
    expect(expensive[1]).toMatch(/claude-haiku-4-5 .*\$0\.0035/);
  });

  it('requests: a failed request says so with its status, not as a silent 0→0 $0.00', () => {
    const failed = snapshot({
      latest: [
        row(99, { model: 'gpt-4o', provider: 'openai', inputTokens: 0, outputTokens: 0, costTicks: 0n, statusCode: 502, latencyMs: 3 }),
        row(98, { model: 'gpt-4o', provider: 'openai', inputTokens: 0, outputTokens: 0, costTicks: 0n, statusCode: 504, latencyMs: 30_000 }),
        // A stream the upstream cut after some output: its tokens are still shown.
        row(97, { inputTokens: 2000, outputTokens: 300, statusCode: 500 }),
        row(96, { statusCode: 200 }),
      ],
    });
    const out = lines(draw(<RequestsScreen snapshot={failed} width={width} height={19} />, width));
    for (const l of out) expect(l.length).toBeLessThanOrEqual(width);
    expect(out[2]).toMatch(/^11:59:59 gpt-4o .* HTTP 502 +\$0\.00 /);
    expect(out[3]).toMatch(/^11:59:58 gpt-4o .* HTTP 504 +\$0\.00 /);
    expect(out[4]).toMatch(/^11:59:57 claude-haiku-4-5 .* 500 2\.00k→300 +\$0\.0035 /);
    expect(out[5]).toMatch(/^11:59:56 claude-haiku-4-5 .* 2\.00k→300 +\$0\.0035 /);
    expect(out[5]).not.toContain('200');
  });

  it('requests: a cost resting on estimated usage reads ~$, never as exact as a measured one', () => {
    const estimated = snapshot({ latest: [row(99, { estimated: true }), row(98, { estimated: false }), row(97, { estimated: true, costTicks: null })] });
    const out = lines(draw(<RequestsScreen snapshot={estimated} width={width} height={19} />, width));
    for (const l of out) expect(l.length).toBeLessThanOrEqual(width);
    expect(out[2]).toMatch(/^11:59:59 claude-haiku-4-5 .* 2\.00k→300 +~\$0\.0035 /);
    expect(out[3]).toMatch(/^11:59:58 claude-haiku-4-5 .* 2\.00k→300 +\$0\.0035 /);
    expect(out[4]).toMatch(/ unpriced /);
  });

  it('flags: a loop flag as a word and with its money', () => {
    const flagged = snapshot({
      flags: [{ kind: 'loop', key: 'k', since: NOW - 5000, at: NOW, text: 'loop: agent coder · trace t-1 · claude-sonnet-4-5 13.8k→691 tokens ×5', costTicks: 2_000_000_000n }],
    });
    const out = draw(<FlagsScreen snapshot={flagged} width={width} height={19} />, width);
    expect(out).toContain('12:00:00 LOOP      $0.20  agent coder · trace t-1 · claude-sonnet-4-5 13.8k→691');
    const empty = draw(<FlagsScreen snapshot={snap} width={width} height={19} />, width);
    expect(empty).toContain('no loops or spikes seen since start');
  });
});

describe('views at the edges', () => {
  it("dates the request feed when it holds another day's request: last month's rows never pass for this morning's", () => {
    // NOW is 2026-11-30 12:00 UTC; one row is from 2026-10-31 09:29:30 UTC.
    const old = row(7, { ts: '2026-10-31T09:29:30.000Z', model: 'gpt-4o' });
    for (const width of WIDTHS) {
      const out = draw(<RequestsScreen snapshot={snapshot({ latest: [row(9), old], costliest: [row(9)] })} width={width} height={12} />, width);
      const rows = lines(out);
      for (const l of rows) expect(l.length).toBeLessThanOrEqual(width);
      // The latest list (with the old row) is dated; the costliest (today's only) is not.
      expect(rows[1]).toMatch(/^DAY {3}TIME +MODEL/);
      expect(out).toMatch(/\n11-30 11:58 claude-haiku-4-5 /);
      expect(out).toMatch(/\n10-31 09:29 gpt-4o /);
      expect(out).toMatch(/\nTIME +MODEL[^\n]*\n11:58:29 claude-haiku-4-5 /);
    }
  });

  it('fits the overview in 80x24 (19 body rows) with many budgets, saying how many are left out', () => {
    const many = Array.from({ length: 9 }, (_, i) => snapshot().budgets[i % 3]!).map((b, i) => ({ ...b, name: `${b.name}-${i}` }));
    const out = draw(<OverviewScreen snapshot={snapshot({ budgets: many })} width={80} height={19} />, 80);
    expect(lines(out).length).toBeLessThanOrEqual(19);
    expect(out).toMatch(/…and \d more \(see the Budgets view\)/);
    expect(out).toContain('Latest requests');
  });

  it('says what to do when there are no budgets and no traffic', () => {
    const out = draw(<OverviewScreen snapshot={snapshot({ budgets: [], groups: [], latest: [] })} width={80} height={19} />, 80);
    expect(out).toContain('no budgets: add them under budgets: in llmfin.yaml');
    expect(out).toContain('no spend in the last hour yet');
    expect(out).toContain('waiting for requests…');
  });

  it('under a filter that matches nothing, says so instead of "waiting for requests…"', () => {
    const hidden = snapshot({ groups: [], latest: [], costliest: [], flags: [], filter: 'zzz' });
    const overview = draw(<OverviewScreen snapshot={hidden} width={100} height={19} />, 100);
    expect(overview).toContain('nothing matches the filter "zzz" (esc clears it)');
    expect(overview).not.toContain('waiting for requests');
    expect(overview).not.toContain('no spend in the last hour yet');
    for (const Screen of [GroupsScreen, RequestsScreen, FlagsScreen]) {
      const out = draw(<Screen snapshot={hidden} width={100} height={19} />, 100);
      expect(out).toContain('nothing matches the filter "zzz"');
      expect(out).not.toMatch(/waiting for requests|no spend in the last hour|no loops or spikes|no priced request/);
    }
  });

  it.each([40, 50, 56])('keeps the cost of each request at %i columns, dropping the routed-from and latency columns first', (width) => {
    const out = lines(draw(<RequestsScreen snapshot={snapshot()} width={width} height={19} />, width));
    for (const l of out) expect(l.length).toBeLessThanOrEqual(width);
    expect(out[1]).toMatch(/IN→OUT\s+COST$/);
    const rows = out.filter((l) => /^\d\d:\d\d:\d\d /.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatch(/[\d.k]→[\d.k]+\s+\$\d[\d.]*$/);
  });

  it('drops the projection before squeezing the bar on a narrow terminal', () => {
    const out = draw(<OverviewScreen snapshot={snapshot()} width={60} height={19} />, 60);
    expect(out).not.toContain('by month end');
    expect(out).toMatch(/support-team\s+\[█+░+\]\s+85\.0% WARN/);
  });

  it('colours the states when colour is on, and the words stay', () => {
    const out = draw(<OverviewScreen snapshot={snapshot()} width={100} height={19} />, 100, true);
    // With colour forced off by NO_COLOR in the test environment, Ink prints no escapes;
    // the state words carry the meaning either way.
    expect(out).toContain('OVER');
    expect(out).toContain('WARN');
  });

  it('help lists every key', () => {
    const out = draw(<HelpPanel />, 100);
    for (const key of ['q', 'tab', 'g', 'p', '/', '?']) expect(out).toContain(key);
    expect(out).toContain('pause the display');
    expect(out).toContain('Budget projections are those of llmfin budget status, computed again every minute.');
  });
});

describe('the request feed: who made each request, in columns as wide as the rows need', () => {
  // Rows as the proxy records bench traffic: one model, no routing, $0.000151 each; the team
  // from a header (support), from a rule on the api key (platform: `group` is what the
  // dashboard model decided through the rules, tested in live-dashboard.test.ts), or none.
  const bench = { model: 'gpt-4o-mini', provider: 'openai', inputTokens: 1200, outputTokens: 80, costTicks: 1_512_000n, latencyMs: 3 };
  const live = (overrides: Partial<DashboardSnapshot> = {}) =>
    snapshot({
      latest: [
        row(99, { ...bench, team: 'support' }),
        row(98, { ...bench, team: null, apiKey: 'key-sha256:c00397de4384', group: 'platform' }),
        row(97, { ...bench, team: null }),
      ],
      costliest: [],
      ...overrides,
    });
  /** The latest requests' header and rows, as the Overview and the Requests view draw them. */
  const feed = (s: DashboardSnapshot, width: number) => lines(draw(<RequestFeed rows={s.latest} groupBy={s.groupBy} width={width} limit={10} filter="" at={NOW} />, width));

  it.each([150, 100])('at %i columns: the model and routed-from columns as wide as their rows and headers, then the team', (width) => {
    // MODEL 11 (gpt-4o-mini), ROUTED FROM 11 (its header: every row is –), TEAM 14 ((unattributed)):
    // 78 columns in all, where the model and routed-from columns took 60 and 56 of 150 before.
    expect(feed(live(), width)).toEqual([
      'TIME     MODEL       ROUTED FROM TEAM                  IN→OUT      COST    LAT',
      '11:59:59 gpt-4o-mini –           support             1.20k→80 $0.000151    3ms',
      '11:59:58 gpt-4o-mini –           platform            1.20k→80 $0.000151    3ms',
      '11:59:57 gpt-4o-mini –           (unattributed)      1.20k→80 $0.000151    3ms',
    ]);
  });

  it('at 70 columns the routed-from column goes first, and the team keeps its room', () => {
    expect(feed(live(), 70)).toEqual([
      'TIME     MODEL       TEAM                  IN→OUT      COST    LAT',
      '11:59:59 gpt-4o-mini support             1.20k→80 $0.000151    3ms',
      '11:59:58 gpt-4o-mini platform            1.20k→80 $0.000151    3ms',
      '11:59:57 gpt-4o-mini (unattributed)      1.20k→80 $0.000151    3ms',
    ]);
  });

  it('at 50 columns the latency goes next; the model and the team share what is left, the cost whole', () => {
    // 50 - time 8 - tokens 13 - cost 9 - four gaps = 16: 8 each.
    expect(feed(live(), 50)).toEqual([
      'TIME     MODEL    TEAM            IN→OUT      COST',
      '11:59:59 gpt-4o-… support       1.20k→80 $0.000151',
      '11:59:58 gpt-4o-… platform      1.20k→80 $0.000151',
      '11:59:57 gpt-4o-… (unattr…      1.20k→80 $0.000151',
    ]);
  });

  it('a long model id is cut at 32 columns, a routed request widens its column to what it says, and the rest of a wide row is left blank', () => {
    const bedrock = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    const s = live({ latest: [row(99, { ...bench, model: bedrock, team: 'search' }), row(98, { ...bench, routedFrom: 'claude-sonnet-4-5' })] });
    for (const width of [150, 100]) {
      const [header, first, second] = feed(s, width);
      expect(header).toBe('TIME     MODEL                            ROUTED FROM         TEAM           IN→OUT      COST    LAT');
      expect(first).toBe('11:59:59 us.anthropic.claude-sonnet-4-5-… –                   search       1.20k→80 $0.000151    3ms');
      expect(second).toBe('11:59:58 gpt-4o-mini                      ← claude-sonnet-4-5 support      1.20k→80 $0.000151    3ms');
    }
    // At 80 the text columns have 38: the widest are cut first (model 16, routed-from 15), the team's 7 kept whole.
    expect(feed(s, 80)).toEqual([
      'TIME     MODEL            ROUTED FROM     TEAM           IN→OUT      COST    LAT',
      '11:59:59 us.anthropic.cl… –               search       1.20k→80 $0.000151    3ms',
      '11:59:58 gpt-4o-mini      ← claude-sonne… support      1.20k→80 $0.000151    3ms',
    ]);
  });

  it('at 40 columns the team goes too, and the model keeps what is left (7): the cost is never what goes', () => {
    expect(feed(live(), 40).slice(0, 2)).toEqual(['TIME     MODEL          IN→OUT      COST', '11:59:59 gpt-4o…      1.20k→80 $0.000151']);
  });

  it.each([150, 100, 70, 50, 40])('at %i columns nothing is wider than the terminal and every cost is whole', (width) => {
    for (const s of [live(), snapshot(), live({ latest: [row(99, { ...bench, estimated: true, costTicks: 12_345_600_000_000n, ts: '2026-11-29T23:59:00.000Z', group: 'a-team-with-a-very-long-name-indeed' })] })]) {
      const out = feed(s, width);
      for (const l of out) expect(l.length, l).toBeLessThanOrEqual(width);
      for (const l of out.slice(1)) expect(l).toMatch(/ (~?\$[\d,.]+|~?<\$0\.0001|unpriced)( +[\d.]+m?s)?$/);
    }
  });

  it('the column follows the group-by dimension (g), and goes when grouped by model, which the MODEL column already shows', () => {
    const byAgent = live({ groupBy: 'agent', latest: [row(99, { ...bench, agent: 'coder', group: 'coder' }), row(98, { ...bench, group: '(unattributed)' })] });
    expect(feed(byAgent, 100).slice(0, 3)).toEqual([
      'TIME     MODEL       ROUTED FROM AGENT                 IN→OUT      COST    LAT',
      '11:59:59 gpt-4o-mini –           coder               1.20k→80 $0.000151    3ms',
      '11:59:58 gpt-4o-mini –           (unattributed)      1.20k→80 $0.000151    3ms',
    ]);
    const byCustomer = live({ groupBy: 'customer', latest: [row(99, { ...bench, group: 'acme' })] });
    expect(feed(byCustomer, 100)[0]).toBe('TIME     MODEL       ROUTED FROM CUSTOMER        IN→OUT      COST    LAT');
    const byModel = live({ groupBy: 'model', latest: [row(99, { ...bench, group: 'gpt-4o-mini' })] });
    expect(feed(byModel, 100).slice(0, 2)).toEqual(['TIME     MODEL       ROUTED FROM        IN→OUT      COST    LAT', '11:59:59 gpt-4o-mini –                1.20k→80 $0.000151    3ms']);
    // A rule that groups a model under another name is shown, though.
    const renamed = live({ groupBy: 'model', latest: [row(99, { ...bench, group: 'small-models' })] });
    expect(feed(renamed, 100)[1]).toBe('11:59:59 gpt-4o-mini –           small-models      1.20k→80 $0.000151    3ms');
  });

  it('an empty feed is headed by the dimension too', () => {
    const out = lines(draw(<RequestsScreen snapshot={snapshot({ groupBy: 'feature', latest: [], costliest: [] })} width={100} height={7} />, 100));
    expect(out[1]).toBe('TIME     MODEL ROUTED FROM FEATURE        IN→OUT      COST    LAT');
    expect(out[2]).toBe('waiting for requests…');
  });
});
