import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anthropicCostImporter } from '../../src/importers/anthropic-cost/anthropic-cost-importer.js';
import { anthropicUsageImporter } from '../../src/importers/anthropic-usage/anthropic-usage-importer.js';
import { readSample } from '../../src/importers/source-input.js';
import { ledgerTotals } from '../../src/ledger/queries/spend-summary.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';
import { inTimeZone } from '../helpers/time-zone.js';

const fx = (p: string) => fileURLToPath(new URL(`../fixtures/importers/${p}`, import.meta.url));
const USAGE = fx('anthropic-usage/usage-report-2026-10.json');
const COST = fx('anthropic-cost/cost-report-2026-10.json');

describe('anthropic-usage', () => {
  it('detects usage reports and refuses cost reports', () => {
    expect(anthropicUsageImporter.detect(readSample(USAGE, USAGE))).toEqual({ ok: true });
    expect(anthropicUsageImporter.detect(readSample(COST, COST)).ok).toBe(false);
    expect(anthropicCostImporter.detect(readSample(USAGE, USAGE)).ok).toBe(false);
  });

  it('prices partitioned input, batch, 1h writes and US-only inference exactly', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, anthropicUsageImporter, USAGE);
    // sonnet 4.5: 41,000×3 + 120,000×0.3 + 9,000×3.75 + 6,200×15 + 3 web searches × $0.01 = $0.31575
    // haiku 4.5 batch: (1,000,000×1 + 200,000×5)×0.5 (web_search_requests 0) = $1
    // opus 4.6 US-only: (10,000×5 + 20,000×10 + 2,000×25)×1.1 (server_tool_use null) = $0.33
    // sonnet 4.5 in the 200k-1M window, at long-context rates: 500,000×6 + 1,000×22.5 = $3.0225
    // total 0.31575 + 1 + 0.33 + 3.0225 = $4.66825
    expect(s).toMatchObject({ rowsImported: 4, costUsd: '4.66825', unpricedModels: [] });
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.matched_model, r.cost_usd, r.service_tier, r.region])).toEqual([
      ['claude-sonnet-4-5', '0.31575', null, null],
      ['claude-haiku-4-5', '1', 'batch', null],
      ['claude-opus-4-6', '0.33', null, 'us'],
      ['claude-sonnet-4-5', '3.0225', null, null],
    ]);
    expect(rows[0]).toMatchObject({ input_tokens: 170000, uncached_input_tokens: 41000, cache_read_tokens: 120000, cache_write_5m_tokens: 9000, output_tokens: 6200, workspace: 'wrkspc_support', api_key: 'apikey_demo01', account: 'wrkspc_support', provenance: 'provider_usage', granularity: 'day' });
    expect(rows.map((r) => r.web_search_requests)).toEqual([3, 0, 0, 0]);
    expect(rows[3]!.description).toMatch(/200k-1M/);
    expect((await importInto(ledger, anthropicUsageImporter, USAGE)).status).toBe('already-imported');
    await ledger.close();
  });

  it('a non-integer token count names the field', async () => {
    const file = join(tempDir(), 'u.json');
    writeFileSync(file, '{"data":[{"starting_at":"2026-10-01T00:00:00Z","ending_at":"2026-10-02T00:00:00Z","results":[{"uncached_input_tokens":"12","output_tokens":1}]}]}');
    const ledger = await freshLedger();
    await expect(importInto(ledger, anthropicUsageImporter, file)).rejects.toThrow(`${file}:1: uncached_input_tokens: expected a whole number of tokens, got "12"`);
    expect((await ledgerTotals(ledger)).rows).toBe(0);
    await ledger.close();
  });

  it('a web-search count that is not a whole number names its field', async () => {
    const file = join(tempDir(), 'u.json');
    writeFileSync(file, readFileSync(USAGE, 'utf8').replace('"web_search_requests":3', '"web_search_requests":"3"'));
    const ledger = await freshLedger();
    await expect(importInto(ledger, anthropicUsageImporter, file)).rejects.toThrow(`${file}:3: server_tool_use.web_search_requests: expected a whole number, got "3"`);
    expect((await ledgerTotals(ledger)).rows).toBe(0);
    await ledger.close();
  });

  it('--skip-invalid rejects a bad result and imports every other one, after it too', async () => {
    const file = join(tempDir(), 'u.json');
    // The haiku batch row (the second of four) gets a token count that is text.
    writeFileSync(file, readFileSync(USAGE, 'utf8').replace('"uncached_input_tokens":1000000', '"uncached_input_tokens":"1000000"'));
    const ledger = await freshLedger();
    const s = await importInto(ledger, anthropicUsageImporter, file, { skipInvalid: true });
    // 0.31575 + 0.33 + 3.0225: the rows before and after the batch row's $1
    expect(s).toMatchObject({ rowsRead: 4, rowsImported: 3, rowsRejected: 1, costUsd: '3.66825' });
    await ledger.close();
  });
});

describe('anthropic-cost', () => {
  it('converts decimal cents to dollars exactly', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, anthropicCostImporter, COST);
    // 1,734.5¢ + 12,300¢ + 1,000¢ + 250.25¢ = $17.345 + $123 + $10 + $2.5025
    expect(s).toMatchObject({ rowsImported: 4, costUsd: '152.8475' });
    const rows = await ledger.db.selectFrom('usage_entries').select(['cost_usd', 'cost_status', 'model', 'description']).orderBy('id').execute();
    expect(rows[0]).toEqual({ cost_usd: '17.345', cost_status: 'billed', model: 'claude-sonnet-4-5', description: 'Claude Sonnet 4.5 Usage - Output Tokens' });
    expect(rows[2]).toEqual({ cost_usd: '10', cost_status: 'billed', model: null, description: 'Web Search' });
    await ledger.close();
  });

  it('keeps the service tier and region a cost row was billed at, as the usage report gives them', async () => {
    const file = join(tempDir(), 'c.json');
    // The batch row's tier stays; a priority row in the US-only region gets both.
    const text = readFileSync(COST, 'utf8').replace(
      '"amount":"1000","currency":"USD","cost_type":"web_search","token_type":null,"model":null,"service_tier":null',
      '"amount":"1000","currency":"USD","cost_type":"tokens","token_type":"output_tokens","model":"claude-sonnet-4-5","service_tier":"priority_on_demand","inference_geo":"us"',
    );
    writeFileSync(file, text);
    const ledger = await freshLedger();
    await importInto(ledger, anthropicCostImporter, file);
    const rows = await ledger.db.selectFrom('usage_entries').select(['cost_usd', 'service_tier', 'region']).orderBy('id').execute();
    expect(rows).toEqual([
      { cost_usd: '17.345', service_tier: null, region: null },
      { cost_usd: '123', service_tier: null, region: null },
      { cost_usd: '10', service_tier: 'priority', region: 'us' },
      { cost_usd: '2.5025', service_tier: 'batch', region: null },
    ]);
    await ledger.close();
  });

  it('--skip-invalid rejects a bad amount or currency and imports every other result, after them too', async () => {
    const file = join(tempDir(), 'c.json');
    // The second result (12,300¢ of input) gets a comma decimal, the fourth (250.25¢) a euro currency.
    const text = readFileSync(COST, 'utf8').replace('"amount":"12300"', '"amount":"12,300"').replace('"amount":"250.25","currency":"USD"', '"amount":"250.25","currency":"EUR"');
    writeFileSync(file, text);
    const ledger = await freshLedger();
    const s = await importInto(ledger, anthropicCostImporter, file, { skipInvalid: true });
    // 1,734.5¢ + 1,000¢ = $17.345 + $10: the rows before and between the two bad ones
    expect(s).toMatchObject({ rowsRead: 4, rowsImported: 2, rowsRejected: 2, costUsd: '27.345' });
    await ledger.close();
  });

  it('an amount that is not decimal cents is refused', async () => {
    const file = join(tempDir(), 'c.json');
    writeFileSync(file, '{"data":[{"starting_at":"2026-10-01T00:00:00Z","ending_at":"2026-10-02T00:00:00Z","results":[{"amount":"12,5","currency":"USD","cost_type":"tokens"}]}]}');
    const ledger = await freshLedger();
    await expect(importInto(ledger, anthropicCostImporter, file)).rejects.toThrow(`${file}:1: amount: expected a decimal string of cents such as "123.45", got "12,5"`);
    await ledger.close();
  });
});

describe('anthropic report pages: bucket times', () => {
  it('refuses a bucket time that is not RFC 3339 (10/01/2026 reads as two days), nothing imported', async () => {
    for (const [importer, fixture] of [[anthropicUsageImporter, USAGE], [anthropicCostImporter, COST]] as const) {
      const file = join(tempDir(), 'slash.json');
      writeFileSync(file, readFileSync(fixture, 'utf8').replace('"starting_at":"2026-10-01T00:00:00Z"', '"starting_at":"10/01/2026 00:00:00 UTC"'));
      const ledger = await freshLedger();
      await expect(importInto(ledger, importer, file), fixture).rejects.toThrow('bucket: expected RFC 3339 starting_at and ending_at, got "10/01/2026 00:00:00 UTC"');
      expect(await ledger.db.selectFrom('usage_entries').selectAll().execute()).toEqual([]);
      await ledger.close();
    }
  });

  it('reads a bucket time without a zone as UTC, whatever the machine', async () => {
    for (const [importer, fixture] of [[anthropicUsageImporter, USAGE], [anthropicCostImporter, COST]] as const) {
      const file = join(tempDir(), 'naive.json');
      writeFileSync(file, readFileSync(fixture, 'utf8').replace('"starting_at":"2026-10-01T00:00:00Z","ending_at":"2026-10-02T00:00:00Z"', '"starting_at":"2026-10-01T00:00:00","ending_at":"2026-10-02T00:00:00"'));
      const ledger = await freshLedger();
      await inTimeZone('America/Los_Angeles', () => importInto(ledger, importer, file));
      const first = await ledger.db.selectFrom('usage_entries').select(['ts', 'ts_end', 'granularity']).orderBy('ts').executeTakeFirstOrThrow();
      expect(first, fixture).toEqual({ ts: '2026-10-01T00:00:00.000Z', ts_end: '2026-10-02T00:00:00.000Z', granularity: 'day' });
      await ledger.close();
    }
  });
});

describe('anthropic report pages: the Default workspace', () => {
  // The reports give workspace_id null for the Default workspace (grouped by workspace_id, as
  // the sources' request asks); the Console CSVs name it "Default". Both must be one workspace.
  const day = (results: string) => `{"data":[{"starting_at":"2026-10-05T00:00:00Z","ending_at":"2026-10-06T00:00:00Z","results":[${results}]}],"has_more":false,"next_page":null}`;

  it('a usage row of workspace_id null is the Default workspace, as the Console CSV names it', async () => {
    const file = join(tempDir(), 'usage.json');
    writeFileSync(file, day('{"uncached_input_tokens":1000000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"output_tokens":0,"api_key_id":null,"workspace_id":null,"model":"claude-sonnet-4-5","service_tier":"standard","context_window":"0-200k"}'));
    const ledger = await freshLedger();
    // 1M uncached input × $3.
    expect(await importInto(ledger, anthropicUsageImporter, file)).toMatchObject({ rowsImported: 1, costUsd: '3' });
    const row = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ workspace: 'Default', cost_usd: '3' });
    await ledger.close();
  });

  it('a cost row of workspace_id null is the Default workspace too', async () => {
    const file = join(tempDir(), 'cost.json');
    writeFileSync(file, day('{"amount":"250","currency":"USD","cost_type":"tokens","token_type":"output_tokens","model":"claude-sonnet-4-5","service_tier":"standard","context_window":"0-200k","description":"Claude Sonnet 4.5 Usage - Output Tokens","workspace_id":null}'));
    const ledger = await freshLedger();
    // 250 cents.
    expect(await importInto(ledger, anthropicCostImporter, file)).toMatchObject({ rowsImported: 1, costUsd: '2.5' });
    const row = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ workspace: 'Default', cost_usd: '2.5' });
    await ledger.close();
  });
});
