// OpenAI dashboard CSV exports. Fixture columns from ../shared/research/exports.md §1.3,
// values synthetic (test/fixtures/importers/openai-csv/SOURCE.md). Every money figure is
// computed by hand below from the catalogue (`llmfin pricing show MODEL`, USD per 1M tokens):
//   gpt-4o-2024-08-06       input 2.5 · cache read 1.25 · output 10
//   gpt-4o-mini-2024-07-18  input 0.15 · output 0.6, batch ×0.5
//   o3-2025-04-16           input 2 · cache read 0.5 · output 8 (since 2025-06-10)
//   text-embedding-3-small  input 0.02
// OpenAI's input_tokens include the cached ones: uncached = input − cached.
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openaiCsvImporter } from '../../src/importers/openai-csv/openai-csv-importer.js';
import { IMPORTERS } from '../../src/importers/registry.js';
import { chooseImporter } from '../../src/importers/run-import.js';
import { readSample } from '../../src/importers/source-input.js';
import { ledgerTotals } from '../../src/ledger/queries/spend-summary.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

const fx = (p: string) => fileURLToPath(new URL(`../fixtures/importers/${p}`, import.meta.url));
const COMPLETIONS = fx('openai-csv/completions_usage_2025-10-05_2025-10-07.csv');
const EMBEDDINGS = fx('openai-csv/embeddings_usage_2025-10-05_2025-10-07.csv');
const COST = fx('openai-csv/cost_2025-10-05_2025-10-07.csv');
const CORRECTED = fx('openai-csv/cost_2025-10-05_2025-10-07-corrected.csv');
const NO_DATA = fx('openai-csv/cost_2025-10-08_2025-10-08-no-data.csv');

const USAGE_HEADER = 'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens';
const COST_HEADER = 'start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,line_item,project_id,organization_id,organization_name';

/** A CSV in a fresh folder; returns the folder and the file name. */
function csvFile(name: string, text: string): { cwd: string; file: string } {
  const cwd = tempDir();
  writeFileSync(join(cwd, name), text);
  return { cwd, file: name };
}

describe('openai-csv detection', () => {
  it('picks openai-csv for every kind of dashboard export, and nothing else takes them', () => {
    for (const f of [COMPLETIONS, EMBEDDINGS, COST, CORRECTED, NO_DATA]) expect(chooseImporter(f, f, undefined, IMPORTERS).id, f).toBe('openai-csv');
  });

  it('refuses the API JSON exports and the Anthropic Console CSVs with the reason', () => {
    for (const f of [fx('openai-usage/usage-2026-10-by-model.jsonl'), fx('openai-costs/costs-2026-10.json'), fx('anthropic-csv/claude_api_cost_2026-10-01_2026-10-03.csv')]) {
      expect(openaiCsvImporter.detect(readSample(f, f))).toEqual({ ok: false, reason: 'no "amount_value" or "num_model_requests" column beside "start_time"' });
    }
  });

  it('`llmfin import FILE` without --source imports it as openai-csv', async () => {
    const cwd = tempDir();
    copyFileSync(COST, join(cwd, 'cost.csv'));
    const r = await runCli(['import', 'cost.csv', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { rows: Array<Record<string, unknown>> }).rows[0]).toMatchObject({ source: 'openai-csv', status: 'imported', rows_imported: 13 });
  });
});

describe('openai-csv usage exports', () => {
  it('prices each bucket from the catalogue, skipping the empty bucket', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, openaiCsvImporter, COMPLETIONS);
    // 2025-10-05 gpt-4o:            (59,200 − 19,200)×2.5 + 19,200×1.25 + 4,000×10 = $0.164
    // 2025-10-05 gpt-4o-mini batch: (1,000,000×0.15 + 500,000×0.6) × 0.5          = $0.225
    // 2025-10-06: an empty bucket, no row
    // 2025-10-07 o3:                (100,000 − 40,000)×2 + 40,000×0.5 + 10,000×8    = $0.22
    // 2025-10-07 gpt-4o:            (12,000 − 2,000)×2.5 + 2,000×1.25 + 1,500×10    = $0.0425
    expect(s).toMatchObject({ source: 'openai-csv', rowsRead: 4, rowsImported: 4, rowsRejected: 0, costUsd: '0.6515', unpricedModels: [] });
    expect(s.byProvider).toEqual([{ provider: 'openai', provenance: 'provider_usage', rows: 4, cost_usd: '0.6515', unpriced_rows: 0 }]);
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.ts.slice(0, 10), r.model, r.cost_usd, r.cost_status, r.service_tier, r.requests, r.granularity])).toEqual([
      ['2025-10-05', 'gpt-4o-2024-08-06', '0.164', 'priced', null, 10, 'day'],
      ['2025-10-05', 'gpt-4o-mini-2024-07-18', '0.225', 'priced', 'batch', 200, 'day'],
      ['2025-10-07', 'o3-2025-04-16', '0.22', 'priced', null, 20, 'day'],
      ['2025-10-07', 'gpt-4o-2024-08-06', '0.0425', 'priced', null, 3, 'day'],
    ]);
    expect(rows[0]).toMatchObject({
      provenance: 'provider_usage', source: 'openai-csv', provider: 'openai', project: 'proj_web', api_key: 'key_web', user: 'user_ana',
      input_tokens: 59200, uncached_input_tokens: 40000, cache_read_tokens: 19200, output_tokens: 4000,
      ts: '2025-10-05T00:00:00.000Z', ts_end: '2025-10-06T00:00:00.000Z',
    });
    // Start and end written as floats (1759795200.0) are the same instants.
    expect(rows[2]).toMatchObject({ project: 'proj_ds', user: 'user_ben', ts: '2025-10-07T00:00:00.000Z', ts_end: '2025-10-08T00:00:00.000Z' });
    expect(rows[1]).toMatchObject({ user: null, api_key: 'key_batch' });
    const tokens = rows.reduce((t, r) => ({ input: t.input + r.input_tokens, output: t.output + r.output_tokens }), { input: 0, output: 0 });
    // 59,200 + 1,000,000 + 100,000 + 12,000 and 4,000 + 500,000 + 10,000 + 1,500
    expect(tokens).toEqual({ input: 1_171_200, output: 515_500 });
    await ledger.close();
  });

  it('reads the embeddings file despite reordered, capitalised and unknown columns; the kind comes from its name', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, openaiCsvImporter, EMBEDDINGS);
    // 5,000,000 × 0.02 = $0.10
    expect(s).toMatchObject({ rowsImported: 1, costUsd: '0.1' });
    const row = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ model: 'text-embedding-3-small', input_tokens: 5_000_000, requests: 1000, project: 'proj_web', api_key: 'key_web' });
    expect(row.dedupe_key).toMatch(/^openai-csv\|embeddings\|/);
    await ledger.close();
  });

  it('reads a web search calls export into web searches priced per call, and then the usage equals the bill', async () => {
    const ledger = await freshLedger();
    const { cwd, file } = csvFile(
      'web_search_calls_usage_2025-10-05_2025-10-07.csv',
      'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,num_requests,user_id,api_key_id,model,context_level\n' +
        '1759622400,1759708800,2025-10-05T00:00:00+00:00,2025-10-06T00:00:00+00:00,proj_web,4,6,,key_web,gpt-4o-2024-08-06,medium\n',
    );
    const s = await importInto(ledger, openaiCsvImporter, join(cwd, file));
    // 6 calls × $0.01
    expect(s).toMatchObject({ rowsImported: 1, costUsd: '0.06' });
    const row = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ model: 'gpt-4o-2024-08-06', web_search_requests: 6, requests: 0, input_tokens: 0, cost_usd: '0.06', account: 'web_search_calls:proj_web' });
    // With the completions and embeddings usage: $0.6515 + $0.10 + $0.06 = the cost export's $0.8115.
    await importInto(ledger, openaiCsvImporter, COMPLETIONS);
    await importInto(ledger, openaiCsvImporter, EMBEDDINGS);
    expect((await ledgerTotals(ledger)).by_provenance.provider_usage).toMatchObject({ rows: 6, cost_usd: '0.8115' });
    await ledger.close();
  });

  it('the same file twice changes nothing; the same rows in another file replace themselves', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, openaiCsvImporter, COMPLETIONS);
    expect((await importInto(ledger, openaiCsvImporter, COMPLETIONS)).status).toBe('already-imported');
    // Same rows, other bytes (CRLF): a new file, whose rows take the place of the earlier ones.
    const copy = join(tempDir(), 'completions_usage_2025-10-05_2025-10-07.csv');
    writeFileSync(copy, readFileSync(COMPLETIONS, 'utf8').replace(/\n/g, '\r\n'));
    const again = await importInto(ledger, openaiCsvImporter, copy);
    expect(again).toMatchObject({ rowsImported: 4, rowsReplaced: 4 });
    expect(await ledgerTotals(ledger)).toMatchObject({ rows: 4, cost_usd: '0.6515' });
    await ledger.close();
  });
});

describe('openai-csv cost export', () => {
  it('keeps the billed dollars exactly as written, trailing zeros and all', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, openaiCsvImporter, COST);
    // 2025-10-05: 0.1 + 0.024 + 0.04 (gpt-4o) + 0.075 + 0.15 (gpt-4o-mini batch) + 0.1 (embeddings) + 0.06 (web search)
    // 2025-10-07: 0.12 + 0.02 + 0.08 (o3) + 0.025 + 0.0025 + 0.015 (gpt-4o); the 2025-10-06 row is an empty bucket
    expect(s).toMatchObject({ rowsRead: 13, rowsImported: 13, costUsd: '0.8115' });
    expect(s.byProvider).toEqual([{ provider: 'openai', provenance: 'billed', rows: 13, cost_usd: '0.8115', unpriced_rows: 0 }]);
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
    // A batch line item keeps its tier, so billed dollars group by tier as usage does.
    expect(rows.map((r) => [r.model, r.cost_usd, r.cost_status, r.description, r.service_tier]).slice(0, 7)).toEqual([
      ['gpt-4o-2024-08-06', '0.1', 'billed', 'gpt-4o-2024-08-06, input', null],
      ['gpt-4o-2024-08-06', '0.024', 'billed', 'gpt-4o-2024-08-06, cached input', null],
      ['gpt-4o-2024-08-06', '0.04', 'billed', 'gpt-4o-2024-08-06, output', null],
      ['gpt-4o-mini-2024-07-18', '0.075', 'billed', 'gpt-4o-mini-2024-07-18, batch input', 'batch'],
      ['gpt-4o-mini-2024-07-18', '0.15', 'billed', 'gpt-4o-mini-2024-07-18, batch output', 'batch'],
      ['text-embedding-3-small', '0.1', 'billed', 'text-embedding-3-small, input', null],
      [null, '0.06', 'billed', 'web search tool calls', null],
    ]);
    // "0.0600000000" is kept as the decimal text "0.06": no float on the way.
    expect(rows[6]).toMatchObject({ provenance: 'billed', reported_cost_usd: '0.06', project: 'proj_web', ts: '2025-10-05T00:00:00.000Z', granularity: 'day' });
    expect(rows.filter((r) => r.ts.startsWith('2025-10-06'))).toEqual([]);
    await ledger.close();
  });

  it('equals the usage estimate plus web search, and importing it keeps the usage rows', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, openaiCsvImporter, COMPLETIONS);
    await importInto(ledger, openaiCsvImporter, EMBEDDINGS);
    await importInto(ledger, openaiCsvImporter, COST);
    const t = await ledgerTotals(ledger);
    // usage $0.6515 + $0.10 = $0.7515; billed $0.7515 + $0.06 web search = $0.8115
    expect(t.by_provenance.provider_usage).toMatchObject({ rows: 5, cost_usd: '0.7515' });
    expect(t.by_provenance.billed).toMatchObject({ rows: 13, cost_usd: '0.8115' });
    await ledger.close();
  });

  it('a corrected export replaces its period instead of adding to it', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, openaiCsvImporter, COMPLETIONS);
    await importInto(ledger, openaiCsvImporter, COST);
    const s = await importInto(ledger, openaiCsvImporter, CORRECTED);
    // 12 rows upserted over their earlier versions + the web search row swept
    expect(s).toMatchObject({ rowsImported: 12, rowsReplaced: 13 });
    const t = await ledgerTotals(ledger);
    // 0.8115 − 0.06 (web search gone) + 0.001 (gpt-4o output 0.04 → 0.041)
    expect(t.by_provenance.billed).toMatchObject({ rows: 12, cost_usd: '0.7525' });
    expect(t.by_provenance.provider_usage).toMatchObject({ rows: 4, cost_usd: '0.6515' });
    await ledger.close();
  });

  it('an empty bucket stays empty beside a column the export does not have, filled on every row', async () => {
    const ledger = await freshLedger();
    const { cwd, file } = csvFile(
      'cost_2025-10-05_2025-10-06.csv',
      `${COST_HEADER},Notes\n` +
        '1759622400,1759708800,,,0.1000000000,usd,"gpt-4o-2024-08-06, input",proj_web,org_demo01,Demo Org,checked\n' +
        '1759708800,1759795200,,,,,,,org_demo01,Demo Org,checked\n',
    );
    // The 2025-10-06 bucket is empty: its note is not an amount, and no row without one is refused or added.
    expect(await importInto(ledger, openaiCsvImporter, join(cwd, file))).toMatchObject({ rowsRead: 1, rowsImported: 1, rowsRejected: 0, costUsd: '0.1' });
    const usage = csvFile(
      'completions_usage_2025-10-06.csv',
      `${USAGE_HEADER},Notes\n1759708800,1759795200,,,,,,,,,,,,,checked\n`,
    );
    expect(await importInto(ledger, openaiCsvImporter, join(usage.cwd, usage.file))).toMatchObject({ rowsRead: 0, rowsImported: 0, unpricedRows: 0 });
    expect(await ledgerTotals(ledger)).toMatchObject({ rows: 1, cost_usd: '0.1' });
    await ledger.close();
  });

  it('an export with only the time columns imports nothing, successfully', async () => {
    const ledger = await freshLedger();
    expect(await importInto(ledger, openaiCsvImporter, NO_DATA)).toMatchObject({ status: 'imported', rowsRead: 0, rowsImported: 0, costUsd: '0' });
    expect((await ledgerTotals(ledger)).rows).toBe(0);
    await ledger.close();
  });
});

describe('openai-csv bad rows', () => {
  it('a fractional count is exit 2 naming file, line and column, and the ledger is unchanged', async () => {
    const { cwd, file } = csvFile(
      'completions_usage_2025-10-05.csv',
      `${USAGE_HEADER}\n1759622400,1759708800,,,proj_web,10.0,,,gpt-4o,FALSE,default,100.0,10.0,0.0\n1759622400,1759708800,,,proj_ds,10.5,,,gpt-4o,FALSE,default,100.0,10.0,0.0\n`,
    );
    const r = await runCli(['import', file, '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('completions_usage_2025-10-05.csv:3: num_model_requests: expected a whole number >= 0, got "10.5"');
    // Nothing imported, and no ledger left behind for it.
    expect(existsSync(join(cwd, 'l.db'))).toBe(false);
  });

  it('a completions export with its output or cached column renamed is exit 2 naming the column, not priced without it', async () => {
    for (const column of ['output_tokens', 'input_cached_tokens']) {
      const header = USAGE_HEADER.replace(column, `${column}_x`);
      const { cwd, file } = csvFile('completions_usage_2025-10-05.csv', `${header}\n1759622400,1759708800,,,proj_web,10.0,,,gpt-4o,FALSE,default,100.0,10.0,40.0\n`);
      const r = await runCli(['import', file, '--db', 'l.db'], { cwd });
      expect(r.code, column).toBe(2);
      expect(r.stderr).toContain(`completions_usage_2025-10-05.csv:1: ${column}: expected a "${column}" column in a completions usage export, got none`);
      expect(existsSync(join(cwd, 'l.db'))).toBe(false);
    }
  });

  it('a boolean that is neither TRUE nor FALSE names the column', async () => {
    const { cwd, file } = csvFile('completions_usage_x.csv', `${USAGE_HEADER}\n1759622400,1759708800,,,proj_web,1,,,gpt-4o,maybe,default,1,1,0\n`);
    const r = await runCli(['import', file, '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('completions_usage_x.csv:2: batch: expected TRUE or FALSE, got "maybe"');
  });

  it('a currency other than USD is exit 2 naming the column', async () => {
    const { cwd, file } = csvFile('cost_eur.csv', `${COST_HEADER}\n1759622400,1759708800,,,12.5000000000,eur,"gpt-4o, input",proj_web,org_demo01,Demo Org\n`);
    const r = await runCli(['import', file, '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cost_eur.csv:2: amount_currency: expected usd, got "eur"');
  });

  it('an amount that is not a number is exit 2 naming the column', async () => {
    const { cwd, file } = csvFile('cost_bad_amount.csv', `${COST_HEADER}\n1759622400,1759708800,,,"12,50",usd,"gpt-4o, input",proj_web,org_demo01,Demo Org\n`);
    const r = await runCli(['import', file, '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cost_bad_amount.csv:2: amount_value: expected a dollar amount, got "12,50"');
  });

  it('reads an amount a spreadsheet saved in exponent form, with its sign, exactly', async () => {
    const ledger = await freshLedger();
    const row = (amount: string, item: string) => `1759622400,1759708800,,,${amount},usd,"gpt-4o-2024-08-06, ${item}",proj_web,org_demo01,Demo Org`;
    const { cwd, file } = csvFile('cost_exponents.csv', `${COST_HEADER}\n${row('1.5E+02', 'input')}\n${row('2.5E-04', 'cached input')}\n${row('+0.75', 'output')}\n`);
    // 150 + 0.00025 + 0.75
    expect(await importInto(ledger, openaiCsvImporter, join(cwd, file))).toMatchObject({ rowsImported: 3, costUsd: '150.75025' });
    const rows = await ledger.db.selectFrom('usage_entries').select('cost_usd').orderBy('id').execute();
    expect(rows.map((r) => r.cost_usd)).toEqual(['150', '0.00025', '0.75']);
    await ledger.close();
  });

  it('times may come only as ISO text with an offset', async () => {
    const { cwd, file } = csvFile('cost_iso.csv', `${COST_HEADER}\n,,2025-10-05T02:00:00+02:00,2025-10-06T02:00:00+02:00,1.5,usd,"gpt-4o, input",proj_web,org_demo01,Demo Org\n`);
    const ledger = await freshLedger();
    await importInto(ledger, openaiCsvImporter, join(cwd, file));
    expect(await ledger.db.selectFrom('usage_entries').select(['ts', 'ts_end', 'cost_usd']).executeTakeFirstOrThrow()).toEqual({ ts: '2025-10-05T00:00:00.000Z', ts_end: '2025-10-06T00:00:00.000Z', cost_usd: '1.5' });
    await ledger.close();
  });
});
