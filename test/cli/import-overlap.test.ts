// One organisation's usage downloaded twice with different settings (grouping, bucket
// width) must not be counted twice without a word: fixtures in
// test/fixtures/importers/overlap (SOURCE.md has the hand-computed dollars).
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
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

  it('refuses a daily export and a partial hourly one of the same usage given in one command, either way round: they are not parts of one export', async () => {
    const cwd = folder();
    const daily = 'anthropic-2026-10-01-02-daily-by-model.json';
    // Before, the hourly file was taken for another part of the daily one's export, imported
    // beside it with a warning, and Oct 1 12:00-14:00 counted twice: $1.80 + $0.12 = $1.92.
    const r = await runCli(['import', daily, 'anthropic-2026-10-01-hourly-12-14.json', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `anthropic-2026-10-01-hourly-12-14.json (anthropic-usage): batch 1 (${daily}), given earlier in this command, has the same accounts' usage of the same models in daily buckets where this file's are hourly (2026-10-01): ` +
        'the same usage exported twice, not parts of one export; imported beside it, reports would count those days twice, so nothing was imported from this file',
    );
    expect(r.stderr).toContain('llmfin import --undo 1');
    expect(r.stderr).toContain('--allow-overlap');
    expect(r.stderr).toContain(`anthropic-2026-10-01-hourly-12-14.json stopped the import: ${daily} imported (above)`);
    // The daily file is imported, the hourly one is not: $1.80.
    expect(await ledgerTotal(cwd)).toBe(1.8);
    expect((await runJson<{ rows: unknown[] }>(['import', '--list', '--db', 'l.db'], { cwd })).rows).toHaveLength(1);

    // The hourly file first: the daily one is refused, and the ledger keeps the hourly $0.12 (before, $1.92).
    const back = folder();
    const b = await runCli(['import', 'anthropic-2026-10-01-hourly-00-02.json', daily, '--db', 'l.db'], { cwd: back });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`${daily} (anthropic-usage): batch 1 (anthropic-2026-10-01-hourly-00-02.json), given earlier in this command, has the same accounts' usage of the same models in hourly buckets where this file's are daily (2026-10-01)`);
    expect(await ledgerTotal(back)).toBe(0.12);

    // OpenAI's pages too, and a dry run says the same, naming the file given earlier instead of a batch.
    const openai = folder();
    const dry = await runCli(['import', 'openai-2026-10-01-by-model.json', 'openai-2026-10-01-hourly-00-02.json', '--dry-run', '--db', 'l.db'], { cwd: openai });
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain(
      "openai-2026-10-01-hourly-00-02.json (openai-usage): openai-2026-10-01-by-model.json, given earlier in this dry run, has the same accounts' usage of the same models in daily buckets where this file's are hourly (2026-10-01)",
    );
  });

  it('--allow-overlap imports a daily and a partial hourly export in one command, as different usage: $1.92', async () => {
    const cwd = folder();
    const r = await imported(cwd, 'anthropic-2026-10-01-02-daily-by-model.json', 'anthropic-2026-10-01-hourly-12-14.json', '--allow-overlap');
    expect(r.stderr).toBe('');
    expect(await ledgerTotal(cwd)).toBe(1.92);
  });

  it('keeps the parts of one bill together when one holds its month-long line and the other the hours it reaches over', async () => {
    const cwd = tempDir();
    const lines = readFileSync(fileURLToPath(new URL('../fixtures/importers/gcp-billing/billing-export-2026-10.jsonl', import.meta.url)), 'utf8').trimEnd().split('\n');
    // A monthly commitment line on search-prod (Oct 1 07:00 to Nov 1 07:00 UTC, $40) with the
    // Oct 4 rows in one part, and the Oct 5-6 rows of the same project in the other.
    const fee = lines[1]!
      .replace('"description":"Gemini 2.5 Pro Text Output - Predictions"', '"description":"Commitment v1: Vertex AI provisioned throughput"')
      .replace(/"usage_start_time":"[^"]+","usage_end_time":"[^"]+"/, '"usage_start_time":"2026-10-01T07:00:00Z","usage_end_time":"2026-11-01T07:00:00Z"')
      .replace('"cost":0.12,', '"cost":40,');
    const oct4 = (l: string) => l.includes('"usage_start_time":"2026-10-04');
    writeFileSync(join(cwd, 'export-000000000000.json'), `${[fee, ...lines.filter(oct4)].join('\n')}\n`);
    writeFileSync(join(cwd, 'export-000000000001.json'), `${lines.filter((l) => !oct4(l)).join('\n')}\n`);
    const r = await imported(cwd, 'export-000000000000.json', 'export-000000000001.json');
    expect(r.stderr).toBe('');
    // The export's 3.11325 and the fee: 43.11325, each row once (10^10 ticks a dollar).
    const ledger = new Database(join(cwd, 'l.db'), { readonly: true });
    try {
      expect(ledger.prepare('select count(*) as n, sum(cost_ticks) as ticks from usage_entries').get()).toEqual({ n: 23, ticks: 431_132_500_000 });
    } finally {
      ledger.close();
    }
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
