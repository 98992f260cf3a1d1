import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempDir } from '../helpers/cli.js';
import Database from 'better-sqlite3';
import { openLedger } from '../../src/ledger/index.js';
import { LEDGER_MIGRATIONS, LEDGER_SCHEMA_VERSION } from '../../src/ledger/migrations/index.js';
import { rewindLedger } from '../helpers/rewind-ledger.js';

const DEMO = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));
const ANTHROPIC_COST = fileURLToPath(new URL('../fixtures/importers/anthropic-csv/claude_api_cost_2026-10-01_2026-10-03.csv', import.meta.url));
const ANTHROPIC_COST_CORRECTED = fileURLToPath(new URL('../fixtures/importers/anthropic-csv/claude_api_cost_2026-10-01_2026-10-03-corrected.csv', import.meta.url));
const OPENAI_COST = fileURLToPath(new URL('../fixtures/importers/openai-csv/cost_2025-10-05_2025-10-07.csv', import.meta.url));
const AZURE_EA = fileURLToPath(new URL('../fixtures/importers/azure-cost/ea-actual-2026-10.csv', import.meta.url));
/** OpenAI's own Usage API example: one bucket of 1,000 input tokens, grouped by nothing, so no model. */
const NO_MODEL_PAGE = fileURLToPath(new URL('../fixtures/importers/openai-usage/openapi-example-completions.json', import.meta.url));

describe('llmfin import', () => {
  it('detects the source, imports, lists, re-imports as a no-op, and undoes', async () => {
    const cwd = tempDir();
    copyFileSync(DEMO, join(cwd, 'usage.jsonl'));
    const first = await runCli(['import', 'usage.jsonl', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(first.code).toBe(0);
    const row = (JSON.parse(first.stdout) as { rows: Array<Record<string, unknown>> }).rows[0]!;
    expect(row).toMatchObject({ source: 'llmfin', status: 'imported', rows_read: 2108, rows_imported: 2108, rows_rejected: 0, unpriced_models: [] });

    const again = await runCli(['import', 'usage.jsonl', '--db', 'l.db'], { cwd });
    expect(again.stdout).toContain('already imported, nothing changed');

    const list = JSON.parse((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ id: number; rows_now: number; cost_usd: number }> };
    expect(list.rows).toHaveLength(1);
    expect(list.rows[0]!.rows_now).toBe(2108);
    expect(list.rows[0]!.cost_usd).toBe(row.cost_usd);

    const undo = await runCli(['import', '--undo', String(list.rows[0]!.id), '--db', 'l.db'], { cwd });
    expect(undo.stdout).toBe(`removed batch ${list.rows[0]!.id} and its 2,108 rows\n`);
    expect(JSON.parse((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout).rows).toEqual([]);
    expect((await runCli(['import', '--undo', '99', '--db', 'l.db'], { cwd })).code).toBe(2);
  });

  it('--list counts the invoices an invoice file holds (its batch has no rows), and the corrected file takes over the one it replaces', async () => {
    const cwd = tempDir();
    const invoice = (n: string, amount: string) => `provider: openai\nnumber: ${n}\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { amount: "${amount}" }\ntotal: "${amount}"\n`;
    writeFileSync(join(cwd, 'invoices.yaml'), [invoice('A-1', '100.00'), invoice('A-2', '50.00')].join('---\n'));
    writeFileSync(join(cwd, 'corrected.yaml'), invoice('A-1', '110.00'));
    for (const file of ['invoices.yaml', 'corrected.yaml']) expect((await runCli(['import', file, '--db', 'l.db'], { cwd })).code).toBe(0);
    const list = JSON.parse((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ id: number; rows_now: number; invoices: number }> };
    expect(list.rows.map((b) => [b.id, b.rows_now, b.invoices])).toEqual([[1, 0, 1], [2, 0, 1]]);
    const table = (await runCli(['import', '--list', '--db', 'l.db'], { cwd })).stdout.split('\n');
    expect(table[0]).toMatch(/ROWS +COST +INVOICES +ACCOUNT +FILE/);
    expect(table[1]).toMatch(/ 0 +\$0\.00 +1 +invoices\.yaml/);
  });

  it('--dry-run reports and writes nothing', async () => {
    const cwd = tempDir();
    const r = await runCli(['import', DEMO, '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(JSON.parse(r.stdout).rows[0]).toMatchObject({ status: 'dry-run', rows_imported: 2108 });
    expect(existsSync(join(cwd, 'l.db'))).toBe(false);
  });

  it('--dry-run says whether an invoice would be recorded or is already there, and records none', async () => {
    const cwd = tempDir();
    const invoice = join(import.meta.dirname, '../fixtures/reports/layers-2026-10/invoice.yaml');
    const statusOf = async (args: string[]) => (JSON.parse((await runCli(['import', invoice, ...args, '--db', 'l.db', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ invoices: Array<{ number: string; total_usd: number; status: string }> }> }).rows[0]!.invoices;
    expect(await statusOf(['--dry-run'])).toEqual([expect.objectContaining({ number: 'INV-LAYERS-2026-10', total_usd: 108, status: 'dry-run' })]);
    expect(existsSync(join(cwd, 'l.db'))).toBe(false);
    expect(await statusOf([])).toEqual([expect.objectContaining({ status: 'recorded' })]);
    // Under another name, so the file's hash does not stop it first: the invoice is found by its number.
    writeFileSync(join(cwd, 'copy.yaml'), `${readFileSync(invoice, 'utf8')}\n`);
    const again = JSON.parse((await runCli(['import', 'copy.yaml', '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ invoices: Array<{ status: string }> }> };
    expect(again.rows[0]!.invoices).toEqual([expect.objectContaining({ status: 'already-recorded' })]);
  });

  it('an unrecognised file says which sources were tried and why each refused', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'notes.txt'), 'hello world\n');
    const r = await runCli(['import', 'notes.txt', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('notes.txt: not a file any import source recognises; tried:');
    expect(r.stderr).toMatch(/llmfin: first line is not a JSON object/);
    expect(r.stderr).toContain('--source ID');
  });

  it('missing files and unknown sources are exit 2 before anything is imported', async () => {
    const cwd = tempDir();
    copyFileSync(DEMO, join(cwd, 'ok.jsonl'));
    const missing = await runCli(['import', 'ok.jsonl', 'nope.csv', '--db', 'l.db'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.csv: no such file');
    expect(existsSync(join(cwd, 'l.db'))).toBe(false);
    const bad = await runCli(['import', 'ok.jsonl', '--source', 'nosuch', '--db', 'l.db'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--source: unknown source "nosuch" \(known: .*llmfin/);
  });

  it('llmfin sources lists every source with where to get its file', async () => {
    const r = JSON.parse((await runCli(['sources', '--format', 'json'])).stdout) as { rows: Array<{ id: string; obtain: string }> };
    expect(r.rows.map((s) => s.id)).toContain('llmfin');
    for (const s of r.rows) expect(s.obtain.length).toBeGreaterThan(10);
    // The text form says it too, not only JSON.
    const text = (await runCli(['sources'])).stdout;
    for (const s of r.rows) expect(text).toContain(`\n${s.id} (`);
    expect(text).toContain('\nopenai-usage (provider_usage)\n  reads   OpenAI Usage API JSON');
    expect(text.split('\n  get it  ')).toHaveLength(r.rows.length + 1);
    expect((await runCli(['sources', '--format', 'markdown'])).stdout).toContain('| SOURCE | PROVENANCE | READS | WHERE TO GET IT |');
  });

  it('rows left unpriced for want of a model are counted and explained, never a silent $0 total', async () => {
    const cwd = tempDir();
    const json = await runCli(['import', NO_MODEL_PAGE, '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).rows[0]).toMatchObject({
      source: 'openai-usage', rows_imported: 1, cost_usd: 0, unpriced_models: [], unpriced_rows: 1,
      unpriced_reasons: ['no model: export the usage grouped by model to price it'],
    });
    const text = await runCli(['import', NO_MODEL_PAGE, '--db', 'l.db'], { cwd });
    expect(text.stdout).toContain('  total $0.00 + 1 unpriced row of unknown cost\n');
    expect(text.stdout).toContain('rows not priced (cost unknown, not $0): no model: export the usage grouped by model to price it');
  });

  it('a known and an unknown model: the total says how many rows it leaves out', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'u.jsonl'), [
      '{"id":"a","ts":"2026-10-01T10:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":50}',
      '{"id":"b","ts":"2026-10-01T10:00:00Z","provider":"openai","model":"gpt-9-ultra","input_tokens":1000,"output_tokens":50}',
      '{"id":"c","ts":"2026-10-01T10:00:00Z","provider":"openai","model":"gpt-9-ultra","input_tokens":7,"output_tokens":1}',
    ].join('\n'));
    const r = await runCli(['import', 'u.jsonl', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(0);
    // gpt-4o: 1,000 × $2.5/1M + 50 × $10/1M = $0.0025 + $0.0005.
    expect(r.stdout).toContain('  total $0.003 + 2 unpriced rows of unknown cost\n');
    expect(r.stdout).toContain('unpriced models (cost unknown, not $0): openai/gpt-9-ultra');
    expect(r.stdout).not.toContain('rows without a model');
    const again = JSON.parse((await runCli(['import', 'u.jsonl', '--db', 'm.db', '--format', 'json'], { cwd })).stdout).rows[0];
    expect(again).toMatchObject({ cost_usd: 0.003, unpriced_rows: 2, unpriced_reasons: [] });
  });

  it('a CSV saved from a spreadsheet (BOM, CRLF, trailing rows of empty cells) imports as the original', async () => {
    const cwd = tempDir();
    const original = readFileSync(AZURE_EA, 'utf8').replace(/^\ufeff/, '');
    const header = original.split('\n', 1)[0]!;
    const empty = ','.repeat(header.split(',').length - 1);
    const saved = `\ufeff${original.trimEnd().split(/\r?\n/).join('\r\n')}\r\n${empty}\r\n${empty}\r\n\r\n`;
    writeFileSync(join(cwd, 'azure-excel.csv'), saved);
    const a = JSON.parse((await runCli(['import', AZURE_EA, '--db', 'a.db', '--format', 'json'], { cwd })).stdout).rows[0];
    const r = await runCli(['import', 'azure-excel.csv', '--db', 'b.db', '--format', 'json'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout).rows[0];
    expect(b).toMatchObject({ source: 'azure-cost', rows_read: a.rows_read, rows_imported: a.rows_imported, rows_rejected: 0, cost_usd: a.cost_usd, by_provider: a.by_provider });
    expect(a.rows_read).toBe(17);
  });

  it('an llmfin CSV with a trailing row of separators imports its rows', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'u.csv'), 'id,ts,provider,model,input_tokens,output_tokens\r\nx1,2026-10-01T10:00:00Z,openai,gpt-4o,1000,50\r\n,,,,,\r\n');
    const r = await runCli(['import', 'u.csv', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).rows[0]).toMatchObject({ source: 'llmfin', rows_read: 1, rows_imported: 1, cost_usd: 0.003 });
  });

  it('a path that is not a regular file is exit 2 naming it, with or without --source, before anything is imported', async () => {
    const cwd = tempDir();
    copyFileSync(DEMO, join(cwd, 'ok.jsonl'));
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(cwd, 'feed.sock'), done));
    try {
      for (const forced of [[], ['--source', 'llmfin']]) {
        const r = await runCli(['import', 'ok.jsonl', 'feed.sock', ...forced, '--db', 'l.db'], { cwd });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('feed.sock: not a regular file (a pipe, socket or device)');
        expect(r.stderr).not.toContain('internal error');
      }
    } finally {
      await new Promise((done) => server.close(done));
    }
    expect(existsSync(join(cwd, 'l.db'))).toBe(false);
  });

  it('a CSV separated by ";" or tabs is refused with a hint to save it with commas', async () => {
    const cwd = tempDir();
    const original = readFileSync(AZURE_EA, 'utf8');
    writeFileSync(join(cwd, 'azure-semicolons.csv'), original.replace(/,/g, ';'));
    writeFileSync(join(cwd, 'azure-tabs.tsv'), original.replace(/,/g, '\t'));
    for (const [file, separator] of [['azure-semicolons.csv', '";"'], ['azure-tabs.tsv', 'tabs']] as const) {
      const r = await runCli(['import', file, '--db', 'l.db'], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}: not a file any import source recognises; tried:`);
      expect(r.stderr).toContain(`hint: its first line is separated by ${separator}, not commas (a spreadsheet's export in some locales): save it from the spreadsheet as "CSV UTF-8 (comma delimited)", with "." as the decimal mark, and import that`);
    }
    // Forced on its source, whose header check refuses it, the file is refused with the same reason.
    const forced = await runCli(['import', 'azure-semicolons.csv', '--source', 'azure-cost', '--db', 'l.db'], { cwd });
    expect(forced.code).toBe(2);
    expect(forced.stderr).toContain(
      'hint: nothing was imported from this file; --source azure-cost would not have chosen it (no "MeterCategory" column); its first line is separated by ";", not commas',
    );
    // A file with a few semicolons in a comma-separated header keeps the usual hint.
    writeFileSync(join(cwd, 'notes.csv'), 'a,b,c;d,e\n1,2,3,4\n');
    expect((await runCli(['import', 'notes.csv', '--db', 'l.db'], { cwd })).stderr).toContain('hint: force one with --source ID');
  });

  it('--dry-run counts what the import would really do: duplicates skipped, rows a corrected export replaces', async () => {
    const cwd = tempDir();
    const counts = (stdout: string) => {
      const { rows_read, rows_imported, rows_skipped, rows_replaced, cost_usd } = JSON.parse(stdout).rows[0];
      return { rows_read, rows_imported, rows_skipped, rows_replaced, cost_usd };
    };
    // The same rows under another file name: every one a duplicate.
    await runCli(['import', DEMO, '--db', 'l.db'], { cwd });
    writeFileSync(join(cwd, 'copy.jsonl'), `${readFileSync(DEMO, 'utf8')}\n`);
    const dry = await runCli(['import', 'copy.jsonl', '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(counts(dry.stdout)).toMatchObject({ rows_read: 2108, rows_imported: 0, rows_skipped: 2108, rows_replaced: 0 });
    expect((await runCli(['import', 'copy.jsonl', '--dry-run', '--db', 'l.db'], { cwd })).stdout).toContain('2,108 rows read · 0 would be imported · 2,108 duplicates skipped · 0 replaced');

    // A corrected cost export: the dry run's counts are the real import's, and nothing is written.
    await runCli(['import', ANTHROPIC_COST, '--db', 'l.db'], { cwd });
    const listBefore = (await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout;
    const dryCorrected = counts((await runCli(['import', ANTHROPIC_COST_CORRECTED, '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd })).stdout);
    expect(dryCorrected).toEqual({ rows_read: 18, rows_imported: 18, rows_skipped: 0, rows_replaced: 19, cost_usd: 4.677 });
    expect((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout).toBe(listBefore);
    const real = counts((await runCli(['import', ANTHROPIC_COST_CORRECTED, '--db', 'l.db', '--format', 'json'], { cwd })).stdout);
    expect(real).toEqual(dryCorrected);
  });

  it('--dry-run of several files judges each after the ones before it, as the import does, and writes nothing', async () => {
    const cwd = tempDir();
    const counts = (stdout: string) =>
      (JSON.parse(stdout) as { rows: Array<Record<string, unknown>> }).rows.map(({ status, batch_id, rows_read, rows_imported, rows_skipped, rows_replaced }) => ({ status, batch_id, rows_read, rows_imported, rows_skipped, rows_replaced }));
    writeFileSync(join(cwd, 'copy.jsonl'), `${readFileSync(DEMO, 'utf8')}\n`);
    await runCli(['import', ANTHROPIC_COST, '--db', 'l.db'], { cwd });
    const before = readFileSync(join(cwd, 'l.db'));
    const listBefore = (await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout;
    // The demo rows, the same rows again under another name, and the corrected cost export.
    const files = [DEMO, 'copy.jsonl', ANTHROPIC_COST_CORRECTED];
    const dry = await runCli(['import', ...files, '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(dry.code).toBe(0);
    expect(counts(dry.stdout)).toEqual([
      { status: 'dry-run', batch_id: null, rows_read: 2108, rows_imported: 2108, rows_skipped: 0, rows_replaced: 0 },
      // Checked alone against the ledger, the copy read as 2,108 new rows.
      { status: 'dry-run', batch_id: null, rows_read: 2108, rows_imported: 0, rows_skipped: 2108, rows_replaced: 0 },
      { status: 'dry-run', batch_id: null, rows_read: 18, rows_imported: 18, rows_skipped: 0, rows_replaced: 19 },
    ]);
    expect((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout).toBe(listBefore);
    expect(readFileSync(join(cwd, 'l.db')).equals(before)).toBe(true);
    // The real import does what the dry run said.
    const real = await runCli(['import', ...files, '--db', 'l.db', '--format', 'json'], { cwd });
    expect(counts(real.stdout).map(({ status: _s, batch_id: _b, ...c }) => c)).toEqual(counts(dry.stdout).map(({ status: _s, batch_id: _b, ...c }) => c));
    // Against no ledger at all: the same, and none is left behind.
    const fresh = await runCli(['import', DEMO, 'copy.jsonl', '--dry-run', '--db', 'none.db', '--format', 'json'], { cwd });
    expect(counts(fresh.stdout).map((c) => [c.rows_imported, c.rows_skipped])).toEqual([[2108, 0], [0, 2108]]);
    expect(existsSync(join(cwd, 'none.db'))).toBe(false);
  });

  it('--dry-run of several files never shows the batch numbers of its scratch copy: files given earlier are named instead', async () => {
    const cwd = tempDir();
    await runCli(['import', ANTHROPIC_COST, '--db', 'l.db'], { cwd });
    copyFileSync(OPENAI_COST, join(cwd, 'cost.csv'));
    copyFileSync(OPENAI_COST.replace('.csv', '-corrected.csv'), join(cwd, 'corrected.csv'));
    copyFileSync(OPENAI_COST, join(cwd, 'cost-again.csv'));
    // OpenAI's Costs API page for 2025-10-05, a day cost.csv covers too: the same traffic in another form.
    writeFileSync(
      join(cwd, 'costs-api.json'),
      JSON.stringify({ object: 'page', data: [{ object: 'bucket', start_time: 1759622400, end_time: 1759708800, results: [{ object: 'organization.costs.result', amount: { value: 1, currency: 'usd' }, line_item: 'gpt-4o-2024-08-06, input', project_id: 'proj_web', api_key_id: null }] }], has_more: false, next_page: null }),
    );
    const files = ['costs-api.json', 'cost.csv', 'corrected.csv', 'cost-again.csv'];
    const text = await runCli(['import', ...files, '--dry-run', '--db', 'l.db'], { cwd });
    expect(text.code, text.stderr).toBe(0);
    // The scratch copy numbered them 2 to 4: a real import might not, and --undo 2 would undo another batch.
    expect(text.stdout + text.stderr).not.toMatch(/batch #?\d/);
    expect(text.stderr).toContain(
      'warning: cost.csv (openai-csv) covers 2025-10-05 … 2025-10-07, where costs-api.json, given earlier in this dry run, holds openai-costs rows: the same traffic in another form, which reports would count twice; import only one of them\n',
    );
    expect(text.stderr).toContain('warning: corrected.csv (openai-csv) would replace 13 rows of cost.csv, given in this same command: it sends rows of that file again');
    expect(text.stdout).toContain('\n  would replace 13 rows of cost.csv (given earlier in this dry run) as an earlier version of this export;');
    expect(text.stdout).toContain('cost-again.csv (openai-csv): dry run: the same file as cost.csv, given earlier in this dry run, so it would change nothing\n');

    const json = await runCli(['import', ...files, '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd });
    const rows = (JSON.parse(json.stdout) as { rows: Array<Record<string, unknown>> }).rows;
    expect(rows.map(({ file, status, batch_id, rows_replaced, replaced_batches }) => ({ file, status, batch_id, rows_replaced, replaced_batches }))).toEqual([
      { file: 'costs-api.json', status: 'dry-run', batch_id: null, rows_replaced: 0, replaced_batches: [] },
      { file: 'cost.csv', status: 'dry-run', batch_id: null, rows_replaced: 0, replaced_batches: [] },
      { file: 'corrected.csv', status: 'dry-run', batch_id: null, rows_replaced: 13, replaced_batches: [{ batch_id: null, file: 'cost.csv', account: null, rows: 13 }] },
      { file: 'cost-again.csv', status: 'already-imported', batch_id: null, rows_replaced: 0, replaced_batches: [] },
    ]);

    // A batch the ledger does hold keeps its number, to undo it by.
    await runCli(['import', 'cost.csv', '--db', 'l.db'], { cwd });
    const real = await runCli(['import', 'corrected.csv', DEMO, '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd });
    expect((JSON.parse(real.stdout) as { rows: Array<{ replaced_batches: unknown }> }).rows[0]!.replaced_batches).toEqual([{ batch_id: 2, file: 'cost.csv', account: null, rows: 13 }]);
    const again = await runCli(['import', 'cost-again.csv', DEMO, '--dry-run', '--db', 'l.db'], { cwd });
    expect(again.stdout).toContain('cost-again.csv (openai-csv): already imported, nothing changed\n');
  });

  it('--dry-run into a ledger an older llmfin wrote leaves it at its schema, and counts as the import would', async () => {
    const cwd = tempDir();
    const path = join(cwd, 'l.db');
    await runCli(['import', ANTHROPIC_COST, '--db', 'l.db'], { cwd });
    const older = await openLedger(path);
    const first = '2026_12_02_0800_invoice_provider_ids';
    await rewindLedger(older, { first });
    await older.close();
    const before = readFileSync(path);
    const dry = await runCli(['import', ANTHROPIC_COST_CORRECTED, '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).rows[0]).toMatchObject({ status: 'dry-run', batch_id: null, rows_read: 18, rows_imported: 18, rows_replaced: 19 });
    // Every byte as it was: the older llmfin can still open it.
    expect(readFileSync(path).equals(before)).toBe(true);
    const raw = new Database(path, { readonly: true });
    expect((raw.prepare("select value from meta where key = 'schema_version'").get() as { value: string }).value).toBe(String(LEDGER_SCHEMA_VERSION - Object.keys(LEDGER_MIGRATIONS).filter((name) => name >= first).length));
    raw.close();
  });

  it("an export of an earlier one's last day and the next day leaves exactly what the newer file says for those days, whichever day each project's rows start on", async () => {
    const cwd = tempDir();
    // The Oct 5-7 cost export: Oct 5 $0.549 (proj_web $0.324, proj_batch $0.225), Oct 7 proj_ds $0.22 and proj_web $0.0425.
    const earlier = readFileSync(OPENAI_COST, 'utf8');
    const lines = earlier.split('\n');
    // The Oct 7-8 export: proj_web's Oct 7 rows again, and proj_ds's three rows on Oct 8 instead of Oct 7.
    const oct7 = lines.filter((l) => l.startsWith('1759795200,'));
    const moved = oct7.filter((l) => l.includes(',proj_ds,')).map((l) => l.replace('1759795200,1759881600,2025-10-07T00:00:00+00:00,2025-10-08T00:00:00+00:00', '1759881600,1759968000,2025-10-08T00:00:00+00:00,2025-10-09T00:00:00+00:00'));
    writeFileSync(join(cwd, 'cost_2025-10-07_2025-10-08.csv'), [lines[0], ...oct7.filter((l) => l.includes(',proj_web,')), ...moved, ''].join('\n'));
    expect((await runCli(['import', OPENAI_COST, 'cost_2025-10-07_2025-10-08.csv', '--db', 'l.db'], { cwd })).code).toBe(0);
    const report = JSON.parse((await runCli(['report', '--by', 'day', '--basis', 'billed', '--since', '2025-10-01', '--until', '2025-11-01', '--db', 'l.db', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ day: string; cost_usd: number }>; total: { cost_usd: number } };
    // proj_ds's Oct 7 $0.22 is gone: the newer file covers Oct 7 and has nothing for it that day.
    expect(report.rows.map((r) => [r.day, r.cost_usd])).toEqual([['2025-10-05', 0.549], ['2025-10-07', 0.0425], ['2025-10-08', 0.22]]);
    expect(report.total.cost_usd).toBe(0.8115);
  });

  it('a corrected export imported with --skip-invalid says that its rejected rows\' earlier versions were replaced too', async () => {
    const cwd = tempDir();
    const dir = fileURLToPath(new URL('../fixtures/importers/openai-csv/', import.meta.url));
    copyFileSync(join(dir, 'cost_2025-10-05_2025-10-07.csv'), join(cwd, 'first.csv'));
    expect((await runCli(['import', 'first.csv', '--db', 'l.db'], { cwd })).code).toBe(0);
    // The corrected export with one amount mistyped.
    const corrected = readFileSync(join(dir, 'cost_2025-10-05_2025-10-07-corrected.csv'), 'utf8').replace('0.0240000000,usd', 'zero,usd');
    writeFileSync(join(cwd, 'corrected.csv'), corrected);
    const r = await runCli(['import', 'corrected.csv', '--skip-invalid', '--db', 'l.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ [1-9]\d* replaced · 1 rejected/);
    expect(r.stdout).toContain("this file replaced the earlier rows of its period, so the rejected rows' earlier versions are gone too");
    // A clean corrected export says nothing of the kind.
    writeFileSync(join(cwd, 'fixed.csv'), readFileSync(join(dir, 'cost_2025-10-05_2025-10-07-corrected.csv'), 'utf8'));
    expect((await runCli(['import', 'fixed.csv', '--skip-invalid', '--db', 'l.db'], { cwd })).stdout).not.toContain('earlier versions are gone');
  });

  it('one --rejects file for several files keeps every file\'s rejected rows, each with its file, and may not be a file being imported', async () => {
    const cwd = tempDir();
    const rows = (id: string) => `{"id":"${id}1","ts":"2026-10-01T10:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":"x","output_tokens":1}\n{"id":"${id}2","ts":"2026-10-01T10:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":5,"output_tokens":1}\n`;
    writeFileSync(join(cwd, 'a.jsonl'), rows('a'));
    writeFileSync(join(cwd, 'b.jsonl'), rows('b'));
    writeFileSync(join(cwd, 'rejects.jsonl'), '{"stale":"from an earlier run"}\n');
    const r = await runCli(['import', 'a.jsonl', 'b.jsonl', '--skip-invalid', '--rejects', 'rejects.jsonl', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(0);
    const reason = 'expected a whole number, got "x"';
    expect(readFileSync(join(cwd, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { file: 'a.jsonl', line: 1, column: 'input_tokens', reason, text: rows('a').split('\n')[0] },
      { file: 'b.jsonl', line: 1, column: 'input_tokens', reason, text: rows('b').split('\n')[0] },
    ]);
    const self = await runCli(['import', 'a.jsonl', '--skip-invalid', '--rejects', 'a.jsonl', '--db', 'm.db'], { cwd });
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('--rejects a.jsonl is one of the files to import; expected another file for the rejected rows');
    expect(readFileSync(join(cwd, 'a.jsonl'), 'utf8')).toBe(rows('a'));
  });

  it('LiteLLM spend logs and a daily activity report of the same days warn that they are the same traffic, whichever comes second', async () => {
    const cwd = tempDir();
    const fixtures = join(import.meta.dirname, '../fixtures/importers');
    copyFileSync(join(fixtures, 'litellm/spend-logs-2026-10-05.jsonl'), join(cwd, 'spend.jsonl'));
    copyFileSync(join(fixtures, 'litellm/spend-logs-2026-10.csv'), join(cwd, 'spend-early.csv'));
    // The user's activity report, moved to Oct 5-6 (the spend logs' last day and the next).
    writeFileSync(join(cwd, 'activity.json'), readFileSync(join(fixtures, 'litellm-activity/user-u1-2026-11.json'), 'utf8').replaceAll('2026-11-02', '2026-10-05').replaceAll('2026-11-03', '2026-10-06'));
    const warning = (file: string, source: string, days: string, other: string, batch: number) =>
      `warning: ${file} (${source}) covers ${days}, where the ledger also holds ${other} rows (batch ${batch}): the same traffic in another form, which reports would count twice; keep one of them (llmfin import --undo ID)\n`;
    // Oct 1-4 spend logs: no overlap, no warning.
    expect((await runCli(['import', 'spend-early.csv', 'activity.json', '--db', 'a.db'], { cwd })).stderr).toBe('');
    const second = await runCli(['import', 'spend.jsonl', '--db', 'a.db'], { cwd });
    expect(second.code).toBe(0);
    expect(second.stderr).toBe(warning('spend.jsonl', 'litellm', '2026-10-05 … 2026-10-05', 'litellm-activity', 2));
    const other = await runCli(['import', 'spend.jsonl', 'activity.json', '--db', 'b.db'], { cwd });
    expect(other.stderr).toBe(warning('activity.json', 'litellm-activity', '2026-10-05 … 2026-10-06', 'litellm', 1));
  });

  it('a Console CSV and the Admin API report of the same days warn that they are the same numbers, a bill beside a bill and usage beside usage only', async () => {
    const cwd = tempDir();
    const fixtures = join(import.meta.dirname, '../fixtures/importers');
    copyFileSync(join(fixtures, 'anthropic-usage/usage-report-2026-10.json'), join(cwd, 'usage-report.json'));
    copyFileSync(join(fixtures, 'anthropic-cost/cost-report-2026-10.json'), join(cwd, 'cost-report.json'));
    copyFileSync(join(fixtures, 'anthropic-csv/claude_api_usage_2026-10-01_2026-10-03.csv'), join(cwd, 'usage.csv'));
    copyFileSync(join(fixtures, 'anthropic-csv/claude_api_cost_2026-10-01_2026-10-03.csv'), join(cwd, 'cost.csv'));
    const warning = (file: string, source: string, days: string, other: string, batch: number) =>
      `warning: ${file} (${source}) covers ${days}, where the ledger also holds ${other} rows (batch ${batch}): the same traffic in another form, which reports would count twice; keep one of them (llmfin import --undo ID)\n`;
    // The API usage report (Oct 1-2), then the Console cost CSV: usage and a bill are two layers, not twice.
    expect((await runCli(['import', 'usage-report.json', 'cost.csv', '--db', 'a.db'], { cwd })).stderr).toBe('');
    // The Console usage CSV of the same days is the usage report again.
    const usage = await runCli(['import', 'usage.csv', '--db', 'a.db'], { cwd });
    expect(usage.code).toBe(0);
    expect(usage.stderr).toBe(warning('usage.csv', 'anthropic-csv', '2026-10-01 … 2026-10-03', 'anthropic-usage', 1));
    // And the API cost report is the Console cost CSV again.
    const cost = await runCli(['import', 'cost-report.json', '--db', 'a.db'], { cwd });
    expect(cost.stderr).toBe(warning('cost-report.json', 'anthropic-cost', '2026-10-01 … 2026-10-02', 'anthropic-csv', 2));
  });

  it('the parts of one export given in one command are kept together: the ledger holds what the whole file gives, and nothing is said', async () => {
    const cwd = tempDir();
    const whole = join(import.meta.dirname, '../fixtures/importers/aws-cur/cur2-2026-10.csv');
    const lines = readFileSync(whole, 'utf8').trimEnd().split('\n');
    // A large CUR comes in parts of the same month and accounts: rows 1-5 and the other 5.
    writeFileSync(join(cwd, 'cur-00001.csv'), [lines[0], ...lines.slice(1, 6)].join('\n') + '\n');
    writeFileSync(join(cwd, 'cur-00002.csv'), [lines[0], ...lines.slice(6)].join('\n') + '\n');
    const r = await runCli(['import', 'cur-00001.csv', 'cur-00002.csv', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect((await runCli(['import', whole, '--db', 'm.db'], { cwd })).code).toBe(0);
    const sums = (db: string) => {
      const ledger = new Database(join(cwd, db), { readonly: true });
      try {
        return ledger.prepare('select count(*) as n, sum(cost_ticks) as ticks from usage_entries').get();
      } finally {
        ledger.close();
      }
    };
    // The whole file: 10 rows, -$0.01771 at 10^10 ticks a dollar.
    expect(sums('m.db')).toEqual({ n: 10, ticks: -177_100_000 });
    expect(sums('l.db')).toEqual(sums('m.db'));
    // Given in two commands, the second part is taken for a corrected version of the first
    // (the README says to give the parts together): 5 rows replaced.
    await runCli(['import', 'cur-00001.csv', '--db', 'n.db'], { cwd });
    const second = await runCli(['import', 'cur-00002.csv', '--db', 'n.db'], { cwd });
    expect(second.stdout).toContain('5 replaced');
    expect(sums('n.db')).toMatchObject({ n: 5 });
  });

  it('a file that sends rows of an earlier file of the same command again replaces it as its corrected version, and says so', async () => {
    const cwd = tempDir();
    const lines = readFileSync(join(import.meta.dirname, '../fixtures/importers/aws-cur/cur2-2026-10.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(cwd, 'cur-a.csv'), lines.join('\n') + '\n');
    // The correction drops the last row: it re-sends the other nine.
    writeFileSync(join(cwd, 'cur-b.csv'), lines.slice(0, -1).join('\n') + '\n');
    const r = await runCli(['import', 'cur-a.csv', 'cur-b.csv', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'warning: cur-b.csv (aws-cur) replaced 10 rows of cur-a.csv (batch 1), given in this same command: it sends rows of that file again, so it is taken as its corrected version. ' +
        'If the earlier file is the newer export, import it again on its own after this one\n',
    );
  });

  it('an empty (0-byte) file among several is passed over with a warning and the others import', async () => {
    const cwd = tempDir();
    // gpt-4o at $2.50 per 1M input: one row of 1M input tokens, $2.50.
    writeFileSync(join(cwd, 'a.jsonl'), `${JSON.stringify({ id: 'a', ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 0 })}\n`);
    writeFileSync(join(cwd, 'session-left.jsonl'), '');
    writeFileSync(join(cwd, 'quiet.jsonl'), '\n\n');
    const r = await runCli(['import', 'session-left.jsonl', 'a.jsonl', 'quiet.jsonl', '--db', 'l.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('warning: session-left.jsonl: empty (0 bytes), quiet.jsonl: empty (whitespace only), passed over; the other files are imported\n');
    expect(r.stdout).toContain('  total $2.50\n');
  });

  it('an empty or blank file alone imports nothing, records no batch and is no error, whatever --source says', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'day.jsonl'), '');
    writeFileSync(join(cwd, 'blank.csv'), '\ufeff\r\n\r\n');
    writeFileSync(join(cwd, 'day.jsonl.gz'), gzipSync(Buffer.from('\n')));
    for (const file of ['day.jsonl', 'blank.csv', 'day.jsonl.gz']) {
      for (const source of [[], ['--source', 'llmfin'], ['--source', 'otel'], ['--source', 'claude-code'], ['--source', 'openai-usage'], ['--source', 'gcp-billing']]) {
        const r = await runCli(['import', file, ...source, '--db', 'l.db'], { cwd });
        expect(r.code, `${file} ${source.join(' ')}: ${r.stderr}`).toBe(0);
        expect(r.stderr).toMatch(new RegExp(`^warning: ${file.replaceAll('.', '\\.')}: empty \\((0 bytes|whitespace only)\\), nothing to import, the ledger is unchanged\n$`));
        expect(r.stdout).toBe('');
      }
    }
    // Nothing was written: not even a ledger to hold no batch.
    expect(existsSync(join(cwd, 'l.db'))).toBe(false);
    const json = await runCli(['import', 'day.jsonl', 'blank.csv', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ rows: [] });
    // A misspelt --source is still refused.
    expect((await runCli(['import', 'day.jsonl', '--source', 'llmfni', '--db', 'l.db'], { cwd })).code).toBe(2);
  });

  it("a bill's summary says how much of its total is the LLM usage reports count, and what the rest is", async () => {
    const cwd = tempDir();
    copyFileSync(join(import.meta.dirname, '../fixtures/importers/focus/focus-1.2-ai-2026-10.csv'), join(cwd, 'focus.csv'));
    const r = await runCli(['import', 'focus.csv', '--db', 'l.db'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    // BilledCost by ChargeCategory: usage 4.625 + 8.215 + 2.51 = 15.35; tax 0.41; credit -1.00;
    // EC2, Azure Machine Learning VMs and Cloud Storage 2.304 + 3.576 + 0.026 = 5.906; unclassified 0.15 + 0.70 = 0.85.
    expect(r.stdout).toContain('  total $21.52\n  of which LLM usage $15.35, what reports count; left out of reports: tax $0.41, credits -$1.00, other services $5.91, unclassified meters $0.85 (see llmfin reconcile)\n');
    const report = JSON.parse((await runCli(['report', '--db', 'l.db', '--format', 'json'], { cwd })).stdout) as { total: { cost_usd: number } };
    expect(report.total.cost_usd).toBe(15.35);
    const json = JSON.parse((await runCli(['import', 'focus.csv', '--db', 'm.db', '--dry-run', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ cost_usd: number; by_charge_category: unknown }> };
    expect(json.rows[0]!.cost_usd).toBe(21.516);
    expect(json.rows[0]!.by_charge_category).toEqual([
      { charge_category: 'usage', rows: 17, cost_usd: 15.35 },
      { charge_category: 'tax', rows: 1, cost_usd: 0.41 },
      { charge_category: 'credit', rows: 1, cost_usd: -1 },
      { charge_category: 'non_llm', rows: 3, cost_usd: 5.906 },
      { charge_category: 'unclassified', rows: 2, cost_usd: 0.85 },
    ]);
    // A file of LLM usage alone has no such line.
    copyFileSync(DEMO, join(cwd, 'usage.jsonl'));
    expect((await runCli(['import', 'usage.jsonl', '--db', 'l.db'], { cwd })).stdout).not.toContain('of which');
  });

  it('a dry run, a refused file, --list and --undo leave no ledger behind where there was none', async () => {
    const cwd = tempDir();
    // gpt-4o at $2.50 per 1M input: two rows of 1M input tokens, $5.00.
    const row = (id: string, input: number) => JSON.stringify({ id, ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: input, output_tokens: 0 });
    writeFileSync(join(cwd, 'good.jsonl'), `${row('a', 1_000_000)}\n${row('b', 1_000_000)}\n`);
    writeFileSync(join(cwd, 'bad.jsonl'), `${row('a', 1_000_000)}\n${row('b', -5)}\n`);
    const dry = await runCli(['import', 'good.jsonl', '--db', 'new.db', '--dry-run', '--format', 'json'], { cwd });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).rows[0]).toMatchObject({ status: 'dry-run', rows_read: 2, rows_imported: 2, rows_skipped: 0, cost_usd: 5 });
    expect(existsSync(join(cwd, 'new.db'))).toBe(false);
    const bad = await runCli(['import', 'bad.jsonl', '--db', 'new.db'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.jsonl:2: input_tokens: expected a whole number >= 0, got -5');
    for (const args of [['--list'], ['--undo', '1']]) {
      const r = await runCli(['import', ...args, '--db', 'new.db'], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('new.db: no ledger there');
    }
    expect(['new.db', 'new.db-wal', 'new.db-shm'].filter((f) => existsSync(join(cwd, f)))).toEqual([]);
    // The real import does what the dry run said; a refused file after it leaves the ledger as it was.
    const real = await runCli(['import', 'good.jsonl', '--db', 'new.db', '--format', 'json'], { cwd });
    expect(JSON.parse(real.stdout).rows[0]).toMatchObject({ status: 'imported', rows_read: 2, rows_imported: 2, rows_skipped: 0, cost_usd: 5 });
    expect((await runCli(['import', 'bad.jsonl', '--db', 'new.db'], { cwd })).code).toBe(2);
    const list = JSON.parse((await runCli(['import', '--list', '--db', 'new.db', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ rows_now: number; cost_usd: number }> };
    expect(list.rows).toMatchObject([{ rows_now: 2, cost_usd: 5 }]);
  });

  it('a rejects file that cannot be written is exit 2 naming it, and imports nothing', async () => {
    const cwd = tempDir();
    const row = (id: string, input: number) => JSON.stringify({ id, ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: input, output_tokens: 0 });
    writeFileSync(join(cwd, 'good.jsonl'), `${row('a', 1_000_000)}\n`);
    writeFileSync(join(cwd, 'mixed.jsonl'), `${row('b', 1_000_000)}\n${row('c', -5)}\n`);
    expect((await runCli(['import', 'good.jsonl', '--db', 'l.db'], { cwd })).code).toBe(0);
    mkdirSync(join(cwd, 'out'));
    for (const [target, why] of [['out', 'it is a folder'], ['missing/r.jsonl', 'its folder does not exist']] as const) {
      const r = await runCli(['import', 'mixed.jsonl', '--skip-invalid', '--rejects', target, '--db', 'l.db'], { cwd });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(`llmfin: error: --skip-invalid: cannot write the rejected rows of mixed.jsonl to ${join(cwd, target)} (${why}); nothing was imported from mixed.jsonl\nhint: give --rejects a file in a folder you can write to\n`);
    }
    const list = JSON.parse((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout) as { rows: Array<{ file_name: string; rows_now: number }> };
    expect(list.rows.map((b) => [b.file_name, b.rows_now])).toEqual([['good.jsonl', 1]]);
  });

  it("a file whose rows are already in the ledger says its total is the file's, not what was added", async () => {
    const cwd = tempDir();
    // gpt-4o at $2.50 per 1M input: two rows of 1M input tokens, $5.00.
    const row = (id: string) => JSON.stringify({ id, ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 0 });
    writeFileSync(join(cwd, 'a.jsonl'), `${row('a')}\n${row('b')}\n`);
    // The same rows again in another file (not the same bytes, so not recognised by its hash).
    writeFileSync(join(cwd, 'b.jsonl'), `${row('a')}\n${row('b')}\n\n`);
    expect((await runCli(['import', 'a.jsonl', '--db', 'l.db'], { cwd })).stdout).toContain('  total $5.00\n');
    const again = await runCli(['import', 'b.jsonl', '--db', 'l.db'], { cwd });
    expect(again.stdout).toContain('  total $5.00 in the file (none of it new to the ledger: 2 duplicates skipped)\n');
  });

  it('an API page saying more pages follow is imported, and the summary says the export is incomplete and how to fetch the rest', async () => {
    const cwd = tempDir();
    const json = await runCli(['import', NO_MODEL_PAGE, '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).rows[0].notes).toEqual([expect.stringContaining('the export is incomplete: its last page (line 1) has "has_more": true')]);
    const text = await runCli(['import', NO_MODEL_PAGE, '--db', 'l.db'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('\n  the export is incomplete: its last page (line 1) has "has_more": true and next_page "page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=", and no page after it is in the file; request the same URL again with page=page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=');
  });

  it('the summary gives the dates of the first and last rows, so an export of the wrong month shows', async () => {
    const cwd = tempDir();
    const r = await runCli(['import', DEMO, NO_MODEL_PAGE, '--dry-run', '--db', 'l.db'], { cwd });
    expect(r.stdout).toContain('  rows dated 2026-10-01 … 2026-10-31 (UTC)\n');
    // OpenAI's example bucket starts at 1730419200 (2024-11-01T00:00:00Z).
    expect(r.stdout).toContain('  rows dated 2024-11-01 … 2024-11-01 (UTC)\n');
    const json = JSON.parse((await runCli(['import', DEMO, '--dry-run', '--db', 'l.db', '--format', 'json'], { cwd })).stdout).rows[0];
    expect(json).toMatchObject({ first_ts: '2026-10-01T00:00:00.000Z', last_ts: '2026-10-31T00:00:00.000Z' });
  });

  it('a bad file among several: the files before it are reported as imported, the ones after as not read', async () => {
    const cwd = tempDir();
    copyFileSync(DEMO, join(cwd, 'first.jsonl'));
    writeFileSync(join(cwd, 'bad.jsonl'), '{"id":"q1","ts":"2026-10-01T10:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":"abc","output_tokens":50}\n');
    writeFileSync(join(cwd, 'last.jsonl'), '{"id":"q2","ts":"2026-10-01T10:00:00Z","provider":"openai","model":"gpt-4o","input_tokens":1000,"output_tokens":50}\n');
    const r = await runCli(['import', 'first.jsonl', 'bad.jsonl', 'last.jsonl', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('first.jsonl (llmfin): imported as batch 1\n  2,108 rows read · 2,108 imported');
    expect(r.stderr).toContain('warning: bad.jsonl stopped the import: first.jsonl imported (above); not read: last.jsonl\n');
    expect(r.stderr).toContain('bad.jsonl:1: input_tokens:');
    const batches = JSON.parse((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout).rows;
    expect(batches.map((b: { file_name: string }) => b.file_name)).toEqual(['first.jsonl']);
    // As JSON: one document with the file that was imported.
    const json = await runCli(['import', 'last.jsonl', 'bad.jsonl', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).rows.map((x: { file: string; status: string }) => [x.file, x.status])).toEqual([['last.jsonl', 'imported']]);
    expect(json.stderr).toContain('warning: bad.jsonl stopped the import: last.jsonl imported (above); it was the last file\n');
  });

  it('undoing an invoice file\'s batch names the invoices it removes, not only its 0 rows', async () => {
    const cwd = tempDir();
    copyFileSync(join(import.meta.dirname, '../fixtures/importers/invoice/openai-enterprise-2026-10.yaml'), join(cwd, 'invoices.yaml'));
    expect((await runCli(['import', 'invoices.yaml', '--db', 'l.db'], { cwd })).code).toBe(0);
    const undo = await runCli(['import', '--undo', '1', '--db', 'l.db'], { cwd });
    expect(undo.stdout).toBe('removed batch 1 and its 0 rows and 2 invoices openai INV-OAI-2026-10-0042, anthropic ANT-2026-10-7781\n');
    expect((await runCli(['import', 'invoices.yaml', '--db', 'l.db'], { cwd })).code).toBe(0);
    const json = JSON.parse((await runCli(['import', '--undo', '2', '--db', 'l.db', '--format', 'json'], { cwd })).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ batch_id: 2, rows_removed: 0, invoices_removed: [{ provider: 'openai', number: 'INV-OAI-2026-10-0042' }, { provider: 'anthropic', number: 'ANT-2026-10-7781' }] });
  });

  it('undoing a corrected invoice says the version it replaced is gone too, and which file restores it', async () => {
    const cwd = tempDir();
    const invoice = (usage: string) =>
      `provider: openai\nnumber: INV-7\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: usage, amount: "${usage}" }\ntotal: "${usage}"\n`;
    writeFileSync(join(cwd, 'inv-v1.yaml'), invoice('100.00'));
    writeFileSync(join(cwd, 'inv-v2.yaml'), invoice('120.00'));
    expect((await runCli(['import', 'inv-v1.yaml', '--db', 'l.db'], { cwd })).code).toBe(0);
    expect((await runCli(['import', 'inv-v2.yaml', '--db', 'l.db'], { cwd })).code).toBe(0);
    const undo = await runCli(['import', '--undo', '2', '--db', 'l.db'], { cwd });
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stderr).toContain(
      'warning: invoice openai INV-7 of batch 2 was a corrected version: the one it replaced (batch 1, inv-v1.yaml) was deleted then, so the ledger now has neither; to restore it, undo batch 1 too (llmfin import --undo 1) and import inv-v1.yaml again',
    );
    const total = async () => (JSON.parse((await runCli(['report', '--db', 'l.db', '--month', '2026-10', '--format', 'json'], { cwd })).stdout) as { total: { cost_usd: number } }).total.cost_usd;
    expect(await total()).toBe(0);
    // As it says: the first version is back, $100.00.
    expect((await runCli(['import', '--undo', '1', '--db', 'l.db'], { cwd })).code).toBe(0);
    expect((await runCli(['import', 'inv-v1.yaml', '--db', 'l.db'], { cwd })).code).toBe(0);
    expect(await total()).toBe(100);
    // As JSON too (batch 3 recorded v1, batch 4 corrects it).
    expect((await runCli(['import', 'inv-v2.yaml', '--db', 'l.db'], { cwd })).code).toBe(0);
    expect(await total()).toBe(120);
    const json = await runCli(['import', '--undo', '4', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(JSON.parse(json.stdout)).toMatchObject({ invoices_replaced_not_restored: [{ provider: 'openai', number: 'INV-7', batch_id: 3, file_name: 'inv-v1.yaml' }] });
    // A batch whose invoice was no correction says nothing of the kind.
    const plain = await runCli(['import', '--undo', '3', '--db', 'l.db'], { cwd });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toContain('corrected version');
  });

  it('undoing a corrected export says the rows it replaced are not restored, and how to restore them', async () => {
    const cwd = tempDir();
    copyFileSync(ANTHROPIC_COST, join(cwd, 'cost.csv'));
    copyFileSync(ANTHROPIC_COST_CORRECTED, join(cwd, 'cost-corrected.csv'));
    await runCli(['import', 'cost.csv', '--db', 'l.db'], { cwd });
    await runCli(['import', 'cost-corrected.csv', '--db', 'l.db'], { cwd });
    const undo = await runCli(['import', '--undo', '2', '--db', 'l.db'], { cwd });
    expect(undo.code).toBe(0);
    expect(undo.stdout).toBe('removed batch 2 and its 18 rows\n');
    expect(undo.stderr).toBe(
      'warning: batch 2 had replaced 19 rows of earlier anthropic-csv imports, and undo does not bring them back: batch 1 (cost.csv) holds 0 of its 19 rows. To restore one, undo it too (llmfin import --undo ID) and import its file again\n',
    );
    // Following the hint restores the first export's 19 rows ($4.737).
    await runCli(['import', '--undo', '1', '--db', 'l.db'], { cwd });
    const again = JSON.parse((await runCli(['import', 'cost.csv', '--db', 'l.db', '--format', 'json'], { cwd })).stdout).rows[0];
    expect(again).toMatchObject({ status: 'imported', rows_imported: 19, cost_usd: 4.737 });

    // As JSON, the same facts as fields; an undo that replaced nothing has no warning.
    await runCli(['import', 'cost-corrected.csv', '--db', 'l.db'], { cwd });
    const json = await runCli(['import', '--undo', '4', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(JSON.parse(json.stdout)).toEqual({ batch_id: 4, rows_removed: 18, invoices_removed: [], rows_replaced_not_restored: 19, earlier_batches_short: [3], invoices_replaced_not_restored: [] });
    const plain = await runCli(['import', '--undo', '3', '--db', 'l.db'], { cwd });
    expect(plain.stderr).toBe('');
  });

  it('a gzip file whose data is corrupt near its start says so, not that no source recognises it', async () => {
    const cwd = tempDir();
    const gz = gzipSync(readFileSync(DEMO));
    writeFileSync(join(cwd, 'usage.jsonl.gz'), Buffer.concat([gz.subarray(0, 200), Buffer.alloc(4000, 0xab)]));
    const r = await runCli(['import', 'usage.jsonl.gz', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'llmfin: error: usage.jsonl.gz: the gzip file is truncated or corrupt\nhint: nothing was imported from this file; download or copy it again (`gzip -t FILE` checks it) and import that\n',
    );
    // The same file whole imports.
    writeFileSync(join(cwd, 'ok.jsonl.gz'), gz);
    expect(JSON.parse((await runCli(['import', 'ok.jsonl.gz', '--db', 'l.db', '--format', 'json'], { cwd })).stdout).rows[0]).toMatchObject({ source: 'llmfin', rows_imported: 2108 });
  });

  it('a file forced on the wrong source is refused as that, --skip-invalid or not, with the source that reads it', async () => {
    const cwd = tempDir();
    copyFileSync(DEMO, join(cwd, 'usage.jsonl'));
    expect((await runCli(['import', 'usage.jsonl', '--db', 'l.db'], { cwd })).code).toBe(0);
    const before = readFileSync(join(cwd, 'l.db'));
    copyFileSync(AZURE_EA, join(cwd, 'ea.csv'));
    copyFileSync(fileURLToPath(new URL('../fixtures/importers/openai-costs/costs-2026-10.json', import.meta.url)), join(cwd, 'costs.json'));
    const cases = [
      {
        file: 'ea.csv',
        source: 'aws-cur',
        error: 'llmfin: error: ea.csv:1: lineItem/UsageType: expected a "lineItem/UsageType" (or "line_item_usage_type") column, got none: not an AWS Cost and Usage Report\n',
        hint: 'hint: nothing was imported from this file; --source aws-cur would not have chosen it (no "lineItem/UsageType" column); detection takes it as azure-cost: drop --source to import it as that\n',
      },
      {
        // Rows of another kind, each one refused: before, --skip-invalid recorded an empty import of it.
        file: 'costs.json',
        source: 'openai-usage',
        error: 'llmfin: error: costs.json:3: object: expected an organization.usage.*.result, got "organization.costs.result"\n',
        hint: 'hint: nothing was imported from this file; --source openai-usage would not have chosen it (no "organization.usage.*.result" objects); detection takes it as openai-costs: drop --source to import it as that\n',
      },
    ];
    for (const c of cases) {
      for (const extra of [[], ['--skip-invalid']]) {
        const r = await runCli(['import', c.file, '--source', c.source, ...extra, '--db', 'l.db'], { cwd });
        expect(r.code, `${c.file} ${extra.join(' ')}`).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(c.error + c.hint);
        expect(existsSync(join(cwd, `${c.file}.rejects.jsonl`))).toBe(false);
      }
    }
    expect(readFileSync(join(cwd, 'l.db')).equals(before)).toBe(true);
    const list = JSON.parse((await runCli(['import', '--list', '--db', 'l.db', '--format', 'json'], { cwd })).stdout) as { rows: unknown[] };
    expect(list.rows).toHaveLength(1);
  });

  it('undo counts one row as "1 row"', async () => {
    const cwd = tempDir();
    copyFileSync(NO_MODEL_PAGE, join(cwd, 'page.json'));
    expect((await runCli(['import', 'page.json', '--db', 'l.db'], { cwd })).code).toBe(0);
    const undo = await runCli(['import', '--undo', '1', '--db', 'l.db'], { cwd });
    expect(undo.stdout).toBe('removed batch 1 and its 1 row\n');
  });
});
