// A budget on a model covers the ids the model is served under: OpenAI answers `gpt-4o` with
// `gpt-4o-2024-08-06`, and the ledger records that id as `model` with the catalogue model it
// was priced as (`gpt-4o`) as `matched_model`. A budget on `gpt-4o` counts both rows; one on
// the dated id counts that id's rows alone. Budget status, forecast's history, the proxy's
// seed and top's bars all read it so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attributor } from '../../src/attribution/attributor.js';
import { budgetSpends, scopeWhere } from '../../src/budgets/budget-spend.js';
import { loadBudgetGuard } from '../../src/budgets/load-budget-guard.js';
import { scopedReports } from '../../src/budgets/scoped-reports.js';
import { ConfigSchema, type BudgetConfig } from '../../src/config/config-schema.js';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { LiveDashboard } from '../../src/tui/data/live-dashboard.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { testPricer } from '../helpers/import.js';
import { insertRows, type RequestRowInput } from '../tui/helpers/insert-rows.js';

const USD = 10_000_000_000n;
const cents = (n: number) => (BigInt(n) * USD) / 100n;

const budget = (name: string, model: string): BudgetConfig => ({ name, scope: { model }, period: 'monthly', limit_usd: 100, soft_limit_percent: 80, action: 'alert', timezone: 'UTC' });
const BUDGETS = [
  budget('on-4o', 'gpt-4o'),
  budget('on-snapshot', 'gpt-4o-2024-08-06'),
  budget('on-mini', 'gpt-4o-mini'),
  budget('on-bedrock-sonnet', 'anthropic.claude-sonnet-4-5'),
  budget('on-bedrock-id', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
];

const openai = (ts: string, model: string, matched: string, costTicks: bigint): RequestRowInput => ({ ts, provider: 'openai', model, matchedModel: matched, modelRequested: matched, costTicks });
const ROWS: RequestRowInput[] = [
  // September's history: a dated gpt-4o row, $1.00.
  openai('2026-09-10T10:00:00.000Z', 'gpt-4o-2024-08-06', 'gpt-4o', cents(100)),
  // October: dated gpt-4o $0.10, undated gpt-4o $0.20, dated gpt-4o-mini $0.40, a Bedrock inference profile $0.80.
  openai('2026-10-05T10:00:00.000Z', 'gpt-4o-2024-08-06', 'gpt-4o', cents(10)),
  openai('2026-10-06T10:00:00.000Z', 'gpt-4o', 'gpt-4o', cents(20)),
  openai('2026-10-07T10:00:00.000Z', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini', cents(40)),
  { ts: '2026-10-08T10:00:00.000Z', provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', matchedModel: 'anthropic.claude-sonnet-4-5', costTicks: cents(80) },
];
// October 20th: on-4o $0.10 + $0.20; on-snapshot $0.10; on-mini $0.40; both Bedrock ones $0.80.
const OCTOBER = [cents(30), cents(10), cents(40), cents(80), cents(80)];

describe('a budget on a model', () => {
  let dir: string;
  let path: string;
  let ledger: LedgerStore;
  const attributor = new Attributor([]);
  const at = new Date('2026-10-20T12:00:00Z');
  beforeAll(async () => {
    dir = tempDir();
    path = join(dir, 'l.db');
    await (await openLedger(path)).close();
    insertRows(path, ROWS);
    ledger = await openLedger(path);
  });
  afterAll(async () => {
    await ledger.close();
  });

  it('counts the ids its catalogue model was served under, and a dated id only its own rows', async () => {
    expect((await budgetSpends(ledger, attributor, BUDGETS, at)).map((s) => s.spentTicks)).toEqual(OCTOBER);
    // Each budget read alone (a query of its own keeps its `where`) agrees with the shared read.
    for (const [i, b] of BUDGETS.entries()) expect((await budgetSpends(ledger, attributor, [b], at))[0]!.spentTicks).toBe(OCTOBER[i]);
  });

  it('reads the same history by day from the rollup as a trajectory does', async () => {
    // Whole days (the rollup answers): on-4o has September's $1.00 and October's two days.
    const [on4o, snapshot] = await scopedReports(ledger, attributor, ['day'], BUDGETS.slice(0, 2).map((b) => ({ where: scopeWhere(b), since: '2026-09-01T00:00:00.000Z', until: '2026-10-20T00:00:00.000Z' })));
    expect(on4o!.rows.map((r) => [r.dims.day, r.sums.cost_ticks])).toEqual([
      ['2026-09-10', cents(100)],
      ['2026-10-05', cents(10)],
      ['2026-10-06', cents(20)],
    ]);
    expect(snapshot!.rows.map((r) => [r.dims.day, r.sums.cost_ticks])).toEqual([
      ['2026-09-10', cents(100)],
      ['2026-10-05', cents(10)],
    ]);
  });

  it('reads the same spend in budget status, forecast, the proxy\'s seed and top\'s bars', async () => {
    writeFileSync(
      join(dir, 'llmfin.yaml'),
      `ledger: { path: l.db }\nbudgets:\n${BUDGETS.map((b) => `  - { name: ${b.name}, scope: { model: "${b.scope.model}" }, limit_usd: 100 }\n`).join('')}`,
    );
    const status = await runCli(['budget', 'status', '--at', at.toISOString(), '--format', 'json'], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    const dollars = [0.3, 0.1, 0.4, 0.8, 0.8];
    const rows = JSON.parse(status.stdout).rows as Array<{ name: string; spent_usd: number }>;
    expect(BUDGETS.map((b) => rows.find((r) => r.name === b.name)!.spent_usd)).toEqual(dollars);
    // No budget is named as one whose scope no spend ever matched.
    expect(status.stderr).not.toContain('no spend in the ledger has ever matched');
    const forecast = await runCli(['forecast', '--by', 'model', '--until', at.toISOString(), '--format', 'json'], { cwd: dir });
    expect(forecast.code, forecast.stderr).toBe(0);
    const budgets = JSON.parse(forecast.stdout).budgets as Array<{ name: string; spent_usd: number }>;
    expect(BUDGETS.map((b) => budgets.find((r) => r.name === b.name)!.spent_usd)).toEqual(dollars);

    const guard = await loadBudgetGuard(ledger, ConfigSchema.parse({ budgets: BUDGETS }), { now: () => at });
    expect(guard.snapshot().map((s) => s.spentTicks)).toEqual(OCTOBER);

    const readOnly = await openLedger(path, { readonly: true, create: false });
    try {
      const dash = await LiveDashboard.start({ ledger: readOnly, budgets: BUDGETS, attributor, pricer: await testPricer(), groupBy: 'team', now: () => at.getTime() });
      const bars = () => dash.snapshot({ groupBy: 'team', filter: '' }).budgets.map((b) => b.spent_usd);
      expect(bars()).toEqual(dollars);
      // A new dated gpt-4o row ($0.05) fills on-4o and on-snapshot, not on-mini.
      insertRows(path, [openai('2026-10-20T11:00:00.000Z', 'gpt-4o-2024-08-06', 'gpt-4o', cents(5))]);
      await dash.poll();
      expect(bars()).toEqual([0.35, 0.15, 0.4, 0.8, 0.8]);
    } finally {
      await readOnly.close();
    }
  });
});
