// `--where model=X` selects the spend a budget scoped `model: X` counts: the rows whose
// recorded id is X or whose catalogue model (matched_model) is X. OpenAI answers `gpt-4o`
// with `gpt-4o-2024-08-06`, priced as the catalogue's gpt-4o; a user who drills into a
// gpt-4o budget's money with `report --where model=gpt-4o` must see the same dollars, in
// report, forecast, anomalies, export and the unit metrics alike. A dated id still selects
// its own rows only, and `(unattributed)` only the rows without a model.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index.js';
import { runCli, runJson, tempDir } from '../helpers/cli.js';
import { insertRows, type RequestRowInput } from '../tui/helpers/insert-rows.js';

const USD = 10_000_000_000n;
const dollars = (n: number) => BigInt(n) * USD;

const row = (ts: string, model: string, matched: string | null, usd: number | null, trace: string): RequestRowInput => ({
  ts,
  provider: 'openai',
  model,
  matchedModel: matched,
  costTicks: usd === null ? null : dollars(usd),
  trace,
});
const ROWS: RequestRowInput[] = [
  // gpt-4o as OpenAI reports it (the dated snapshot) and as asked for: $1.00 + $2.00.
  row('2026-10-05T10:00:00.000Z', 'gpt-4o-2024-08-06', 'gpt-4o', 1, 't1'),
  row('2026-10-06T10:00:00.000Z', 'gpt-4o', 'gpt-4o', 2, 't2'),
  // A snapshot the catalogue prices apart: its own catalogue model, $4.00.
  row('2026-10-07T10:00:00.000Z', 'gpt-4o-2024-05-13', 'gpt-4o-2024-05-13', 4, 't3'),
  // gpt-4o-mini only ever recorded under its dated id: $8.00.
  row('2026-10-08T10:00:00.000Z', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini', 8, 't4'),
  // A model the catalogue does not know: recorded, no catalogue model, no price.
  row('2026-10-09T10:00:00.000Z', 'in-house-llm', null, null, 't5'),
];

describe('--where model=X', () => {
  let dir: string;
  const db = () => ['--db', join(dir, 'l.db')];
  const window = ['--since', '2026-10-01', '--until', '2026-10-10'];
  beforeAll(async () => {
    dir = tempDir();
    await (await openLedger(join(dir, 'l.db'))).close();
    insertRows(join(dir, 'l.db'), ROWS);
    writeFileSync(join(dir, 'llmfin.yaml'), 'budgets:\n  - { name: on-4o, scope: { model: gpt-4o }, limit_usd: 100 }\n');
  });

  const reportTotal = async (where: string, extra: string[] = []) =>
    (await runJson<{ total: { cost_usd: number; requests: number } }>(['report', ...db(), ...window, '--where', where, ...extra], { cwd: dir })).total;

  it('reports the money of every id priced as the catalogue model, as the budget on it counts', async () => {
    const status = await runJson<{ rows: Array<{ name: string; spent_usd: number }> }>(['budget', 'status', ...db(), '--at', '2026-10-20T00:00:00Z'], { cwd: dir });
    expect(status.rows.find((r) => r.name === 'on-4o')!.spent_usd).toBe(3);
    expect(await reportTotal('model=gpt-4o')).toMatchObject({ cost_usd: 3, requests: 2 });
    // Read from the rows, not the rollup: the same money.
    expect(await reportTotal('model=gpt-4o', ['--no-rollup'])).toMatchObject({ cost_usd: 3, requests: 2 });
    // Grouped by model, the drill-down shows which ids the money was recorded under.
    const byModel = await runJson<{ rows: Array<{ model: string; cost_usd: number }> }>(['report', ...db(), ...window, '--by', 'model', '--where', 'model=gpt-4o'], { cwd: dir });
    expect(byModel.rows.map((r) => [r.model, r.cost_usd])).toEqual([
      ['gpt-4o', 2],
      ['gpt-4o-2024-08-06', 1],
    ]);
  });

  it('finds a model recorded only under its dated ids, without a warning that no spend has it', async () => {
    const r = await runCli(['report', ...db(), ...window, '--where', 'model=gpt-4o-mini', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).total.cost_usd).toBe(8);
    expect(r.stderr).not.toContain('no spend in the ledger has this value');
  });

  it('names only the condition no spend meets when a model is found by its catalogue model alone', async () => {
    const r = await runCli(['report', ...db(), ...window, '--where', 'model=gpt-4o-mini,team=search'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('--where team=search: no spend in the ledger has this value');
    expect(r.stderr).not.toContain('--where model=gpt-4o-mini: no spend');
  });

  it('keeps a dated id to its own rows, and a snapshot priced apart to its own', async () => {
    expect((await reportTotal('model=gpt-4o-2024-08-06')).cost_usd).toBe(1);
    expect((await reportTotal('model=gpt-4o-2024-05-13')).cost_usd).toBe(4);
  });

  it('selects with (unattributed) only rows without a model, not those without a catalogue model', async () => {
    // The unpriced in-house row records a model: it is not (unattributed), whatever its catalogue model.
    const r = await runCli(['report', ...db(), ...window, '--where', 'model=(unattributed)', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).total.requests).toBe(0);
    expect((await reportTotal('model=in-house-llm')).requests).toBe(1);
  });

  it('forecasts from the same history', async () => {
    const f = await runJson<{ rows: Array<{ last_28d_cost_usd: number }> }>(['forecast', ...db(), ...window, '--where', 'model=gpt-4o'], { cwd: dir });
    expect(f.rows.map((r) => r.last_28d_cost_usd)).toEqual([3]);
  });

  it('judges the same days and traces in anomalies', async () => {
    const a = await runJson<{ entities: number; traces: number }>(['anomalies', ...db(), ...window, '--by', 'model', '--where', 'model=gpt-4o'], { cwd: dir });
    // Two series (gpt-4o and its dated id) and their two traces, t1 and t2.
    expect([a.entities, a.traces]).toEqual([2, 2]);
  });

  it('exports the same rows', async () => {
    const r = await runCli(['export', ...db(), '--format', 'jsonl', '--where', 'model=gpt-4o'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { model: string; cost_usd: string });
    expect(rows.map((x) => [x.model, x.cost_usd])).toEqual([
      ['gpt-4o-2024-08-06', '1'],
      ['gpt-4o', '2'],
    ]);
    const dated = await runCli(['export', ...db(), '--format', 'jsonl', '--where', 'model=gpt-4o-2024-08-06'], { cwd: dir });
    expect(dated.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { cost_usd: string }).cost_usd)).toEqual(['1']);
  });

  it('reads the same requests and traces in the unit metrics', async () => {
    const u = await runJson<{ top_traces: Array<{ trace: string; cost_usd: number }>; tokens_per_request: { count: number } }>(
      ['report', ...db(), ...window, '--metrics', 'units', '--where', 'model=gpt-4o'],
      { cwd: dir },
    );
    expect(u.top_traces.map((t) => [t.trace, t.cost_usd])).toEqual([
      ['t2', 2],
      ['t1', 1],
    ]);
    expect(u.tokens_per_request.count).toBe(2);
  });
});
