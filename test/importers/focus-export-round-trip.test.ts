// llmfin's own FOCUS export (`llmfin export --format focus`) imported back: the llmfin
// source restores the ledger rows it was written from, column for column, and the
// reports of the copy are those of the original.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { openLedger } from '../../src/ledger/index.js';
import { llmfinImporter } from '../../src/importers/llmfin/llmfin-importer.js';
import { focusImporter } from '../../src/importers/focus/focus-importer.js';
import { readSample } from '../../src/importers/source-input.js';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

/** A ledger row as `llmfin export --format jsonl` writes it: every column, defaults for the ones a row leaves out. */
function ledgerRow(o: Record<string, unknown>): string {
  return JSON.stringify({
    id: null, source: 'llmfin', provenance: 'metered', provider: 'openai', account: null, model: null, model_requested: null, matched_model: null, offering: null,
    ts: null, ts_end: null, granularity: 'request', requests: 1,
    input_tokens: 0, uncached_input_tokens: 0, cache_read_tokens: 0, cache_write_5m_tokens: 0, cache_write_1h_tokens: 0,
    input_audio_tokens: 0, input_image_tokens: 0, output_tokens: 0, reasoning_tokens: 0, output_audio_tokens: 0, output_image_tokens: 0,
    web_search_requests: 0, service_tier: null, region: null,
    cost_usd: null, cost_status: 'priced', reported_cost_usd: null, estimated_cost_usd: null, currency: 'USD', charge_category: 'usage',
    price_ref: null, catalogue_version: null, description: null,
    team: null, feature: null, customer: null, agent: null, project: null, environment: null, api_key: null, workspace: null, user: null,
    trace_id: null, request_id: null, tags: null, raw_usage: null, status_code: null, latency_ms: null, ttfb_ms: null, prompt_hash: null,
    ...o,
  });
}

// One layer per provider-month (openai metered, anthropic billed, bedrock provider usage), so
// the FOCUS export's default basis writes every row. Columns FOCUS has no place for (raw
// usage, catalogue version, the proxy's timings and prompt hash) are null here.
const ROWS = [
  // A priced request: every token class, tags beside the dimensions, ids, a service tier.
  ledgerRow({
    id: 'req-1', provider: 'openai', model: 'gpt-4o', model_requested: 'gpt-4o-latest', matched_model: 'gpt-4o', offering: 'default', price_ref: 'openai/gpt-4o/default/start',
    ts: '2026-10-03T10:15:30.250Z', input_tokens: 2006, uncached_input_tokens: 86, cache_read_tokens: 1920, output_tokens: 300, reasoning_tokens: 120,
    web_search_requests: 2, service_tier: 'batch', cost_usd: '0.005615', team: 'search', feature: 'autocomplete', customer: 'acme', environment: 'production',
    api_key: 'sk-search', user: 'u-7', trace_id: 'trace-1', request_id: 'req_abc', tags: { cost_center: 'cc-7', 'service.name': 'web' },
  }),
  // An unpriced request: its cost is unknown (the export writes 0), never $0.
  ledgerRow({
    id: 'req-2', provider: 'openai', model: 'ft:my-finetune', ts: '2026-10-03T11:00:00.000Z', input_tokens: 1000, uncached_input_tokens: 1000, output_tokens: 50,
    cost_status: 'unpriced', description: 'unpriced: model not in the catalogue', team: 'search',
  }),
  // An estimated request with audio and image tokens, and texts a spreadsheet would run as formulas.
  ledgerRow({
    id: 'req-3', provider: 'openai', model: 'gpt-4o-audio', matched_model: 'gpt-4o-audio', ts: '2026-10-04T09:00:00.000Z', input_tokens: 1300, uncached_input_tokens: 1000,
    input_audio_tokens: 100, input_image_tokens: 200, output_tokens: 500, output_audio_tokens: 30, output_image_tokens: 40, cost_usd: '0.5', cost_status: 'estimated',
    estimated_cost_usd: '0.5', description: '=HYPERLINK("x")', team: 'ml', agent: 'planner', project: 'atlas', workspace: 'ws-1', feature: '-rerank',
  }),
  // A day's bill line with an account, llmfin's estimate beside the provider's amount.
  ledgerRow({
    id: 'bill-1', source: 'anthropic-cost', provenance: 'billed', provider: 'anthropic', account: 'org-acme', model: 'claude-sonnet-4-5', matched_model: 'claude-sonnet-4-5',
    offering: 'default', price_ref: 'anthropic/claude-sonnet-4-5/default/start', ts: '2026-10-01T00:00:00.000Z', ts_end: '2026-10-02T00:00:00.000Z', granularity: 'day',
    requests: 0, input_tokens: 1000000, uncached_input_tokens: 1000000, output_tokens: 100000, cost_usd: '4.5', cost_status: 'billed', estimated_cost_usd: '4.4',
    description: 'Claude Sonnet 4.5 Usage', team: 'support',
  }),
  // A month's tax and a credit on the same bill: no model, no tokens.
  ledgerRow({
    id: 'tax-1', source: 'anthropic-cost', provenance: 'billed', provider: 'anthropic', account: 'org-acme', ts: '2026-10-01T00:00:00.000Z', ts_end: '2026-11-01T00:00:00.000Z',
    granularity: 'month', requests: 0, cost_usd: '0.36', cost_status: 'billed', charge_category: 'tax',
  }),
  ledgerRow({
    id: 'credit-1', source: 'anthropic-cost', provenance: 'billed', provider: 'anthropic', account: 'org-acme', ts: '2026-10-15T00:00:00.000Z', ts_end: '2026-10-16T00:00:00.000Z',
    granularity: 'day', requests: 0, cost_usd: '-1.5', cost_status: 'billed', charge_category: 'credit', description: 'Promotional credit',
  }),
  // An hour of provider usage: its own end, a region, a long-context price under a regional offering.
  ledgerRow({
    id: 'hour-1', source: 'bedrock-usage', provenance: 'provider_usage', provider: 'bedrock', account: 'acct-123456789012', model: 'anthropic.claude-haiku-4-5',
    matched_model: 'anthropic.claude-haiku-4-5', offering: 'regional', price_ref: 'bedrock/anthropic.claude-haiku-4-5/regional/start#long-context',
    ts: '2026-10-05T13:00:00.000Z', ts_end: '2026-10-05T14:00:00.000Z', granularity: 'hour', requests: 40, input_tokens: 50000, uncached_input_tokens: 35000,
    cache_write_5m_tokens: 5000, cache_write_1h_tokens: 10000, output_tokens: 8000, service_tier: 'priority', region: 'eu-west-1', cost_usd: '0.123456789',
    reported_cost_usd: '0.12', team: 'platform', tags: { env: 'prod' },
  }),
];

type Row = Record<string, unknown>;

async function ledgerRows(path: string): Promise<Row[]> {
  const ledger = await openLedger(path, { create: false });
  try {
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('source').orderBy('dedupe_key').execute();
    return rows.map(({ id: _id, batch_id: _batch, created_at: _created, ...rest }) => rest);
  } finally {
    await ledger.close();
  }
}

/** A CSV record of cells as they are (a formula guard the export wrote stays as written). */
const record = (cells: readonly string[]) => `${cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\r\n`;

/** The file with one cell changed (`column` of the row whose x_llmfin_dedupe_key is `key`); the line of that row. */
function withCell(file: string, out: string, key: string, column: string, value: string): number {
  const [header, ...rows] = parse(readFileSync(file, 'utf8')) as string[][];
  const c = header!.indexOf(column);
  const k = header!.indexOf('x_llmfin_dedupe_key');
  expect(c).toBeGreaterThanOrEqual(0);
  writeFileSync(out, [header!, ...rows.map((r) => (r[k] === key ? r.map((cell, i) => (i === c ? value : cell)) : r))].map(record).join(''));
  // One line a record (no cell of these rows holds a line break), the header first.
  return rows.findIndex((r) => r[k] === key) + 2;
}

describe("llmfin's FOCUS export imported back", () => {
  const cwd = tempDir();
  const original = join(cwd, 'original.db');
  const focus = join(cwd, 'focus.csv');

  beforeAll(async () => {
    writeFileSync(join(cwd, 'ledger.jsonl'), `${ROWS.join('\n')}\n`);
    const imported = await runCli(['import', 'ledger.jsonl', '--db', original], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    const exported = await runCli(['export', '--format', 'focus', '--db', original, '--out', focus], { cwd });
    expect(exported.code, exported.stderr).toBe(0);
  });

  it('is detected as the llmfin source; the focus source declines it and says so', () => {
    const sample = readSample(focus, 'focus.csv');
    expect(llmfinImporter.detect(sample)).toEqual({ ok: true });
    expect(focusImporter.detect(sample)).toEqual({ ok: false, reason: "llmfin's own FOCUS export (x_llmfin_* columns): read as `--source llmfin`, which restores its ledger rows" });
  });

  it('restores every row column for column into a fresh ledger', async () => {
    const copy = join(cwd, 'copy.db');
    const r = await runJson<{ rows: Array<Record<string, unknown>> }>(['import', focus, '--db', copy], { cwd });
    // 0.005615 + 0.5 + 4.5 + 0.36 − 1.5 + 0.123456789; the unpriced row adds nothing.
    expect(r.rows).toMatchObject([{ source: 'llmfin', status: 'imported', rows_read: 7, rows_imported: 7, rows_rejected: 0, cost_usd: 3.989071789 }]);
    const before = await ledgerRows(original);
    expect(before).toHaveLength(7);
    expect(await ledgerRows(copy)).toEqual(before);

    // What the export had to make up comes back as the ledger had it.
    const byKey = new Map((await ledgerRows(copy)).map((row) => [row.dedupe_key, row]));
    expect(byKey.get('req-2')).toMatchObject({ cost_usd: null, cost_ticks: null, cost_status: 'unpriced', account: null, ts_end: null });
    expect(byKey.get('tax-1')).toMatchObject({ model: null, description: null, account: 'org-acme', charge_category: 'tax', cost_usd: '0.36', ts_end: '2026-11-01T00:00:00.000Z' });
    expect(byKey.get('hour-1')).toMatchObject({ offering: 'regional', ts_end: '2026-10-05T14:00:00.000Z', tags: '{"env":"prod"}', team: 'platform', cost_usd: '0.123456789', reported_cost_usd: '0.12' });
    expect(byKey.get('req-1')).toMatchObject({ account: null, tags: '{"cost_center":"cc-7","service.name":"web"}', customer: 'acme', user: 'u-7', ts: '2026-10-03T10:15:30.250Z' });
    expect(byKey.get('req-3')).toMatchObject({ description: '=HYPERLINK("x")', feature: '-rerank', cost_status: 'estimated' });
  });

  it("gives the same report, by provider and model and by team, to the cent", async () => {
    const copy = join(cwd, 'report.db');
    expect((await runCli(['import', focus, '--db', copy], { cwd })).code).toBe(0);
    for (const by of [[], ['--by', 'provider,model'], ['--by', 'team']]) {
      const a = await runJson<{ rows: Row[]; total: Row }>(['report', ...by, '--db', original], { cwd });
      const b = await runJson<{ rows: Row[]; total: Row }>(['report', ...by, '--db', copy], { cwd });
      expect(b, by.join(' ')).toEqual(a);
    }
    const byTeam = await runJson<{ rows: Array<{ team: string; cost_usd: number; requests: number; input_tokens: number; unpriced_rows: number }> }>(['report', '--by', 'team', '--db', copy], { cwd });
    // LLM usage only: 4.5 support, 0.5 ml, 0.123456789 platform, 0.005615 search (plus its unpriced request).
    expect(byTeam.rows.map((row) => [row.team, row.cost_usd, row.requests, row.input_tokens, row.unpriced_rows])).toEqual([
      ['support', 4.5, 0, 1000000, 0],
      ['ml', 0.5, 1, 1300, 0],
      ['platform', 0.123456789, 40, 50000, 0],
      ['search', 0.005615, 2, 3006, 1],
    ]);
  });

  it('imported again changes nothing: the same file, another copy of it, or into the ledger it came from', async () => {
    const copy = join(cwd, 'twice.db');
    expect((await runCli(['import', focus, '--db', copy], { cwd })).code).toBe(0);
    const once = await ledgerRows(copy);
    const same = await runJson<{ rows: Array<Record<string, unknown>> }>(['import', focus, '--db', copy], { cwd });
    expect(same.rows[0]).toMatchObject({ status: 'already-imported' });
    // Other bytes, the same rows: found by (x_llmfin_source, x_llmfin_dedupe_key).
    const other = join(cwd, 'focus-crlf-free.csv');
    writeFileSync(other, readFileSync(focus, 'utf8').replace(/\r\n/g, '\n'));
    const again = await runJson<{ rows: Array<Record<string, unknown>> }>(['import', other, '--db', copy], { cwd });
    expect(again.rows[0]).toMatchObject({ status: 'imported', rows_read: 7, rows_imported: 0, rows_skipped: 7 });
    expect(await ledgerRows(copy)).toEqual(once);
    const back = await runJson<{ rows: Array<Record<string, unknown>> }>(['import', focus, '--db', original], { cwd });
    expect(back.rows[0]).toMatchObject({ rows_imported: 0, rows_skipped: 7 });
  });

  it('--source focus refuses the file (exit 2), naming the source that reads it, before any file is imported', async () => {
    const copy = join(cwd, 'forced.db');
    const r = await runCli(['import', join(cwd, 'ledger.jsonl'), focus, '--source', 'focus', '--db', copy], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${focus}: llmfin's own FOCUS export (x_llmfin_* columns), which --source focus would read as bills of unknown meters`);
    expect(r.stderr).toContain('hint: import it with --source llmfin (or without --source)');
    expect(existsSync(copy)).toBe(false);
  });

  it('a billed Usage row without tokens is exported with a PricingQuantity (1 unit) and comes back as it was', async () => {
    const dir = tempDir();
    const bill = ledgerRow({
      id: 'bill-2', source: 'openai-costs', provenance: 'billed', provider: 'openai', account: 'org-acme', ts: '2026-10-02T00:00:00.000Z', ts_end: '2026-10-03T00:00:00.000Z',
      granularity: 'day', requests: 0, cost_usd: '2.25', cost_status: 'billed', description: 'gpt-4o, input',
    });
    writeFileSync(join(dir, 'bill.jsonl'), `${bill}\n`);
    expect((await runCli(['import', 'bill.jsonl', '--db', 'a.db'], { cwd: dir })).code).toBe(0);
    const exported = await runCli(['export', '--format', 'focus', '--db', 'a.db', '--out', 'bill.csv'], { cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);
    const [header, row] = parse(readFileSync(join(dir, 'bill.csv'), 'utf8')) as string[][];
    const cell = (column: string) => row![header!.indexOf(column)];
    expect([cell('ChargeCategory'), cell('PricingQuantity'), cell('PricingUnit'), cell('ConsumedQuantity'), cell('BilledCost')]).toEqual(['Usage', '1', 'Units', '', '2.25']);
    const r = await runJson<{ rows: Array<Record<string, unknown>> }>(['import', 'bill.csv', '--db', 'b.db'], { cwd: dir });
    expect(r.rows).toMatchObject([{ source: 'llmfin', rows_imported: 1, cost_usd: 2.25 }]);
    expect(await ledgerRows(join(dir, 'b.db'))).toEqual(await ledgerRows(join(dir, 'a.db')));
  });

  it('billed Purchase rows without a quantity (support, a fee) are exported with a PricingQuantity (1 unit) and come back as they were', async () => {
    const dir = tempDir();
    const purchase = { source: 'openai-costs', provenance: 'billed', provider: 'openai', account: 'org-acme', granularity: 'month', requests: 0, cost_status: 'billed' };
    const support = ledgerRow({ ...purchase, id: 'support-1', ts: '2026-10-01T00:00:00.000Z', ts_end: '2026-11-01T00:00:00.000Z', cost_usd: '100', charge_category: 'support', description: 'Enterprise support' });
    const fee = ledgerRow({ ...purchase, id: 'fee-1', ts: '2026-10-01T00:00:00.000Z', ts_end: '2026-11-01T00:00:00.000Z', cost_usd: '7.5', charge_category: 'fee', description: 'Platform fee' });
    writeFileSync(join(dir, 'purchases.jsonl'), `${support}\n${fee}\n`);
    expect((await runCli(['import', 'purchases.jsonl', '--db', 'a.db'], { cwd: dir })).code).toBe(0);
    const exported = await runCli(['export', '--format', 'focus', '--db', 'a.db', '--out', 'purchases.csv'], { cwd: dir });
    expect(exported.code, exported.stderr).toBe(0);
    const [header, ...rows] = parse(readFileSync(join(dir, 'purchases.csv'), 'utf8')) as string[][];
    const cells = (...columns: string[]) => rows.map((row) => columns.map((column) => row[header!.indexOf(column)]));
    expect(cells('x_llmfin_charge_category', 'ChargeCategory', 'PricingQuantity', 'PricingUnit', 'ConsumedQuantity', 'BilledCost').sort()).toEqual([
      ['fee', 'Purchase', '1', 'Units', '', '7.5'],
      ['support', 'Purchase', '1', 'Units', '', '100'],
    ]);
    const r = await runJson<{ rows: Array<Record<string, unknown>> }>(['import', 'purchases.csv', '--db', 'b.db'], { cwd: dir });
    // 100 + 7.5
    expect(r.rows).toMatchObject([{ source: 'llmfin', rows_imported: 2, cost_usd: 107.5 }]);
    expect(await ledgerRows(join(dir, 'b.db'))).toEqual(await ledgerRows(join(dir, 'a.db')));
  });

  it('--source llmfin reads it too', async () => {
    const copy = join(cwd, 'llmfin.db');
    expect((await runCli(['import', focus, '--source', 'llmfin', '--db', copy], { cwd })).code).toBe(0);
    expect(await ledgerRows(copy)).toEqual(await ledgerRows(original));
  });

  const BAD: Array<[key: string, column: string, value: string, message: string]> = [
    ['req-1', 'x_llmfin_input_tokens', '2k', 'x_llmfin_input_tokens: expected a whole number >= 0, got "2k"'],
    ['bill-1', 'BilledCost', '4,5', 'BilledCost: expected a decimal amount in USD such as 12.5 ("." for decimals, no thousands separators), got "4,5"'],
    ['hour-1', 'ChargePeriodStart', '05/10/2026 13:00', 'ChargePeriodStart: expected an ISO 8601 time with a zone, such as 2026-10-01T12:00:00Z, got "05/10/2026 13:00"'],
    ['req-3', 'x_llmfin_cost_status', 'guessed', 'x_llmfin_cost_status: expected one of priced, billed, unpriced, estimated, got "guessed"'],
    ['req-1', 'Tags', '{"team": 7}', 'Tags: expected a JSON object of text values, such as {"team": "search"}, got "{\\"team\\": 7}"'],
    ['tax-1', 'x_llmfin_dedupe_key', '', 'x_llmfin_dedupe_key: expected a non-empty text, got nothing'],
    ['credit-1', 'BillingCurrency', 'EUR', 'BillingCurrency: expected USD (llmfin\'s export writes US dollars), got "EUR"'],
  ];
  for (const [key, column, value, message] of BAD) {
    it(`a bad ${column} is refused at its line and column (exit 2), nothing imported`, async () => {
      const bad = join(cwd, `bad-${column}.csv`);
      const line = withCell(focus, bad, key, column, value);
      expect(line).toBeGreaterThan(1);
      const copy = join(cwd, `bad-${column}.db`);
      // A good file first: the bad one must leave it as it was.
      expect((await runCli(['import', 'ledger.jsonl', '--db', copy], { cwd })).code).toBe(0);
      const before = await ledgerRows(copy);
      const r = await runCli(['import', bad, '--db', copy], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${bad}:${line}: ${message}`);
      expect(await ledgerRows(copy)).toEqual(before);
    });
  }
});
