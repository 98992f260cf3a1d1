// One organisation's usage downloaded twice with different settings (grouping, bucket
// width) must not be counted twice without a word: fixtures in
// test/fixtures/importers/overlap (SOURCE.md has the hand-computed dollars).
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

const dir = fileURLToPath(new URL('../fixtures/importers/overlap/', import.meta.url));

function folder(): string {
  const cwd = tempDir();
  for (const f of readdirSync(dir)) if (f.endsWith('.json')) copyFileSync(join(dir, f), join(cwd, f));
  return cwd;
}

async function ledgerTotal(cwd: string): Promise<number> {
  const report = await runJson<{ total: { cost_usd: number } }>(['report', '--db', 'l.db'], { cwd });
  return report.total.cost_usd;
}

async function imported(cwd: string, ...args: string[]) {
  const r = await runCli(['import', ...args, '--db', 'l.db'], { cwd });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('llmfin import: the same usage under another grouping', () => {
  it('refuses OpenAI pages grouped by model and project after the same day grouped by model: the ledger keeps $0.80, not $1.60', async () => {
    const cwd = folder();
    await imported(cwd, 'openai-2026-10-01-by-model.json');
    const r = await runCli(['import', 'openai-2026-10-01-by-model-project.json', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('openai-2026-10-01-by-model-project.json (openai-usage): batch 1 (openai-2026-10-01-by-model.json) holds the same usage grouped otherwise on 2026-10-01');
    expect(r.stderr).toContain('nothing was imported from this file');
    expect(r.stderr).toContain('llmfin import --undo 1');
    expect(r.stderr).toContain('--allow-overlap');
    expect(await ledgerTotal(cwd)).toBe(0.8);
    const list = await runJson<{ rows: unknown[] }>(['import', '--list', '--db', 'l.db'], { cwd });
    expect(list.rows).toHaveLength(1);
  });

  it('refuses it the other way round, and in one command, naming the earlier file', async () => {
    const cwd = folder();
    await imported(cwd, 'openai-2026-10-01-by-model-project.json');
    const r = await runCli(['import', 'openai-2026-10-01-by-model.json', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(await ledgerTotal(cwd)).toBe(0.8);
    const both = folder();
    const one = await runCli(['import', 'openai-2026-10-01-by-model.json', 'openai-2026-10-01-by-model-project.json', '--db', 'l.db'], { cwd: both });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('batch 1 (openai-2026-10-01-by-model.json) holds the same usage');
    expect(await ledgerTotal(both)).toBe(0.8);
  });

  it('undoing the earlier batch lets the finer grouping in: $0.80', async () => {
    const cwd = folder();
    await imported(cwd, 'openai-2026-10-01-by-model.json');
    await imported(cwd, '--undo', '1');
    await imported(cwd, 'openai-2026-10-01-by-model-project.json');
    expect(await ledgerTotal(cwd)).toBe(0.8);
  });

  it('--allow-overlap imports both, as different usage: $1.60', async () => {
    const cwd = folder();
    await imported(cwd, 'openai-2026-10-01-by-model.json');
    const r = await imported(cwd, 'openai-2026-10-01-by-model-project.json', '--allow-overlap');
    expect(r.stderr).toBe('');
    expect(await ledgerTotal(cwd)).toBe(1.6);
  });

  it('a dry run is refused as the import would be, and writes nothing', async () => {
    const cwd = folder();
    await imported(cwd, 'openai-2026-10-01-by-model.json');
    const r = await runCli(['import', 'openai-2026-10-01-by-model-project.json', '--dry-run', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds the same usage grouped otherwise');
    expect(await ledgerTotal(cwd)).toBe(0.8);
  });

  it('warns, without refusing, when the totals differ (one project beside the whole organisation): $1.20, batch named', async () => {
    const cwd = folder();
    await imported(cwd, 'openai-2026-10-01-by-model.json');
    const r = await imported(cwd, 'openai-2026-10-01-project-a.json');
    expect(r.stderr).toContain('warning: openai-2026-10-01-project-a.json (openai-usage) covers 2026-10-01, where batch 1 (openai-2026-10-01-by-model.json) holds openai-usage rows it did not replace');
    expect(r.stderr).toContain('reports count that spend twice');
    expect(await ledgerTotal(cwd)).toBe(1.2);
    const json = await runJson<{ rows: Array<{ overlapping_batches: unknown[] }> }>(['import', 'openai-2026-10-01-by-model-project.json', '--allow-overlap', '--dry-run', '--db', 'l.db'], { cwd });
    expect(json.rows[0]!.overlapping_batches).toEqual([]);
  });

  it('a dry run of several files shows no scratch batch id in overlapping_batches: null and the file for one given earlier, the real id for the ledger\'s', async () => {
    const cwd = folder();
    // Batch 1, unrelated: the scratch copy would number the first file below batch 2.
    await imported(cwd, 'anthropic-2026-10-01-02-daily-by-model.json');
    type Rows = { rows: Array<{ file: string; batch_id: number | null; overlapping_batches: unknown[] }> };
    const both = await runJson<Rows>(['import', 'openai-2026-10-01-by-model.json', 'openai-2026-10-01-project-a.json', '--dry-run', '--db', 'l.db'], { cwd });
    expect(both.rows.map((r) => r.batch_id)).toEqual([null, null]);
    expect(both.rows[1]!.overlapping_batches).toEqual([{ batch_id: null, file: 'openai-2026-10-01-by-model.json', first_day: '2026-10-01', last_day: '2026-10-01' }]);
    // Imported for real as batch 2, the same dry run names it by the id --undo takes.
    await imported(cwd, 'openai-2026-10-01-by-model.json');
    const real = await runJson<Rows>(['import', 'openai-2026-10-01-project-a.json', 'openai-2026-10-01-project-a.json', '--dry-run', '--db', 'l.db'], { cwd });
    expect(real.rows[0]!.overlapping_batches).toEqual([{ batch_id: 2, file: 'openai-2026-10-01-by-model.json', first_day: '2026-10-01', last_day: '2026-10-01' }]);
  });

  it('refuses Anthropic usage by workspace after the same days by model: the ledger keeps $1.80', async () => {
    const cwd = folder();
    await imported(cwd, 'anthropic-2026-10-01-02-daily-by-model.json');
    const r = await runCli(['import', 'anthropic-2026-10-01-02-daily-by-workspace.json', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('batch 1 (anthropic-2026-10-01-02-daily-by-model.json) holds the same usage grouped otherwise on 2026-10-01 … 2026-10-02');
    expect(await ledgerTotal(cwd)).toBe(1.8);
  });

  it('refuses a partial hourly export beside the daily one of the same grouping: $1.80, not $1.92', async () => {
    const cwd = folder();
    await imported(cwd, 'anthropic-2026-10-01-02-daily-by-model.json');
    const r = await runCli(['import', 'anthropic-2026-10-01-hourly-12-14.json', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('batch 1 (anthropic-2026-10-01-02-daily-by-model.json) has rows of the same accounts whose buckets start before this file\'s period and reach into it (2026-10-01)');
    expect(r.stderr).toContain('export whole days');
    expect(await ledgerTotal(cwd)).toBe(1.8);
  });

  it('refuses a partial hourly export that ends mid-day beside the daily one: the daily Oct 1 row is not lost, $1.80, not $1.32', async () => {
    const cwd = folder();
    await imported(cwd, 'anthropic-2026-10-01-02-daily-by-model.json');
    const r = await runCli(['import', 'anthropic-2026-10-01-hourly-00-02.json', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('anthropic-2026-10-01-hourly-00-02.json (anthropic-usage): batch 1 (anthropic-2026-10-01-02-daily-by-model.json) has rows of the same accounts whose buckets start inside this file\'s period and end after it (2026-10-01)');
    expect(r.stderr).toContain('nothing was imported from this file');
    expect(r.stderr).toContain('llmfin import --undo 1');
    expect(r.stderr).toContain('export whole days');
    expect(r.stderr).toContain('--allow-overlap');
    expect(await ledgerTotal(cwd)).toBe(1.8);
    const list = await runJson<{ rows: unknown[] }>(['import', '--list', '--db', 'l.db'], { cwd });
    expect(list.rows).toHaveLength(1);
    // The dry run says the same, and writes nothing.
    const dry = await runCli(['import', 'anthropic-2026-10-01-hourly-00-02.json', '--dry-run', '--db', 'l.db'], { cwd });
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain('start inside this file\'s period and end after it');
    expect(await ledgerTotal(cwd)).toBe(1.8);
  });

  it('--allow-overlap keeps the daily row beside the partial hourly export, as for one that starts mid-day: $1.80 + $0.12 = $1.92', async () => {
    const cwd = folder();
    await imported(cwd, 'anthropic-2026-10-01-02-daily-by-model.json');
    const r = await imported(cwd, 'anthropic-2026-10-01-hourly-00-02.json', '--allow-overlap');
    expect(r.stdout).toContain('0 replaced');
    expect(await ledgerTotal(cwd)).toBe(1.92);
    const late = folder();
    await imported(late, 'anthropic-2026-10-01-02-daily-by-model.json');
    await imported(late, 'anthropic-2026-10-01-hourly-12-14.json', '--allow-overlap');
    expect(await ledgerTotal(late)).toBe(1.92);
  });

  it('refuses an OpenAI hourly export ending mid-day after the daily one of that day: $0.80 kept, not $0.16', async () => {
    const cwd = folder();
    await imported(cwd, 'openai-2026-10-01-by-model.json');
    const r = await runCli(['import', 'openai-2026-10-01-hourly-00-02.json', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('openai-2026-10-01-hourly-00-02.json (openai-usage): batch 1 (openai-2026-10-01-by-model.json) has rows of the same accounts whose buckets start inside this file\'s period and end after it (2026-10-01)');
    expect(await ledgerTotal(cwd)).toBe(0.8);
    // The whole day afterwards replaces the partial hours: $0.80.
    const back = folder();
    await imported(back, 'openai-2026-10-01-hourly-00-02.json');
    const daily = await imported(back, 'openai-2026-10-01-by-model.json');
    expect(daily.stdout).toContain('2 replaced');
    expect(await ledgerTotal(back)).toBe(0.8);
  });

  it('a daily export after the partial hourly one replaces it: $1.80', async () => {
    const cwd = folder();
    await imported(cwd, 'anthropic-2026-10-01-hourly-12-14.json');
    const r = await imported(cwd, 'anthropic-2026-10-01-02-daily-by-model.json');
    expect(r.stderr).toBe('');
    expect(await ledgerTotal(cwd)).toBe(1.8);
  });

  it('keeps the legitimate cases importing: two organisations (--account), the same file again, a corrected export', async () => {
    const cwd = folder();
    await imported(cwd, 'openai-2026-10-01-by-model.json', '--account', 'acme-eu');
    const us = await imported(cwd, 'openai-2026-10-01-by-model-project.json', '--account', 'acme-us');
    expect(us.stderr).toBe('');
    expect(await ledgerTotal(cwd)).toBe(1.6);
    const again = await imported(cwd, 'openai-2026-10-01-by-model-project.json', '--account', 'acme-us');
    expect(again.stdout).toContain('already imported');
    expect(await ledgerTotal(cwd)).toBe(1.6);

    const anthropic = folder();
    await imported(anthropic, 'anthropic-2026-10-01-02-daily-by-workspace.json');
    // The same grouping again, corrected: wrkspc_b's Oct 1 output 15,000 → 5,000 ($0.345 → $0.195); it replaces its slice.
    const text = readFileSync(join(anthropic, 'anthropic-2026-10-01-02-daily-by-workspace.json'), 'utf8');
    writeFileSync(join(anthropic, 'corrected.json'), text.replace('"output_tokens":15000', '"output_tokens":5000'));
    const corrected = await runCli(['import', 'corrected.json', '--db', 'l.db'], { cwd: anthropic });
    expect(corrected.code, corrected.stderr).toBe(0);
    expect(corrected.stderr).toBe('');
    expect(await ledgerTotal(anthropic)).toBe(1.65);
  });
});
