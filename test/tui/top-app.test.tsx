// The whole app in a fake 80x24 terminal with a fake data source: keys, views, pause, filter, resize.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TopApp } from '../../src/tui/TopApp.js';
import type { DashboardSnapshot } from '../../src/tui/data/dashboard-snapshot.js';
import type { GroupDimension } from '../../src/tui/data/group-dimensions.js';
import type { DashboardSource } from '../../src/tui/data/live-dashboard.js';
import { frameWhere, renderApp } from './helpers/render-app.js';
import { TICKS, snapshot } from './helpers/dashboard-fixture.js';

/** A source whose spend grows by $1 at every poll, and that records what it was asked. */
class FakeSource implements DashboardSource {
  polls = 0;
  tracked: GroupDimension[] = [];
  poll = vi.fn(async () => {
    this.polls++;
  });
  track = vi.fn(async (dim: GroupDimension) => {
    this.tracked.push(dim);
  });
  snapshot(view: { groupBy: GroupDimension; filter: string }): DashboardSnapshot {
    const base = snapshot();
    const needle = view.filter.toLowerCase();
    return {
      ...base,
      today: { costTicks: BigInt(100 + this.polls) * TICKS, requests: 1000 + this.polls, countedTicks: BigInt(100 + this.polls) * TICKS, countedRequests: 1000 + this.polls, unpriced: 0 },
      groupBy: view.groupBy,
      groups: base.groups.filter((g) => g.name.includes(needle)),
      // Each request named by the dimension asked for, as the dashboard model attributes it.
      latest: base.latest.filter((r) => !needle || (r.model ?? '').includes(needle)).map((r) => ({ ...r, group: r[view.groupBy] ?? '(unattributed)' })),
      costliest: base.costliest.map((r) => ({ ...r, group: r[view.groupBy] ?? '(unattributed)' })),
      filter: view.filter,
    };
  }
}

const KEY = { tab: '\t', shiftTab: '\u001b[Z', right: '\u001b[C', left: '\u001b[D', escape: '\u001b', enter: '\r' };
const apps: Array<{ unmount(): void; cleanup(): void }> = [];
afterEach(() => {
  for (const a of apps.splice(0)) {
    a.unmount();
    a.cleanup();
  }
});

function start(size = { columns: 80, rows: 24 }, source = new FakeSource()) {
  const app = renderApp(<TopApp source={source} refreshMs={40} groupBy="team" color={false} interactive />, size);
  apps.push(app);
  return { app, source };
}

const type = async (app: ReturnType<typeof renderApp>, ...keys: string[]) => {
  for (const k of keys) {
    app.stdin.write(k);
    await new Promise((r) => setTimeout(r, 15));
  }
};

describe('TopApp', () => {
  it('fits 80x24 exactly: header, tabs, overview, footer, nothing wider than the terminal', async () => {
    const { app } = start();
    const frame = await frameWhere(app, (f) => f.includes('Latest requests'));
    const rows = frame.split('\n');
    expect(rows.length).toBeLessThanOrEqual(23);
    for (const r of rows) expect(r.length).toBeLessThanOrEqual(80);
    expect(rows[0]).toMatch(/^llmfin top {2}ledger\.db {2}12:00 UTC {2}live/);
    expect(rows[2]).toContain('[1 Overview]');
    expect(rows.at(-1)).toContain('q quit');
  });

  it('draws nothing while nothing changes: polls go on, frames do not (an idle dashboard costs no CPU)', async () => {
    // The same snapshot at every poll, its clock moving within one minute.
    class StillSource extends FakeSource {
      override snapshot(view: { groupBy: GroupDimension; filter: string }): DashboardSnapshot {
        const base = super.snapshot(view);
        return { ...base, at: base.at + (this.polls % 50) * 1000, today: { costTicks: 100n * TICKS, requests: 1000, countedTicks: 100n * TICKS, countedRequests: 1000, unpriced: 0 } };
      }
    }
    const { app, source } = start(undefined, new StillSource());
    await frameWhere(app, (f) => f.includes('Latest requests'));
    await new Promise((r) => setTimeout(r, 100));
    const frames = app.frameCount();
    const polls = source.polls;
    await new Promise((r) => setTimeout(r, 400));
    expect(source.polls).toBeGreaterThan(polls + 3);
    expect(app.frameCount()).toBe(frames);
  });

  it('updates the numbers at each refresh, and p freezes them until pressed again', async () => {
    const { app, source } = start();
    await frameWhere(app, (f) => /today \$10[2-9]\.00/.test(f));
    await type(app, 'p');
    const paused = await frameWhere(app, (f) => f.includes('PAUSED'));
    const frozen = /today (\$[\d.,]+)/.exec(paused)![1];
    const polls = source.polls;
    await vi.waitFor(() => expect(source.polls).toBeGreaterThan(polls + 2));
    expect(/today (\$[\d.,]+)/.exec(app.lastFrame())![1]).toBe(frozen);
    await type(app, 'p');
    await frameWhere(app, (f) => f.includes('live') && /today (\$[\d.,]+)/.exec(f)![1] !== frozen);
  });

  it('tab, shift-tab, arrows and digits switch views', async () => {
    const { app } = start();
    await frameWhere(app, (f) => f.includes('[1 Overview]'));
    await type(app, KEY.tab);
    await frameWhere(app, (f) => f.includes('[2 Budgets]') && f.includes('action alert · end P50'));
    await type(app, KEY.right);
    await frameWhere(app, (f) => f.includes('[3 Groups]') && f.includes('Spend by team'));
    await type(app, KEY.left, KEY.left);
    await frameWhere(app, (f) => f.includes('[1 Overview]'));
    await type(app, KEY.shiftTab);
    await frameWhere(app, (f) => f.includes('[5 Flags]'));
    await type(app, '4');
    await frameWhere(app, (f) => f.includes('[4 Requests]') && f.includes('Most expensive requests'));
  });

  it('the Flags view says how many repeats make a loop, as configured', async () => {
    class SixRepeats extends FakeSource {
      override snapshot(view: { groupBy: GroupDimension; filter: string }): DashboardSnapshot {
        return { ...super.snapshot(view), loopRepeats: 6 };
      }
    }
    const { app } = start(undefined, new SixRepeats());
    await frameWhere(app, (f) => f.includes('[1 Overview]'));
    await type(app, '5');
    const frame = await frameWhere(app, (f) => f.includes('[5 Flags]'));
    expect(frame).toContain('Flags  loops: 6× the same call, error or pair · spikes: a minute ≥ 3× usual');
  });

  it('g cycles the grouping and asks the source to track it', async () => {
    const { app, source } = start();
    await frameWhere(app, (f) => f.includes('Top teams'));
    await type(app, 'g');
    await frameWhere(app, (f) => f.includes('Top agents') && f.includes('g group: agent'));
    await type(app, 'g', 'g', 'g');
    await frameWhere(app, (f) => f.includes('Top models'));
    await type(app, 'g');
    await frameWhere(app, (f) => f.includes('Top teams'));
    expect(source.tracked).toEqual(expect.arrayContaining(['team', 'agent', 'feature', 'customer', 'model']));
  });

  it("g changes the request feed's column of who made each request with the grouping", async () => {
    const { app } = start({ columns: 100, rows: 30 });
    await type(app, '4');
    let frame = await frameWhere(app, (f) => f.includes('[4 Requests]') && f.includes('Most expensive'));
    expect(frame).toMatch(/\nTIME +MODEL +ROUTED FROM +TEAM +IN→OUT +COST +LAT\n11:59:59 claude-haiku-4-5 +← claude-sonnet-4-5 +support +2\.00k→300 /);
    await type(app, 'g');
    frame = await frameWhere(app, (f) => f.includes(' AGENT '));
    expect(frame).toMatch(/\nTIME +MODEL +ROUTED FROM +AGENT +IN→OUT +COST +LAT\n11:59:59 claude-haiku-4-5 +← claude-sonnet-4-5 +\(unattributed\) +2\.00k→300 /);
    await type(app, 'g');
    frame = await frameWhere(app, (f) => f.includes(' FEATURE '));
    expect(frame).toMatch(/\nTIME +MODEL +ROUTED FROM +FEATURE +IN→OUT +COST +LAT\n11:59:59 claude-haiku-4-5 +← claude-sonnet-4-5 +ticket-summary +2\.00k→300 /);
  });

  it('/ types a filter, enter applies it, esc clears it', async () => {
    const { app } = start();
    await frameWhere(app, (f) => f.includes('growth'));
    await type(app, '/', 's', 'e', 'a');
    await frameWhere(app, (f) => f.includes('/ sea') && f.includes('enter: apply'));
    await type(app, 'r', KEY.enter);
    const filtered = await frameWhere(app, (f) => f.includes('filter: sear') && !f.includes('growth'));
    expect(filtered).toContain('search');
    await type(app, '/', KEY.escape);
    await frameWhere(app, (f) => !f.includes('filter:') && f.includes('growth'));
  });

  it('keys that reach the terminal in one read act one by one', async () => {
    const { app, source } = start();
    await frameWhere(app, (f) => f.includes('Top teams'));
    await type(app, 'gg');
    await frameWhere(app, (f) => f.includes('Top features') && f.includes('g group: feature'));
    await type(app, '34');
    await frameWhere(app, (f) => f.includes('[4 Requests]'));
    await type(app, '1/sear\r');
    const filtered = await frameWhere(app, (f) => f.includes('[1 Overview]') && f.includes('filter: sear'));
    expect(filtered).not.toContain('enter: apply');
    expect(source.tracked.at(-1)).toBe('feature');
  });

  it('a pasted line ends the filter; the lines after it are not taken as keys', async () => {
    const { app } = start();
    await frameWhere(app, (f) => f.includes('Top teams'));
    await type(app, '/');
    await type(app, 'sea\nquit g');
    await frameWhere(app, (f) => f.includes('filter: sea'));
    await type(app, 'p');
    const frame = await frameWhere(app, (f) => f.includes('PAUSED'));
    expect(frame).toContain('g group: team');
  });

  it('? shows the keys, any key closes it', async () => {
    const { app } = start();
    await type(app, '?');
    await frameWhere(app, (f) => f.includes('Keys') && f.includes('pause the display'));
    await type(app, 'x');
    await frameWhere(app, (f) => f.includes('Latest requests'));
  });

  it('lays out again when the terminal is resized', async () => {
    const { app } = start({ columns: 120, rows: 40 });
    await frameWhere(app, (f) => f.split('\n').some((l) => l.length > 100));
    app.resize(80, 24);
    const frame = await frameWhere(app, (f) => f.split('\n').every((l) => l.length <= 80) && f.split('\n').length <= 23);
    expect(frame).toContain('Latest requests');
  });

  it('keeps the header with the money on screen in a window 8 rows high, and the budgets (the alarms) before the feed', async () => {
    const { app } = start({ columns: 80, rows: 8 });
    const frame = await frameWhere(app, (f) => f.includes('Budgets'));
    expect(frame).not.toContain('Latest requests');
    const rows = frame.split('\n');
    expect(rows.length).toBeLessThanOrEqual(7);
    expect(rows[0]).toContain('llmfin top');
    expect(rows[1]).toMatch(/^today \$/);
    expect(rows.at(-1)).toContain('q quit');
  });

  it('q exits', async () => {
    const { app } = start();
    await frameWhere(app, (f) => f.includes('Overview'));
    const exited = app.waitUntilExit();
    await type(app, 'q');
    await expect(exited).resolves.toBeUndefined();
  });
});
