// The data layer against a real ledger file written by another connection: seeds, incremental reads, budgets, flags.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attributor } from '../../src/attribution/attributor.js';
import type { BudgetConfig } from '../../src/config/config-schema.js';
import { openLedger } from '../../src/ledger/index.js';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { MAX_ROWS_PER_REFRESH, LiveDashboard, RESEED_MS } from '../../src/tui/data/live-dashboard.js';
import { buildReport } from '../../src/reports/build-report.js';
import { budgetSpend } from '../../src/budgets/budget-spend.js';
import { insertRows, type RequestRowInput } from './helpers/insert-rows.js';
import { writeFileSync } from 'node:fs';
import { invoiceImporter } from '../../src/importers/invoice/invoice-importer.js';
import { undoBatch } from '../../src/ledger/queries/import-batches.js';
import { importInto, testPricer } from '../helpers/import.js';
import { repriceLedger } from '../../src/repricing/reprice-ledger.js';
import { sql } from 'kysely';
import { budgetStatuses } from '../../src/forecast/budget-trajectory.js';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const USD = 10_000_000_000n;
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

const BUDGETS: BudgetConfig[] = [
  { name: 'org', scope: {}, period: 'monthly', limit_usd: 100, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' },
  { name: 'support', scope: { team: 'support' }, period: 'daily', limit_usd: 10, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' },
];

let dir: string;
let path: string;
let clock: number;
let ledger: LedgerStore | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llmfin-top-'));
  path = join(dir, 'ledger.db');
  await (await openLedger(path)).close();
  clock = NOW;
});

afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(budgets = BUDGETS, rules: ConstructorParameters<typeof Attributor>[0] = []) {
  ledger = await openLedger(path, { readonly: true, create: false });
  return LiveDashboard.start({ ledger, budgets, attributor: new Attributor(rules), pricer: await testPricer(), groupBy: 'team', now: () => clock });
}

/** What `llmfin budget status` says of `budget` at `at`, on its own (writable) connection. */
async function budgetStatusOf(budget: BudgetConfig, atMs: number) {
  const own = await openLedger(path);
  try {
    return (await budgetStatuses(own, new Attributor([]), await testPricer(), [budget], new Date(atMs)))[0]!;
  } finally {
    await own.close();
  }
}

const req = (offsetMs: number, usd: number, more: Partial<RequestRowInput> = {}): RequestRowInput => ({ ts: at(offsetMs), costTicks: BigInt(Math.round(usd * 1e4)) * 1_000_000n, team: 'support', ...more });

describe('LiveDashboard', () => {
  it('stops with an error naming the ledger when its file is deleted or replaced, instead of showing the old one as live', async () => {
    insertRows(path, [req(-60_000, 2)]);
    const dash = await start();
    await dash.poll();
    // Replaced: another ledger moved to the path (a re-created demo, a restored backup).
    const other = join(dir, 'other.db');
    await (await openLedger(other)).close();
    renameSync(other, path);
    await expect(dash.poll()).rejects.toThrow(`${path}: the ledger was deleted or replaced while top was watching it`);
    // Deleted.
    rmSync(path);
    await expect(dash.poll()).rejects.toMatchObject({ name: 'InputError', hint: 'start llmfin top again to watch the file now at that path' });
  });

  it('seeds today, the month and budgets from what is already there, on the default basis', async () => {
    insertRows(path, [
      req(-3_600_000 * 20, 4), // yesterday (Nov 29 16:00): month only
      req(-60_000, 2), // today
      req(-30_000, 1, { team: 'search' }),
      req(-86_400_000 * 40, 50), // October: neither
    ]);
    const dash = await start();
    const s = dash.snapshot({ groupBy: 'team', filter: '' });
    expect(s.today).toEqual({ costTicks: 3n * USD, requests: 2, countedTicks: 3n * USD, countedRequests: 2, unpriced: 0 });
    expect(s.month).toEqual({ costTicks: 7n * USD, requests: 3, countedTicks: 7n * USD, countedRequests: 3, unpriced: 0 });
    expect(s.budgets.map((b) => [b.name, b.spent_usd, b.state])).toEqual([
      ['org', 7, 'green'],
      ['support', 2, 'green'],
    ]);
    expect(s.groups.map((g) => [g.name, g.costTicks / 1e10, g.requests])).toEqual([
      ['support', 2, 1],
      ['search', 1, 1],
    ]);
    // Newest row first, whatever its time.
    expect(s.latest.map((r) => r.team)).toEqual(['support', 'search', 'support', 'support']);
  });

  it("projects a budget from where the ledger's record begins, as budget status does, not from the period's start", async () => {
    // A proxy that began recording on Nov 15: $0.50 an hour, 132 hours to Nov 20 12:00.
    const from = Date.parse('2026-11-15T00:00:00.000Z');
    insertRows(path, Array.from({ length: 132 }, (_, h) => ({ ts: new Date(from + h * 3_600_000).toISOString(), costTicks: USD / 2n, team: 'support' })));
    clock = Date.parse('2026-11-20T12:00:00.000Z');
    const org: BudgetConfig = { name: 'org', scope: {}, period: 'monthly', limit_usd: 150, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' };
    const dash = await start([org]);
    const b = dash.snapshot({ groupBy: 'team', filter: '' }).budgets[0]!;
    expect(b.spent_usd).toBe(66);
    // $66 over the 132 hours recorded is $0.50 an hour; 252 hours to Dec 1: 66 + 126 = $192.
    // (From Nov 1, 468 hours, it read $66 + 66/468 × 252 = $101.54, within the limit.)
    expect(b.projected_usd).toBe(192);
    // $150 is reached 84 / 0.5 = 168 hours on: Nov 27 12:00.
    expect(b.breach_at).toBe('2026-11-27T12:00:00.000Z');
    const status = await budgetStatusOf(org, clock);
    expect([status.projected_usd, status.breach_at]).toEqual([b.projected_usd, b.breach_at]);
  });

  it('cost per request divides only the cost of rows that count their requests, at start and as rows arrive', async () => {
    // Today: a proxy request of $2.00, and another provider's day aggregate of $10.00 that counts no requests.
    insertRows(path, [req(-60_000, 2), req(-3_600_000, 10, { provider: 'anthropic', model: 'claude-haiku-4-5', granularity: 'day', requests: 0 })]);
    const dash = await start();
    const s = dash.snapshot({ groupBy: 'team', filter: '' });
    expect(s.today).toMatchObject({ costTicks: 12n * USD, requests: 1, countedTicks: 2n * USD });
    // $2.00 a request, not $12.00.
    expect(s.costPerRequestTicks).toBe(Number(2n * USD));
    insertRows(path, [req(-1000, 1), req(-500, 3, { provider: 'anthropic', model: 'claude-haiku-4-5', granularity: 'day', requests: 0 })]);
    clock += 1000;
    await dash.poll();
    // ($2.00 + $1.00) over 2 requests; the second aggregate adds to the spend only.
    const after = dash.snapshot({ groupBy: 'team', filter: '' });
    expect(after.today).toMatchObject({ costTicks: 16n * USD, requests: 2, countedTicks: 3n * USD });
    expect(after.costPerRequestTicks).toBe(Number(15n * USD / 10n));
  });

  it('counts an attempt that failed before the model ran (a retried 503) as no request, at start and as rows arrive, as report does', async () => {
    // The proxy records each upstream attempt: a 503 with no token and $0, then the answer at $1.00.
    const failed = (offsetMs: number) => req(offsetMs, 0, { statusCode: 503, inputTokens: 0, outputTokens: 0 });
    const answered = (offsetMs: number) => req(offsetMs, 1, { statusCode: 200 });
    insertRows(path, [failed(-60_000), answered(-59_000), failed(-50_000), answered(-49_000), failed(-40_000), answered(-39_000)]);
    const dash = await start();
    const groups = () => dash.snapshot({ groupBy: 'team', filter: '' }).groups.map((g) => [g.name, g.costTicks / 1e10, g.requests]);
    const s = dash.snapshot({ groupBy: 'team', filter: '' });
    // $3.00 over 3 requests: $1.00 a request, not $0.50.
    expect(s.today).toEqual({ costTicks: 3n * USD, requests: 3, countedTicks: 3n * USD, countedRequests: 3, unpriced: 0 });
    expect(s.costPerRequestTicks).toBe(Number(USD));
    expect(groups()).toEqual([['support', 3, 3]]);
    // The same again while it runs, over 2 seconds: 3 requests, 1.5 a second.
    insertRows(path, [failed(-1900), answered(-1800), failed(-1200), answered(-1100), failed(-600), answered(-500)]);
    clock += 2000;
    await dash.poll();
    const after = dash.snapshot({ groupBy: 'team', filter: '' });
    expect(after.today).toEqual({ costTicks: 6n * USD, requests: 6, countedTicks: 6n * USD, countedRequests: 6, unpriced: 0 });
    expect(after.costPerRequestTicks).toBe(Number(USD));
    expect(after.requestsPerSecond).toBe(1.5);
    expect(groups()).toEqual([['support', 6, 6]]);
    // The feed still shows each attempt, with its status.
    expect(after.latest.slice(0, 2).map((r) => r.statusCode)).toEqual([200, 503]);
    // What report says of the same rows.
    const report = await buildReport(ledger!, new Attributor([]), { by: [], since: '2026-11-30', until: at(1), basis: 'default', noRollup: true });
    expect(report.total_sums.requests).toBe(6);
  });

  it('has no cost per request, rather than $0, while today has no priced request', async () => {
    const empty = await start();
    expect(empty.snapshot({ groupBy: 'team', filter: '' }).costPerRequestTicks).toBeNull();
    await ledger?.close();
    // Today's only requests are of a model with no price: their cost is unknown, not $0.
    insertRows(path, [req(-60_000, 0, { costTicks: null }), req(-30_000, 0, { costTicks: null })]);
    const unpriced = await start();
    const s = unpriced.snapshot({ groupBy: 'team', filter: '' });
    expect(s.today).toMatchObject({ requests: 2, unpriced: 2, countedRequests: 0 });
    expect(s.costPerRequestTicks).toBeNull();
  });

  it('reads which costs rest on estimated usage, for the feed to mark them', async () => {
    insertRows(path, [req(-2000, 0.25), req(-1000, 0.5, { costStatus: 'estimated' })]);
    const dash = await start();
    await dash.poll();
    const latest = dash.snapshot({ groupBy: 'team', filter: '' }).latest;
    expect(latest.map((r) => [r.costTicks, r.estimated])).toEqual([
      [USD / 2n, true],
      [USD / 4n, false],
    ]);
  });

  it('adds only rows that arrive after the start, exactly once, and moves the budget bars', async () => {
    insertRows(path, [req(-60_000, 2)]);
    const dash = await start();
    insertRows(path, [req(-1000, 5), req(-500, 2.5, { team: 'search' })]);
    clock += 1000;
    await dash.poll();
    await dash.poll(); // nothing new: nothing added twice
    const s = dash.snapshot({ groupBy: 'team', filter: '' });
    expect(s.today.costTicks).toBe(95n * USD / 10n);
    expect(s.today.requests).toBe(3);
    const support = s.budgets.find((b) => b.name === 'support')!;
    expect([support.spent_usd, support.percent, support.state]).toEqual([7, 70, 'green']);
    insertRows(path, [req(0, 1.5)]);
    await dash.poll();
    const after = dash.snapshot({ groupBy: 'team', filter: '' }).budgets.find((b) => b.name === 'support')!;
    expect([after.spent_usd, after.state]).toEqual([8.5, 'amber']);
    insertRows(path, [req(0, 2)]);
    await dash.poll();
    const over = dash.snapshot({ groupBy: 'team', filter: '' }).budgets.find((b) => b.name === 'support')!;
    expect([over.percent, over.state, over.breached]).toEqual([105, 'red', true]);
  });

  it('counts the unpriced rows of today and the month, at start and as they arrive, and leaves them out of cost per request', async () => {
    insertRows(path, [req(-3_600_000 * 20, 4, { costTicks: null }), req(-60_000, 2), req(-30_000, 0, { costTicks: null })]);
    const dash = await start();
    let s = dash.snapshot({ groupBy: 'team', filter: '' });
    expect([s.today, s.month]).toEqual([
      { costTicks: 2n * USD, requests: 2, countedTicks: 2n * USD, countedRequests: 1, unpriced: 1 },
      { costTicks: 2n * USD, requests: 3, countedTicks: 2n * USD, countedRequests: 1, unpriced: 2 },
    ]);
    // $2.00 over the one priced request: the unpriced one is not in the divisor ($1.00).
    expect(s.costPerRequestTicks).toBe(Number(2n * USD));
    insertRows(path, [req(-1000, 0, { costTicks: null }), req(-500, 1)]);
    clock += 1000;
    await dash.poll();
    s = dash.snapshot({ groupBy: 'team', filter: '' });
    expect([s.today, s.month]).toEqual([
      { costTicks: 3n * USD, requests: 4, countedTicks: 3n * USD, countedRequests: 2, unpriced: 2 },
      { costTicks: 3n * USD, requests: 5, countedTicks: 3n * USD, countedRequests: 2, unpriced: 3 },
    ]);
    // $3.00 over today's two priced requests, as they arrived.
    expect(s.costPerRequestTicks).toBe(Number(15n * USD / 10n));
  });

  it("counts each group's unpriced rows in the last hour, at start and as they arrive", async () => {
    // support: $2.00 priced and one unpriced row; search: only an unpriced row (no $0 that passes for free).
    insertRows(path, [req(-60_000, 2), req(-50_000, 0, { costTicks: null }), req(-40_000, 0, { costTicks: null, team: 'search' }), req(-3_600_000 * 2, 0, { costTicks: null })]);
    const dash = await start();
    const groups = () => dash.snapshot({ groupBy: 'team', filter: '' }).groups.map((g) => [g.name, g.costTicks / 1e10, g.requests, g.unpricedRows]);
    expect(groups()).toEqual([
      ['support', 2, 2, 1],
      ['search', 0, 1, 1],
    ]);
    insertRows(path, [req(-1000, 0, { costTicks: null, team: 'search' }), req(-500, 1, { team: 'search' })]);
    clock += 1000;
    await dash.poll();
    expect(groups()).toEqual([
      ['support', 2, 2, 1],
      ['search', 1, 3, 2],
    ]);
    // An hour on, they have left the window with the rest of the hour's spend.
    clock += 3_600_000;
    await dash.poll();
    expect(groups()).toEqual([]);
  });

  it("counts each provider's last hour from one layer: the proxy's rows, not also an hourly usage export of the same hour", async () => {
    // anthropic: the proxy's $2 + $1 (support) and an imported hourly usage bucket of the same
    // hour, $3.10, unattributed; openai has no proxy rows, only its hourly bucket ($0.75, search).
    insertRows(path, [
      req(-50 * 60_000, 2),
      req(-42 * 60_000, 1),
      req(-59 * 60_000, 3.1, { provenance: 'provider_usage', granularity: 'hour', team: null }),
      req(-59 * 60_000, 0.75, { provenance: 'provider_usage', granularity: 'hour', team: 'search', provider: 'openai', model: 'gpt-4o' }),
    ]);
    const dash = await start();
    const groups = () => dash.snapshot({ groupBy: 'team', filter: '' }).groups.map((g) => [g.name, g.costTicks / 1e10, g.requests]);
    expect(groups()).toEqual([
      ['support', 3, 2],
      ['search', 0.75, 1],
    ]);
    // An hourly bucket for anthropic arriving while top runs stands aside too; the proxy's next row counts.
    insertRows(path, [req(-1000, 0.5, { provenance: 'provider_usage', granularity: 'hour', team: 'support' }), req(-45 * 60_000, 0.25)]);
    clock += 1000;
    await dash.poll();
    expect(groups()).toEqual([
      ['support', 3.25, 3],
      ['search', 0.75, 1],
    ]);
    // The same for a dimension shown later (seeded then).
    expect(dash.snapshot({ groupBy: 'model', filter: '' }).groups.map((g) => [g.name, g.costTicks / 1e10])).toEqual([]);
    await dash.track('model');
    expect(dash.snapshot({ groupBy: 'model', filter: '' }).groups.map((g) => [g.name, g.costTicks / 1e10])).toEqual([
      ['claude-haiku-4-5', 3.25],
      ['gpt-4o', 0.75],
    ]);
    // Once the proxy's rows (and openai's bucket) leave the hour, the later bucket is anthropic's hour.
    clock += 21 * 60_000;
    await dash.poll();
    expect(groups()).toEqual([['support', 0.5, 1]]);
  });

  it('does not flag an hourly export bucket, an hour of spend on one minute, as a spend spike', async () => {
    // A quiet quarter hour of $0.01 a minute from the proxy, then a $5 hourly bucket on the last complete minute.
    insertRows(path, Array.from({ length: 20 }, (_, i) => req(-(21 - i) * 60_000, 0.01)));
    insertRows(path, [req(-30_000, 5, { provenance: 'provider_usage', granularity: 'hour' })]);
    const dash = await start();
    await dash.poll();
    expect(dash.snapshot({ groupBy: 'team', filter: '' }).flags).toEqual([]);
    // The same $5 from the proxy's own requests in that minute is one.
    insertRows(path, [req(-20_000, 5)]);
    clock += 100;
    await dash.poll();
    expect(dash.snapshot({ groupBy: 'team', filter: '' }).flags.map((f) => f.kind)).toEqual(['spike']);
  });

  it("counts each budget's unpriced rows in its scope and period, at start and as they arrive, as budget status does", async () => {
    insertRows(path, [
      req(-3_600_000 * 20, 4, { costTicks: null }), // yesterday, support: the monthly org budget only
      req(-60_000, 2),
      req(-30_000, 0, { costTicks: null }), // today, support: both
      req(-20_000, 0, { costTicks: null, team: 'search' }), // today, search: the org budget only
      req(-86_400_000 * 40, 0, { costTicks: null }), // October: neither
    ]);
    const dash = await start();
    const seen = () => dash.snapshot({ groupBy: 'team', filter: '' }).budgets.map((b) => [b.name, b.spent_usd, b.unpriced_rows]);
    expect(seen()).toEqual([
      ['org', 2, 3],
      ['support', 2, 1],
    ]);
    // The same counts as budget status reads them (budgetSpend on the default basis).
    for (const [i, b] of BUDGETS.entries()) expect((await budgetSpend(ledger!, new Attributor([]), b, new Date(clock))).unpricedRows).toBe(seen()[i]![2]);
    insertRows(path, [req(-1000, 0, { costTicks: null }), req(-500, 1), req(-400, 0, { costTicks: null, team: 'search' })]);
    clock += 1000;
    await dash.poll();
    expect(seen()).toEqual([
      ['org', 3, 5],
      ['support', 3, 2],
    ]);
    // A new day starts the daily budget's count again.
    clock = Date.parse('2026-12-01T00:00:01.000Z');
    expect(seen()).toEqual([
      ['org', 0, 0],
      ['support', 0, 0],
    ]);
  });

  it('applies rules that read the user, workspace or account to arriving rows as to the seed, so budgets and groups match budget status and report', async () => {
    const rules: ConstructorParameters<typeof Attributor>[0] = [
      { name: 'alice works in support', match: { user: 'alice' }, set: { team: 'support' }, override: false },
      { name: 'the legal workspace', match: { workspace: 'ws-legal' }, set: { team: 'legal' }, override: false },
      { name: 'the search account', match: { account: 'acct-search' }, set: { team: 'search' }, override: false },
    ];
    const rows = (t: number) => [
      req(t, 1, { team: null, user: 'alice' }),
      req(t + 1, 2, { team: null, workspace: 'ws-legal' }),
      req(t + 2, 4, { team: null, account: 'acct-search' }),
    ];
    insertRows(path, rows(-60_000));
    const dash = await start(BUDGETS, rules);
    insertRows(path, rows(-1000));
    await dash.poll();
    const s = dash.snapshot({ groupBy: 'team', filter: '' });
    // $1.00 twice for support's daily budget, as budget status counts it.
    const attributor = new Attributor(rules);
    expect(s.budgets.map((b) => [b.name, b.spent_usd])).toEqual([
      ['org', 14],
      ['support', 2],
    ]);
    expect((await budgetSpend(ledger!, attributor, BUDGETS[1]!, new Date(clock))).spentTicks).toBe(2n * USD);
    expect(s.groups.map((g) => [g.name, BigInt(g.costTicks), g.requests])).toEqual([
      ['search', 8n * USD, 2],
      ['legal', 4n * USD, 2],
      ['support', 2n * USD, 2],
    ]);
  });

  it('reads a backlog in bounded batches over several refreshes', async () => {
    const dash = await start();
    const many = Array.from({ length: MAX_ROWS_PER_REFRESH + 10 }, (_, i) => req(-i, 0.0001));
    insertRows(path, many);
    await dash.poll();
    expect(dash.model.watermark).toBe(MAX_ROWS_PER_REFRESH);
    await dash.poll();
    expect(dash.model.watermark).toBe(many.length);
    expect(dash.snapshot({ groupBy: 'team', filter: '' }).today.requests).toBe(many.length);
  });

  it('reports rates from what arrived over the last seconds', async () => {
    const dash = await start();
    insertRows(path, Array.from({ length: 50 }, (_, i) => req(-i, 0.001, { inputTokens: 900, outputTokens: 100 })));
    clock += 2000;
    await dash.poll();
    const s = dash.snapshot({ groupBy: 'team', filter: '' });
    expect(s.requestsPerSecond).toBe(25);
    expect(s.tokensPerSecond).toBe(25_000);
  });

  it('groups by other dimensions on demand, through the attribution rules', async () => {
    insertRows(path, [req(-60_000, 1, { agent: 'coder' }), req(-50_000, 2, { agent: null, feature: 'chat' })]);
    const dash = await start(BUDGETS, [{ match: { feature: 'chat' }, set: { agent: 'chat-bot' }, override: false }]);
    await dash.track('agent');
    insertRows(path, [req(0, 4, { agent: 'coder' })]);
    await dash.poll();
    const s = dash.snapshot({ groupBy: 'agent', filter: '' });
    expect(s.groups.map((g) => [g.name, g.costTicks / 1e10])).toEqual([
      ['coder', 5],
      ['chat-bot', 2],
    ]);
    expect(dash.snapshot({ groupBy: 'agent', filter: 'chat' }).groups.map((g) => g.name)).toEqual(['chat-bot']);
  });

  it("names each request's group in the feed as the Groups view decides it: a rule on the api key included, seeded or arriving, for the dimension asked", async () => {
    const rules: ConstructorParameters<typeof Attributor>[0] = [{ name: 'the bench key is platform', match: { api_key: 'key-sha256:c003*' }, set: { team: 'platform', customer: 'bench-co' }, override: false }];
    insertRows(path, [req(-60_000, 1, { team: null, apiKey: 'key-sha256:c00397de4384' }), req(-50_000, 2, { team: 'support', feature: 'chat' })]);
    const dash = await start(BUDGETS, rules);
    insertRows(path, [req(-1000, 4, { team: null, apiKey: 'key-sha256:c00397de4384', feature: 'batch' }), req(0, 8, { team: null, apiKey: 'key-sha256:ffff', feature: 'chat' })]);
    await dash.poll();
    const team = dash.snapshot({ groupBy: 'team', filter: '' });
    // Newest first: the unknown key is (unattributed), as the Groups view names it; the known one is the rule's platform.
    expect(team.latest.map((r) => [r.team, r.group])).toEqual([
      [null, '(unattributed)'],
      [null, 'platform'],
      ['support', 'support'],
      [null, 'platform'],
    ]);
    expect(team.groups.map((g) => g.name).sort()).toEqual(['(unattributed)', 'platform', 'support']);
    // The costliest list is named the same way ($8, $4, $2, $1).
    expect(team.costliest.map((r) => r.group)).toEqual(['(unattributed)', 'platform', 'support', 'platform']);
    // Another dimension names them by it.
    expect(dash.snapshot({ groupBy: 'feature', filter: '' }).latest.map((r) => r.group)).toEqual(['chat', 'batch', 'chat', '(unattributed)']);
    expect(dash.snapshot({ groupBy: 'customer', filter: '' }).latest.map((r) => r.group)).toEqual(['(unattributed)', 'bench-co', '(unattributed)', 'bench-co']);
    // The filter finds a request by the group the rule gave it, as it finds the group.
    const platform = dash.snapshot({ groupBy: 'team', filter: 'platform' });
    expect(platform.latest.map((r) => r.costTicks)).toEqual([4n * USD, 1n * USD]);
    expect(platform.groups.map((g) => g.name)).toEqual(['platform']);
  });

  it('flags a trace repeating the same call four times, and not three', async () => {
    const dash = await start();
    const call = (i: number) => req(i, 0.02, { trace: 't-loop', agent: 'coder', model: 'claude-sonnet-4-5', inputTokens: 13_841, outputTokens: 691 });
    insertRows(path, [call(1), call(2), call(3), req(4, 0.02, { trace: 't-other', inputTokens: 13_841, outputTokens: 691 })]);
    await dash.poll();
    expect(dash.snapshot({ groupBy: 'team', filter: '' }).flags).toEqual([]);
    insertRows(path, [call(5)]);
    await dash.poll();
    const [flag] = dash.snapshot({ groupBy: 'team', filter: '' }).flags;
    expect(flag).toMatchObject({ kind: 'loop', costTicks: 8n * USD / 100n });
    expect(flag!.text).toBe('loop: agent coder · trace t-loop · same call ×4 · claude-sonnet-4-5 13.8k→691 tokens');
  });

  it('flags loops at the repeats llmfin.yaml sets (anomalies.loop_repeats), not at four', async () => {
    ledger = await openLedger(path, { readonly: true, create: false });
    const dash = await LiveDashboard.start({ ledger, budgets: BUDGETS, attributor: new Attributor([]), pricer: await testPricer(), groupBy: 'team', now: () => clock, loopRepeats: 2 });
    const call = (i: number) => req(i, 0.02, { trace: 't-loop', agent: 'coder', model: 'claude-sonnet-4-5', inputTokens: 13_841, outputTokens: 691 });
    insertRows(path, [call(1), call(2)]);
    await dash.poll();
    expect(dash.snapshot({ groupBy: 'team', filter: '' }).flags.map((f) => f.text)).toEqual(['loop: agent coder · trace t-loop · same call ×2 · claude-sonnet-4-5 13.8k→691 tokens']);
  });

  it('flags a trace alternating between two calls (the anomalies detector)', async () => {
    const dash = await start();
    const call = (i: number) => req(i, 0.01, { trace: 't-ping', agent: 'coder', inputTokens: i % 2 ? 500 : 900, outputTokens: 50 });
    insertRows(path, Array.from({ length: 8 }, (_, i) => call(i)));
    await dash.poll();
    const [flag] = dash.snapshot({ groupBy: 'team', filter: '' }).flags;
    expect(flag!.text).toContain('trace t-ping · two calls alternating ×4');
  });

  it('keeps the most expensive requests of the hour and shows the routed-from model', async () => {
    insertRows(path, [req(-7_200_000, 9), req(-60_000, 0.5)]);
    const dash = await start();
    insertRows(path, [req(0, 0.75, { model: 'claude-haiku-4-5', modelRequested: 'claude-sonnet-4-5', tags: { routed_from: 'claude-sonnet-4-5' } }), req(0, 0.1)]);
    await dash.poll();
    const s = dash.snapshot({ groupBy: 'team', filter: '' });
    expect(s.costliest.map((r) => Number(r.costTicks) / 1e10)).toEqual([0.75, 0.5, 0.1]);
    expect(s.costliest[0]!.routedFrom).toBe('claude-sonnet-4-5');
    expect(s.latest[0]!.routedFrom).toBeNull();
  });

  it('shows as routed only the requests the proxy rewrote (tag routed_from), not an answer that names the dated snapshot that ran', async () => {
    const pair = (t: number) => [
      // OpenAI answers gpt-4o with gpt-4o-2024-08-06: the model asked for is the model served.
      req(t, 0.01, { provider: 'openai', model: 'gpt-4o-2024-08-06', modelRequested: 'gpt-4o' }),
      // The router sent a gpt-4o request to gpt-4o-mini.
      req(t + 1, 0.001, { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', modelRequested: 'gpt-4o-mini', tags: { routed_from: 'gpt-4o' } }),
    ];
    insertRows(path, pair(-60_000));
    const dash = await start();
    // The seed and the polls read rows alike.
    insertRows(path, pair(0));
    await dash.poll();
    const s = dash.snapshot({ groupBy: 'team', filter: '' });
    expect(s.latest.map((r) => [r.model, r.routedFrom])).toEqual([
      ['gpt-4o-mini-2024-07-18', 'gpt-4o'],
      ['gpt-4o-2024-08-06', null],
      ['gpt-4o-mini-2024-07-18', 'gpt-4o'],
      ['gpt-4o-2024-08-06', null],
    ]);
  });

  it('under a bill, metered rows attribute it instead of adding to it: the money is read again, as report and budget status count it', async () => {
    // The anthropic bill for today: $10, a day row of the billed layer.
    insertRows(path, [{ ts: '2026-11-30T00:00:00.000Z', costTicks: 10n * USD, provenance: 'billed', granularity: 'day', team: null }, req(-60_000, 2)]);
    const dash = await start();
    const read = () => dash.snapshot({ groupBy: 'team', filter: '' });
    // The bill is the money: $10 today and this month; support's metered $2 attributes part of it.
    expect([read().today.costTicks, read().month.costTicks]).toEqual([10n * USD, 10n * USD]);
    expect(read().budgets.map((b) => [b.name, b.spent_usd])).toEqual([['org', 10], ['support', 2]]);
    insertRows(path, [req(-1000, 3)]);
    clock += 1000;
    await dash.poll();
    // Not $13: the proxy's $3 is inside the bill, not on top of it.
    expect(read().today.costTicks).toBe(10n * USD);
    expect(read().budgets.map((b) => [b.name, b.spent_usd])).toEqual([['org', 10], ['support', 2]]);
    clock += RESEED_MS;
    await dash.poll();
    const s = read();
    expect([s.today.costTicks, s.month.costTicks]).toEqual([10n * USD, 10n * USD]);
    // Support's $2 + $3 attributed, the org still the bill's $10.
    expect(s.budgets.map((b) => [b.name, b.spent_usd])).toEqual([['org', 10], ['support', 5]]);
    expect(s.latest[0]!.costTicks).toBe(3n * USD);
    // The same numbers as `llmfin report` over today, on its own connection.
    const other = await openLedger(path, { readonly: true, create: false });
    try {
      const report = await buildReport(other, new Attributor([]), { by: ['day'], since: '2026-11-30T00:00:00.000Z', until: new Date(clock).toISOString(), basis: 'default', noRollup: true });
      expect(report.total.cost_usd).toBe(10);
      expect(s.today.requests).toBe(report.total.requests);
    } finally {
      await other.close();
    }
  });

  it('a billed row imported while it runs replaces the metered money of its provider-month instead of adding to it', async () => {
    insertRows(path, [req(-60_000, 2), req(-30_000, 1, { team: 'search' })]);
    const dash = await start();
    expect(dash.snapshot({ groupBy: 'team', filter: '' }).today.costTicks).toBe(3n * USD);
    insertRows(path, [{ ts: '2026-11-30T00:00:00.000Z', costTicks: 4n * USD, provenance: 'billed', granularity: 'day', team: null }]);
    clock += 1000;
    await dash.poll();
    expect(dash.snapshot({ groupBy: 'team', filter: '' }).today.costTicks).toBe(3n * USD);
    clock += RESEED_MS;
    await dash.poll();
    const s = dash.snapshot({ groupBy: 'team', filter: '' });
    expect([s.today.costTicks, s.month.costTicks]).toEqual([4n * USD, 4n * USD]);
    expect(s.budgets.map((b) => [b.name, b.spent_usd])).toEqual([['org', 4], ['support', 2]]);
  });

  it('an invoice imported or an import undone while it runs is counted at the next refresh, as report counts it', async () => {
    insertRows(path, [req(-60_000, 2), req(-30_000, 1, { team: 'search' })]);
    const dash = await start();
    const read = () => dash.snapshot({ groupBy: 'team', filter: '' });
    const reportNow = async () => {
      const other = await openLedger(path, { readonly: true, create: false });
      try {
        // The month by day, as top and `llmfin report --by day` read it.
        const report = await buildReport(other, new Attributor([]), { by: ['day'], since: '2026-11-01T00:00:00.000Z', until: new Date(clock).toISOString(), basis: 'default', noRollup: true });
        return [report.rows.find((r) => r.day === '2026-11-30')?.cost_usd_exact, report.total.cost_usd_exact];
      } finally {
        await other.close();
      }
    };
    const usd = (ticks: bigint) => (Number(ticks) / 1e10).toString();
    expect([read().today.costTicks, read().month.costTicks]).toEqual([3n * USD, 3n * USD]);
    // November's Anthropic invoice, $40 of usage, imported by `llmfin import` meanwhile.
    const file = join(dir, 'anthropic-2026-11.yaml');
    writeFileSync(file, 'provider: anthropic\nnumber: ANT-2026-11-1\nperiod: { start: 2026-11-01, end: 2026-12-01 }\nlines:\n  - description: Claude API usage\n    amount: "40.00"\ntotal: "40.00"\n');
    const writer = await openLedger(path);
    let batch: number;
    try {
      batch = (await importInto(writer, invoiceImporter, file)).batchId!;
    } finally {
      await writer.close();
    }
    clock += 1000;
    await dash.poll();
    const [today, month] = await reportNow();
    // No RESEED_MS wait: the next refresh already counts what report counts.
    expect(month).toBe('40');
    expect([usd(read().today.costTicks), usd(read().month.costTicks)]).toEqual([today, month]);
    expect(read().budgets.find((b) => b.name === 'org')!.spent_usd).toBe(Number(month));
    // `llmfin import --undo` of that invoice: back to the metered $3.
    const undoer = await openLedger(path);
    try {
      await undoBatch(undoer, batch);
    } finally {
      await undoer.close();
    }
    clock += 1000;
    await dash.poll();
    expect([read().today.costTicks, read().month.costTicks]).toEqual([3n * USD, 3n * USD]);
    expect(read().budgets.map((b) => [b.name, b.spent_usd])).toEqual([['org', 3], ['support', 2]]);
  });

  it('a re-pricing while it runs (pricing reprice) is counted at the next refresh: money, budgets, groups and feed, as report counts it', async () => {
    // Two claude-haiku-4-5 requests of 1,000 input and 100 output tokens, written at $2 and $1;
    // the catalogue prices each at 1,000 × $1/1M + 100 × $5/1M = $0.0015.
    insertRows(path, [req(-60_000, 2), req(-30_000, 1, { team: 'search' })]);
    const dash = await start();
    const read = () => dash.snapshot({ groupBy: 'team', filter: '' });
    expect([read().today.costTicks, read().month.costTicks]).toEqual([3n * USD, 3n * USD]);
    const writer = await openLedger(path);
    try {
      const pricer = await testPricer();
      const r = await repriceLedger(writer, pricer, { catalogueVersion: pricer.catalogue.manifest.version });
      expect(r.rowsChanged).toBe(2);
    } finally {
      await writer.close();
    }
    clock += 1000;
    await dash.poll();
    const ROW = 15_000_000n; // $0.0015 in ticks
    expect(read().today).toEqual({ costTicks: 2n * ROW, requests: 2, countedTicks: 2n * ROW, countedRequests: 2, unpriced: 0 });
    expect(read().month.costTicks).toBe(2n * ROW);
    expect(read().budgets.map((b) => [b.name, b.spent_usd])).toEqual([['org', 0.003], ['support', 0.0015]]);
    expect(read().groups.map((g) => [g.name, g.costTicks])).toEqual([['search', Number(ROW)], ['support', Number(ROW)]]);
    expect(read().latest.map((row) => row.costTicks)).toEqual([ROW, ROW]);
    expect(read().costliest.map((row) => row.costTicks)).toEqual([ROW, ROW]);
    // Exactly what report counts.
    const other = await openLedger(path, { readonly: true, create: false });
    try {
      const report = await buildReport(other, new Attributor([]), { by: ['team'], since: '2026-11-30T00:00:00.000Z', until: new Date(clock).toISOString(), basis: 'default', noRollup: true });
      expect(report.total.cost_usd_exact).toBe('0.003');
    } finally {
      await other.close();
    }
    // A dry run, or a re-pricing that changes nothing, is no reason to read it all again.
    const again = await openLedger(path);
    try {
      const pricer = await testPricer();
      expect((await repriceLedger(again, pricer, { catalogueVersion: pricer.catalogue.manifest.version })).rowsChanged).toBe(0);
      const meta = await sql<{ value: string }>`select value from meta where key = 'repriced'`.execute(again.db);
      expect(meta.rows).toEqual([{ value: '1' }]);
    } finally {
      await again.close();
    }
  });

  it('starts today again at midnight', async () => {
    clock = Date.parse('2026-11-30T23:59:59.000Z');
    insertRows(path, [{ ts: '2026-11-30T23:00:00.000Z', costTicks: USD, team: 'support' }]);
    const dash = await start();
    clock = Date.parse('2026-12-01T00:00:01.000Z');
    insertRows(path, [{ ts: '2026-12-01T00:00:00.500Z', costTicks: 2n * USD, team: 'support' }]);
    await dash.poll();
    const s = dash.snapshot({ groupBy: 'team', filter: '' });
    expect(s.today.costTicks).toBe(2n * USD);
    expect(s.month.costTicks).toBe(2n * USD);
    expect(s.budgets.find((b) => b.name === 'support')!.spent_usd).toBe(2);
  });
});
