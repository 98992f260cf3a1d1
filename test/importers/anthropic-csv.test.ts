// Anthropic Console CSV downloads. Fixture columns from ../shared/research/exports.md §2.3,
// values synthetic (test/fixtures/importers/anthropic-csv/SOURCE.md). Every money figure is
// computed by hand below from the catalogue (`llmfin pricing show MODEL`, USD per 1M tokens):
//   claude-sonnet-4-5  input 3 · cache read 0.3 · 5m write 3.75 · output 15
//   claude-haiku-4-5   input 1 · cache read 0.1 · 1h write 2 · output 5, batch ×0.5
//   claude-opus-4-6    input 5 · 5m write 6.25 · output 25 (since 2026-03-13), US-only ×1.1, fast ×6
// Anthropic partitions input: uncached + cache read + cache writes, nothing subtracted.
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anthropicCsvImporter } from '../../src/importers/anthropic-csv/anthropic-csv-importer.js';
import { IMPORTERS } from '../../src/importers/registry.js';
import { chooseImporter } from '../../src/importers/run-import.js';
import { readSample } from '../../src/importers/source-input.js';
import { ledgerTotals } from '../../src/ledger/queries/spend-summary.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

const fx = (p: string) => fileURLToPath(new URL(`../fixtures/importers/${p}`, import.meta.url));
const USAGE = fx('anthropic-csv/claude_api_usage_2026-10-01_2026-10-03.csv');
const HOURLY = fx('anthropic-csv/claude_api_usage_2026-10-04_hourly.csv');
const COST = fx('anthropic-csv/claude_api_cost_2026-10-01_2026-10-03.csv');
const CORRECTED = fx('anthropic-csv/claude_api_cost_2026-10-01_2026-10-03-corrected.csv');

const USAGE_HEADER = 'usage_date_utc,model_version,api_key,workspace,usage_type,context_window,usage_input_tokens_no_cache,usage_input_tokens_cache_write_5m,usage_input_tokens_cache_write_1h,usage_input_tokens_cache_read,usage_output_tokens,web_search_count,inference_geo,speed';
const COST_HEADER = 'usage_date_utc,model,workspace,api_key,usage_type,context_window,token_type,cost_usd,list_price_usd,cost_type,inference_geo,speed,api_key_id,api_key_status';

describe('anthropic-csv detection', () => {
  it('picks anthropic-csv for the usage and cost downloads, and nothing else takes them', () => {
    for (const f of [USAGE, HOURLY, COST, CORRECTED]) expect(chooseImporter(f, f, undefined, IMPORTERS).id, f).toBe('anthropic-csv');
  });

  it('refuses the Admin API JSON reports and the OpenAI dashboard CSVs with the reason', () => {
    for (const f of [fx('anthropic-usage/usage-report-2026-10.json'), fx('anthropic-cost/cost-report-2026-10.json'), fx('openai-csv/cost_2025-10-05_2025-10-07.csv')]) {
      expect(anthropicCsvImporter.detect(readSample(f, f))).toEqual({ ok: false, reason: 'no "usage_date_utc" column with "usage_input_tokens_no_cache" or "cost_usd"' });
    }
  });

  it('`llmfin import FILE` without --source imports it as anthropic-csv', async () => {
    const cwd = tempDir();
    copyFileSync(USAGE, join(cwd, 'usage.csv'));
    const r = await runCli(['import', 'usage.csv', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { rows: Array<Record<string, unknown>> }).rows[0]).toMatchObject({ source: 'anthropic-csv', status: 'imported', rows_imported: 6 });
  });
});

describe('anthropic-csv usage download', () => {
  it('prices partitioned input, batch, 1h writes, US-only inference and fast mode exactly', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, anthropicCsvImporter, USAGE);
    // 10-01 sonnet 4.5:         41,000×3 + 120,000×0.3 + 9,000×3.75 + 6,200×15
    //                           + 3 web searches × $0.01                         = $0.31575
    // 10-01 haiku 4.5 batch:    (1,000,000×1 + 200,000×5) × 0.5                  = $1
    // 10-02 haiku 4.5:          20,000×1 + 50,000×0.1 + 10,000×2 + 8,000×5       = $0.085
    // 10-02 opus 4.6 US-only:   (10,000×5 + 2,000×6.25 + 2,000×25) × 1.1         = $0.12375
    // 10-03 opus 4.6 fast:      (1,000×5 + 1,000×25) × 6                         = $0.18
    // 10-03 sonnet 4.5 > 200k, long-context rates: 500,000×6 + 1,000×22.5        = $3.0225
    // 10-03 a blank row: skipped
    expect(s).toMatchObject({ source: 'anthropic-csv', rowsRead: 6, rowsImported: 6, costUsd: '4.727', unpricedModels: [] });
    expect(s.byProvider).toEqual([{ provider: 'anthropic', provenance: 'provider_usage', rows: 6, cost_usd: '4.727', unpriced_rows: 0 }]);
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.ts.slice(0, 10), r.matched_model, r.cost_usd, r.service_tier, r.region, r.workspace, r.api_key])).toEqual([
      ['2026-10-01', 'claude-sonnet-4-5', '0.31575', null, null, 'Support', 'support-bot'],
      ['2026-10-01', 'claude-haiku-4-5', '1', 'batch', null, 'Default', 'batch-jobs'],
      ['2026-10-02', 'claude-haiku-4-5', '0.085', null, null, 'Support', 'support-bot'],
      ['2026-10-02', 'claude-opus-4-6', '0.12375', null, 'us', 'Research', 'research-notebook'],
      ['2026-10-03', 'claude-opus-4-6', '0.18', 'fast', null, 'Research', 'research-notebook'],
      ['2026-10-03', 'claude-sonnet-4-5', '3.0225', null, null, 'Support', 'support-bot'],
    ]);
    expect(rows[0]).toMatchObject({
      provenance: 'provider_usage', model: 'claude-sonnet-4-5-20250929', granularity: 'day', ts: '2026-10-01T00:00:00.000Z', ts_end: '2026-10-02T00:00:00.000Z',
      input_tokens: 170_000, uncached_input_tokens: 41_000, cache_read_tokens: 120_000, cache_write_5m_tokens: 9_000, cache_write_1h_tokens: 0, output_tokens: 6_200, requests: 0,
      web_search_requests: 3,
    });
    // Counts written as floats ("20000.0") are whole numbers.
    expect(rows[2]).toMatchObject({ input_tokens: 80_000, uncached_input_tokens: 20_000, cache_read_tokens: 50_000, cache_write_1h_tokens: 10_000, output_tokens: 8_000 });
    expect(rows[5]!.description).toMatch(/^context window > 200k: priced at long-context rates/);
    // web_search_count is priced (above) and kept in raw as written.
    expect(rows.map((r) => r.web_search_requests)).toEqual([3, 0, 0, 0, 0, 0]);
    expect(JSON.parse(rows[0]!.raw_usage!)).toMatchObject({ web_search_count: '3', context_window: '≤ 200k' });
    await ledger.close();
  });

  it('an hourly download gives hour rows', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, anthropicCsvImporter, HOURLY);
    // 3,000×1 + 1,000×5 = $0.008; 2,000×1 + 400×5 = $0.004
    expect(s).toMatchObject({ rowsImported: 2, costUsd: '0.012' });
    const rows = await ledger.db.selectFrom('usage_entries').select(['ts', 'ts_end', 'granularity', 'cost_usd']).orderBy('ts').execute();
    expect(rows).toEqual([
      { ts: '2026-10-04T09:00:00.000Z', ts_end: '2026-10-04T10:00:00.000Z', granularity: 'hour', cost_usd: '0.008' },
      { ts: '2026-10-04T10:00:00.000Z', ts_end: '2026-10-04T11:00:00.000Z', granularity: 'hour', cost_usd: '0.004' },
    ]);
    await ledger.close();
  });

  it('the same file twice changes nothing', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, anthropicCsvImporter, USAGE);
    expect((await importInto(ledger, anthropicCsvImporter, USAGE)).status).toBe('already-imported');
    expect(await ledgerTotals(ledger)).toMatchObject({ rows: 6, cost_usd: '4.727' });
    await ledger.close();
  });
});

describe('anthropic-csv cost download', () => {
  it('keeps the billed dollars exactly and maps display names to catalogue ids', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, anthropicCsvImporter, COST);
    // 10-01 sonnet 4.5: 0.123 + 0.03375 + 0.036 + 0.093 + web search 0.03  = 0.31575
    // 10-01 haiku batch: 0.5 + 0.5                                           = 1
    // 10-02 haiku: 0.02 + 0.02 + 0.005 + 0.04                                = 0.085
    // 10-02 opus US-only: 0.055 + 0.01375 + 0.055                            = 0.12375
    // 10-03 opus fast: 0.03 + 0.15                                           = 0.18
    // 10-03 sonnet > 200k at long-context rates: 500,000×6 + 1,000×22.5      = 3.0225
    // 10-03 "Claude Instant 1.2"                                             = 0.01
    // total 4.737
    expect(s).toMatchObject({ rowsRead: 19, rowsImported: 19, costUsd: '4.737' });
    expect(s.byProvider).toEqual([{ provider: 'anthropic', provenance: 'billed', rows: 19, cost_usd: '4.737', unpriced_rows: 0 }]);
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
    expect(rows.every((r) => r.cost_status === 'billed' && r.provenance === 'billed')).toBe(true);
    expect(rows[0]).toMatchObject({ model: 'claude-sonnet-4-5', cost_usd: '0.123', reported_cost_usd: '0.123', description: 'Claude Sonnet 4.5, input_no_cache', workspace: 'Support', api_key: 'apikey_01support', granularity: 'day' });
    expect(JSON.parse(rows[0]!.raw_usage!)).toMatchObject({ api_key: 'support-bot', list_price_usd: '0.1230000000' });
    expect(rows[4]).toMatchObject({ cost_usd: '0.03', description: 'Claude Sonnet 4.5, web_search' });
    expect(rows[5]).toMatchObject({ model: 'claude-haiku-4-5', service_tier: 'batch', cost_usd: '0.5', api_key: 'apikey_02batch', workspace: 'Default' });
    expect(rows[11]).toMatchObject({ model: 'claude-opus-4-6', region: 'us' });
    expect(rows[14]).toMatchObject({ model: 'claude-opus-4-6', service_tier: 'fast' });
    expect(rows[16]).toMatchObject({ cost_usd: '3', description: 'Claude Sonnet 4.5, input_no_cache; context window > 200k' });
    // A display name the catalogue does not know stays as written, and its money is kept.
    expect(rows[18]).toMatchObject({ model: 'Claude Instant 1.2', cost_usd: '0.01', cost_status: 'billed', description: 'Claude Instant 1.2, output; model "Claude Instant 1.2" not in the price catalogue' });
    await ledger.close();
  });

  it('importing the cost download keeps the usage rows of the same days', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, anthropicCsvImporter, USAGE);
    await importInto(ledger, anthropicCsvImporter, COST);
    const t = await ledgerTotals(ledger);
    // The estimate prices the web searches the bill charges: it is short of the bill by the
    // "Claude Instant 1.2" line alone ($0.01), which the usage download does not have.
    expect(t.by_provenance.provider_usage).toMatchObject({ rows: 6, cost_usd: '4.727' });
    expect(t.by_provenance.billed).toMatchObject({ rows: 19, cost_usd: '4.737' });
    await ledger.close();
  });

  it('a corrected download replaces its period instead of adding to it', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, anthropicCsvImporter, USAGE);
    await importInto(ledger, anthropicCsvImporter, COST);
    const s = await importInto(ledger, anthropicCsvImporter, CORRECTED);
    // 18 rows upserted over their earlier versions + the "Claude Instant 1.2" row swept
    expect(s).toMatchObject({ rowsImported: 18, rowsReplaced: 19 });
    const t = await ledgerTotals(ledger);
    // 4.737 − 0.01 (row gone) − 0.05 (haiku batch output 0.5 → 0.45)
    expect(t.by_provenance.billed).toMatchObject({ rows: 18, cost_usd: '4.677' });
    expect(t.by_provenance.provider_usage).toMatchObject({ rows: 6, cost_usd: '4.727' });
    await ledger.close();
  });
});

describe('anthropic-csv bad rows', () => {
  it('a fractional token count is exit 2 naming file, line and column, and the ledger is unchanged', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'usage.csv'), `${USAGE_HEADER}\n2026-10-01,claude-haiku-4-5-20251001,k,W,message,≤ 200k,10,0,0,0,10,0,global,standard\n2026-10-01,claude-haiku-4-5-20251001,k2,W,message,≤ 200k,10.5,0,0,0,10,0,global,standard\n`);
    const r = await runCli(['import', 'usage.csv', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage.csv:3: usage_input_tokens_no_cache: expected a whole number >= 0, got "10.5"');
    // Nothing imported, and no ledger left behind for it.
    expect(existsSync(join(cwd, 'l.db'))).toBe(false);
  });

  it('a usage download with a cache column renamed is exit 2 naming the column, not priced without its tokens', async () => {
    for (const column of ['usage_input_tokens_cache_read', 'usage_input_tokens_cache_write_5m', 'usage_input_tokens_cache_write_1h']) {
      const cwd = tempDir();
      writeFileSync(join(cwd, 'usage.csv'), `${USAGE_HEADER.replace(column, `${column}_x`)}\n2026-10-01,claude-haiku-4-5-20251001,k,W,message,≤ 200k,10,20,30,40,10,0,global,standard\n`);
      const r = await runCli(['import', 'usage.csv', '--db', 'l.db'], { cwd });
      expect(r.code, column).toBe(2);
      expect(r.stderr).toContain(`usage.csv:1: ${column}: expected a "${column}" column in a usage export, got none`);
      expect(existsSync(join(cwd, 'l.db'))).toBe(false);
    }
  });

  it('a cost that is not a dollar amount, or a date that is not one, names the column', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'cost.csv'), `${COST_HEADER}\n2026-10-01,Claude Haiku 4.5,W,k,message,≤ 200k,output,$1.00,1,token,global,standard,apikey_1,active\n`);
    const cost = await runCli(['import', 'cost.csv', '--db', 'l.db'], { cwd });
    expect(cost.code).toBe(2);
    expect(cost.stderr).toContain('cost.csv:2: cost_usd: expected a dollar amount such as 0.0375, got "$1.00"');
    writeFileSync(join(cwd, 'day.csv'), `${COST_HEADER}\n10/01/2026,Claude Haiku 4.5,W,k,message,≤ 200k,output,1.00,1,token,global,standard,apikey_1,active\n`);
    const day = await runCli(['import', 'day.csv', '--db', 'l.db'], { cwd });
    expect(day.code).toBe(2);
    expect(day.stderr).toContain('day.csv:2: usage_date_utc: expected a UTC date such as 2026-10-01 or a date and hour, got "10/01/2026"');
  });

  it('a currency column other than USD is exit 2', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'cost.csv'), `${COST_HEADER},currency\n2026-10-01,Claude Haiku 4.5,W,k,message,≤ 200k,output,1.00,1,token,global,standard,apikey_1,active,EUR\n`);
    const r = await runCli(['import', 'cost.csv', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cost.csv:2: currency: expected USD, got "EUR"');
  });
});
