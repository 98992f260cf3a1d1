import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openaiCostsImporter } from '../../src/importers/openai-costs/openai-costs-importer.js';
import { openaiUsageImporter } from '../../src/importers/openai-usage/openai-usage-importer.js';
import { readSample } from '../../src/importers/source-input.js';
import { InputError } from '../../src/shared/errors.js';
import { ledgerTotals } from '../../src/ledger/queries/spend-summary.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

const fx = (p: string) => fileURLToPath(new URL(`../fixtures/importers/${p}`, import.meta.url));
const USAGE = fx('openai-usage/usage-2026-10-by-model.jsonl');
const EXAMPLE = fx('openai-usage/openapi-example-completions.json');
const COSTS = fx('openai-costs/costs-2026-10.json');
const SEARCHES = fx('openai-usage/web-search-calls-2025-10-by-model.json');
const SEARCH_EXAMPLE = fx('openai-usage/openapi-example-web-search-calls.json');
const CORRECTED = fx('openai-costs/costs-2026-10-corrected.json');

describe('openai-usage', () => {
  it('detects usage pages and refuses cost pages', () => {
    expect(openaiUsageImporter.detect(readSample(USAGE, USAGE))).toEqual({ ok: true });
    expect(openaiUsageImporter.detect(readSample(COSTS, COSTS)).ok).toBe(false);
    expect(openaiCostsImporter.detect(readSample(USAGE, USAGE)).ok).toBe(false);
  });

  it('keeps completions rows when an embeddings export of the same project and days is imported', async () => {
    const ledger = await freshLedger();
    const dir = tempDir();
    const page = (object: string, extra: string) =>
      `{"object":"page","data":[{"object":"bucket","start_time":1790812800,"end_time":1790899200,"results":[{"object":"${object}","input_tokens":1000000,"num_model_requests":3,"project_id":"proj_a",${extra}}]}]}`;
    const completions = join(dir, 'completions.json');
    const embeddings = join(dir, 'embeddings.json');
    writeFileSync(completions, page('organization.usage.completions.result', '"output_tokens":0,"model":"gpt-4o-mini"'));
    writeFileSync(embeddings, page('organization.usage.embeddings.result', '"model":"text-embedding-3-small"'));
    await importInto(ledger, openaiUsageImporter, completions);
    const second = await importInto(ledger, openaiUsageImporter, embeddings);
    expect(second.rowsReplaced).toBe(0);
    const rows = await ledger.db.selectFrom('usage_entries').select(['account', 'project', 'model', 'cost_usd']).orderBy('account').execute();
    // 1M x $0.15 (gpt-4o-mini input) and 1M x $0.02 (text-embedding-3-small).
    expect(rows).toEqual([
      { account: 'completions:proj_a', project: 'proj_a', model: 'gpt-4o-mini', cost_usd: '0.15' },
      { account: 'embeddings:proj_a', project: 'proj_a', model: 'text-embedding-3-small', cost_usd: '0.02' },
    ]);
    await ledger.close();
  });

  it('prices every bucket by model, in OpenAI convention, with batch and embeddings', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, openaiUsageImporter, USAGE);
    // gpt-4o: 86×2.5 + 1,920×1.25 + 300×10 = $0.005615
    // gpt-4o-mini batch: (1M×0.15 + 1M×0.6)×0.5 = $0.375
    // o3: 60,000×2 + 40,000×0.5 + 10,000×8 = $0.22
    // text-embedding-3-small: 5M×0.02 = $0.1
    expect(s).toMatchObject({ rowsImported: 4, costUsd: '0.700615', unpricedModels: [] });
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('ts').orderBy('model').execute();
    expect(rows.map((r) => [r.model, r.cost_usd, r.service_tier, r.requests, r.granularity])).toEqual([
      ['gpt-4o-2024-08-06', '0.005615', null, 3, 'day'],
      ['gpt-4o-mini-2024-07-18', '0.375', 'batch', 100, 'day'],
      ['o3-2025-04-16', '0.22', null, 20, 'day'],
      ['text-embedding-3-small', '0.1', null, 1000, 'day'],
    ]);
    const o3 = rows[2]!;
    expect(o3).toMatchObject({ provenance: 'provider_usage', account: 'completions:proj_ds', project: 'proj_ds', user: 'user_ana', api_key: 'key_ds', input_tokens: 100000, uncached_input_tokens: 60000, cache_read_tokens: 40000, ts: '2025-10-02T00:00:00.000Z' });
    expect((await importInto(ledger, openaiUsageImporter, USAGE)).status).toBe('already-imported');
    await ledger.close();
  });

  it('reads the official example: cached audio and image tokens counted once', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, openaiUsageImporter, EXAMPLE);
    const r = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    // input 1,000 = 400 cached + 100 cache write + 500 uncached (all modalities' cached parts are in the 400)
    expect(r).toMatchObject({ input_tokens: 1000, cache_read_tokens: 400, cache_write_5m_tokens: 100, requests: 5, cost_status: 'unpriced' });
    expect(r.uncached_input_tokens + r.input_audio_tokens + r.input_image_tokens).toBe(500);
    expect(r.description).toMatch(/grouped by model/);
    expect(r.description).toMatch(/unpriced: /);
    await ledger.close();
  });

  it('prices the official example\'s uncached audio and image tokens at their own rates', async () => {
    const ledger = await freshLedger();
    const file = join(tempDir(), 'realtime.json');
    writeFileSync(file, readFileSync(EXAMPLE, 'utf8').replace('"model": null', '"model": "gpt-realtime"'));
    await importInto(ledger, openaiUsageImporter, file);
    const r = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    // input_audio_tokens and input_image_tokens are the uncached ones (50 each, beside 50
    // cached of each inside the 400): uncached text is 1,000 - 400 - 100 - 50 - 50 = 400.
    expect(r).toMatchObject({ uncached_input_tokens: 400, input_audio_tokens: 50, input_image_tokens: 50, cache_read_tokens: 400, output_audio_tokens: 50 });
    // gpt-realtime per 1M: text 400×4 + audio 50×32 + image 50×5 + cache read 400×0.4
    // + cache write 100×4 + output text 400×16 + audio 50×64 + image 50×16 = $0.01441
    expect(r.cost_usd).toBe('0.01441');
    await ledger.close();
  });

  it('a token count that is not a whole number is refused at its line and field, not read as 0', async () => {
    const ledger = await freshLedger();
    for (const [field, bad] of [['output_tokens', '"300"'], ['input_tokens', '-5'], ['input_cached_tokens', '19.5'], ['num_model_requests', 'true']] as const) {
      const file = join(tempDir(), `bad-${field}.jsonl`);
      // The first result of the first page: gpt-4o, 2,006 input (1,920 cached), 300 output.
      writeFileSync(file, readFileSync(USAGE, 'utf8').replace(new RegExp(`"${field}":\\d+`), `"${field}":${bad}`));
      await expect(importInto(ledger, openaiUsageImporter, file)).rejects.toThrow(`${file}:1: ${field}: expected a whole number, got ${bad}`);
    }
    expect((await ledgerTotals(ledger)).rows).toBe(0);
    // A count the result leaves out, or null, is none of that kind.
    const nulls = join(tempDir(), 'null-audio.jsonl');
    writeFileSync(nulls, readFileSync(USAGE, 'utf8').replace('"input_audio_tokens":0', '"input_audio_tokens":null'));
    expect(await importInto(ledger, openaiUsageImporter, nulls)).toMatchObject({ rowsRejected: 0 });
    await ledger.close();
  });

  it('a page that is not JSON aborts the file naming the line', async () => {
    const file = join(tempDir(), 'usage.jsonl');
    writeFileSync(file, '{"object":"page","data":[]}\n{"object":"page","data":[{"object":"bucket"\n');
    const ledger = await freshLedger();
    const e = await importInto(ledger, openaiUsageImporter, file, { source: 'openai-usage' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    // Line 2 is 43 characters: the page ends too soon, at column 44.
    expect((e as Error).message).toBe(`${file}:2: not valid JSON at column 44 (expected one API page per line, or one JSON document)`);
    expect((await ledgerTotals(ledger)).rows).toBe(0);
    await ledger.close();
  });
});

describe('openai-usage web search calls', () => {
  it('prices each call at the model’s web search fee, on rows of their own that count no requests', async () => {
    const ledger = await freshLedger();
    expect(openaiUsageImporter.detect(readSample(SEARCHES, SEARCHES))).toEqual({ ok: true });
    const s = await importInto(ledger, openaiUsageImporter, SEARCHES);
    // gpt-5 medium: 37 × $0.01 = 0.37; gpt-4o-search-preview: 8 × $0.025 = 0.2; gpt-5 high: 3 × $0.01 = 0.03
    expect(s).toMatchObject({ rowsImported: 3, costUsd: '0.6', unpricedModels: [] });
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('cost_ticks', 'desc').execute();
    expect(rows.map((r) => [r.model, r.web_search_requests, r.cost_usd, r.cost_status, r.requests, r.input_tokens, r.output_tokens, r.account, r.matched_model])).toEqual([
      ['gpt-5-2025-08-07', 37, '0.37', 'priced', 0, 0, 0, 'web_searches:proj_search', 'gpt-5'],
      ['gpt-4o-search-preview-2025-03-11', 8, '0.2', 'priced', 0, 0, 0, 'web_searches:proj_search', 'gpt-4o-search-preview'],
      ['gpt-5-2025-08-07', 3, '0.03', 'priced', 0, 0, 0, 'web_searches:proj_search', 'gpt-5'],
    ]);
    expect(rows[0]).toMatchObject({ provenance: 'provider_usage', project: 'proj_search', api_key: 'key_search', granularity: 'day', ts: '2025-10-01T00:00:00.000Z', description: null });
    expect(JSON.parse(rows[0]!.raw_usage!)).toMatchObject({ num_model_requests: 12, context_level: 'medium' });
    expect((await importInto(ledger, openaiUsageImporter, SEARCHES)).status).toBe('already-imported');
    await ledger.close();
  });

  it('the official example, not grouped by model, keeps its 2 calls on an unpriced row that says why', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, openaiUsageImporter, SEARCH_EXAMPLE);
    expect(s).toMatchObject({ rowsImported: 1, costUsd: '0' });
    const r = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    expect(r).toMatchObject({ model: null, web_search_requests: 2, requests: 0, cost_status: 'unpriced', cost_usd: null, account: 'web_searches' });
    expect(r.description).toMatch(/^no model: export the usage grouped by model to price it/);
    await ledger.close();
  });

  it('sits beside the completions of the same project and days without sweeping them', async () => {
    const ledger = await freshLedger();
    const dir = tempDir();
    const completions = join(dir, 'completions.json');
    writeFileSync(
      completions,
      '{"object":"page","data":[{"object":"bucket","start_time":1759276800,"end_time":1759363200,"results":[{"object":"organization.usage.completions.result","input_tokens":1000000,"output_tokens":0,"num_model_requests":12,"project_id":"proj_search","api_key_id":"key_search","model":"gpt-5-2025-08-07"}]}]}',
    );
    await importInto(ledger, openaiUsageImporter, completions);
    expect((await importInto(ledger, openaiUsageImporter, SEARCHES)).rowsReplaced).toBe(0);
    // 1M × $1.25/1M on the completions row + $0.6 of searches; the 12 requests counted once.
    const totals = await ledger.db.selectFrom('usage_entries').select((eb) => [eb.fn.sum<number>('requests').as('requests'), eb.fn.sum<number>('cost_ticks').as('ticks')]).executeTakeFirstOrThrow();
    expect({ requests: Number(totals.requests), ticks: BigInt(totals.ticks) }).toEqual({ requests: 12, ticks: 18_500_000_000n });
    await ledger.close();
  });

  it('calls on a model without a web search fee are unpriced and named, never $0', async () => {
    const ledger = await freshLedger();
    const file = join(tempDir(), 'searches.json');
    writeFileSync(
      file,
      '{"object":"page","data":[{"object":"bucket","start_time":1759276800,"end_time":1759363200,"results":[{"object":"organization.usage.web_searches.result","num_model_requests":1,"num_requests":5,"project_id":"proj_x","model":"text-embedding-3-small"}]}]}',
    );
    await importInto(ledger, openaiUsageImporter, file);
    const r = await ledger.db.selectFrom('usage_entries').selectAll().executeTakeFirstOrThrow();
    expect(r).toMatchObject({ cost_status: 'unpriced', cost_usd: null, web_search_requests: 5, description: 'unpriced: no web_search price for text-embedding-3-small; 5 web searches not priced' });
    await ledger.close();
  });

  it('a call count that is not a whole number is refused at its line and field', async () => {
    const ledger = await freshLedger();
    const file = join(tempDir(), 'searches.json');
    writeFileSync(file, '{"object":"page","data":[{"object":"bucket","start_time":1759276800,"end_time":1759363200,"results":[{"object":"organization.usage.web_searches.result","num_model_requests":1,"num_requests":"5","model":"gpt-5"}]}]}');
    await expect(importInto(ledger, openaiUsageImporter, file)).rejects.toThrow(/num_requests.*expected a whole number, got "5"/s);
    expect(await ledger.db.selectFrom('usage_entries').select('id').execute()).toEqual([]);
    await ledger.close();
  });
});

describe('openai-costs', () => {
  it('keeps the billed dollars exactly, with llmfin estimates beside model line items', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, openaiCostsImporter, COSTS);
    // 12.34 + 40.5 + 0.06 + 7.25
    expect(s).toMatchObject({ rowsImported: 4, costUsd: '60.15' });
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.model, r.cost_usd, r.cost_status, r.provenance, r.description])).toEqual([
      ['gpt-4o-2024-08-06', '12.34', 'billed', 'billed', 'gpt-4o-2024-08-06, input'],
      ['gpt-4o-2024-08-06', '40.5', 'billed', 'billed', 'gpt-4o-2024-08-06, output'],
      [null, '0.06', 'billed', 'billed', 'web search tool calls'],
      ['o3-2025-04-16', '7.25', 'billed', 'billed', 'o3-2025-04-16, output'],
    ]);
    await ledger.close();
  });

  it('a corrected export replaces its period instead of adding to it', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, openaiCostsImporter, COSTS);
    const s = await importInto(ledger, openaiCostsImporter, CORRECTED);
    expect(s.rowsReplaced).toBeGreaterThan(0);
    // 12.34 + 41 + 7.25: the 40.5 became 41 and the 0.06 line is gone
    expect((await ledgerTotals(ledger)).cost_usd).toBe('60.59');
    expect((await ledgerTotals(ledger)).rows).toBe(3);
    await ledger.close();
  });

  it('a bad amount aborts the file at its own line; --skip-invalid imports every other result after it too', async () => {
    const file = join(tempDir(), 'bad-amount.json');
    writeFileSync(file, readFileSync(COSTS, 'utf8').replace('"value":40.5', '"value":"abc"'));
    const ledger = await freshLedger();
    await expect(importInto(ledger, openaiCostsImporter, file)).rejects.toThrow(`${file}:4: amount.value: expected a dollar amount, got "abc"`);
    expect((await ledgerTotals(ledger)).rows).toBe(0);
    const s = await importInto(ledger, openaiCostsImporter, file, { skipInvalid: true });
    // 12.34 + 0.06 + 7.25: the rows before and after the bad 40.5 line
    expect(s).toMatchObject({ rowsRead: 4, rowsImported: 3, rowsRejected: 1, costUsd: '19.65' });
    await ledger.close();
  });

  it("keeps the tier a line item names (batch, flex), and none for standard or a line without a model", async () => {
    const file = join(tempDir(), 'tiers.json');
    const result = (lineItem: string, value: number) => `{"object":"organization.costs.result","amount":{"value":${value},"currency":"usd"},"line_item":"${lineItem}","project_id":"proj_a"}`;
    writeFileSync(
      file,
      `{"object":"page","data":[{"object":"bucket","start_time":1759276800,"end_time":1759363200,"results":[${[
        result('gpt-4o-mini-2024-07-18, batch input', 0.5),
        result('gpt-5, flex output', 1.25),
        result('gpt-4o-2024-08-06, input', 2),
        result('web search tool calls', 0.03),
      ].join(',')}]}]}`,
    );
    const ledger = await freshLedger();
    expect(await importInto(ledger, openaiCostsImporter, file)).toMatchObject({ rowsImported: 4, costUsd: '3.78' });
    const rows = await ledger.db.selectFrom('usage_entries').select(['model', 'service_tier', 'cost_usd']).orderBy('id').execute();
    expect(rows).toEqual([
      { model: 'gpt-4o-mini-2024-07-18', service_tier: 'batch', cost_usd: '0.5' },
      { model: 'gpt-5', service_tier: 'flex', cost_usd: '1.25' },
      { model: 'gpt-4o-2024-08-06', service_tier: null, cost_usd: '2' },
      { model: null, service_tier: null, cost_usd: '0.03' },
    ]);
    await ledger.close();
  });

  it('keeps the model of every token line item, audio and image ones included, so that none reads as billed without a model', async () => {
    const file = join(tempDir(), 'realtime.json');
    const result = (lineItem: string, value: number) => `{"object":"organization.costs.result","amount":{"value":${value},"currency":"usd"},"line_item":"${lineItem}","project_id":"proj_a"}`;
    writeFileSync(
      file,
      `{"object":"page","data":[{"object":"bucket","start_time":1790812800,"end_time":1790899200,"results":[${[
        result('gpt-realtime-2025-08-28, input', 0.004),
        result('gpt-realtime-2025-08-28, audio input', 0.032),
        result('gpt-realtime-2025-08-28, cached audio input', 0.0004),
        result('gpt-realtime-2025-08-28, audio output', 0.064),
        result('gpt-image-1, image output', 0.04),
      ].join(',')}]}]}`,
    );
    const ledger = await freshLedger();
    // 0.004 + 0.032 + 0.0004 + 0.064 + 0.04
    expect(await importInto(ledger, openaiCostsImporter, file)).toMatchObject({ rowsImported: 5, costUsd: '0.1404' });
    const rows = await ledger.db.selectFrom('usage_entries').select(['model', 'cost_usd']).orderBy('id').execute();
    expect(rows).toEqual([
      { model: 'gpt-realtime-2025-08-28', cost_usd: '0.004' },
      { model: 'gpt-realtime-2025-08-28', cost_usd: '0.032' },
      { model: 'gpt-realtime-2025-08-28', cost_usd: '0.0004' },
      { model: 'gpt-realtime-2025-08-28', cost_usd: '0.064' },
      { model: 'gpt-image-1', cost_usd: '0.04' },
    ]);
    await ledger.close();
  });

  it('a non-USD amount is refused with the column named', async () => {
    const file = join(tempDir(), 'eur.json');
    writeFileSync(file, '{"object":"page","data":[{"object":"bucket","start_time":1,"end_time":86401,"results":[{"object":"organization.costs.result","amount":{"value":1,"currency":"eur"}}]}]}');
    const ledger = await freshLedger();
    await expect(importInto(ledger, openaiCostsImporter, file)).rejects.toThrow(`${file}:1: amount.currency: expected usd, got "eur"`);
    await ledger.close();
  });
});
