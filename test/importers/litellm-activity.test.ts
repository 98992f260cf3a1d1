// LiteLLM daily activity reports: a row per day, model and API key, priced from the
// catalogue in LiteLLM's convention (prompt tokens include cache), LiteLLM's spend beside it.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { litellmActivityImporter } from '../../src/importers/litellm-activity/litellm-activity-importer.js';
import { litellmImporter } from '../../src/importers/litellm/litellm-importer.js';
import { IMPORTERS } from '../../src/importers/registry.js';
import { readSample } from '../../src/importers/source-input.js';
import type { LedgerStore } from '../../src/ledger/index.js';
import { dec } from '../../src/shared/money.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

const DIR = fileURLToPath(new URL('../fixtures/importers/litellm-activity/', import.meta.url));
const REPORT = join(DIR, 'user-u1-2026-11.json');
const SAMPLE = join(DIR, 'daily_activity_user.json');

const rows = (ledger: LedgerStore) => ledger.db.selectFrom('usage_entries').selectAll().orderBy('dedupe_key').execute();
const edited = (name: string, edit: (doc: { results: Array<Record<string, unknown>> }) => void) => {
  const doc = JSON.parse(readFileSync(REPORT, 'utf8')) as { results: Array<Record<string, unknown>> };
  edit(doc);
  const file = join(tempDir(), name);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
};
const sum = (values: Array<string | null>) => values.reduce((a, v) => a.plus(v ?? 0), dec(0)).toFixed();

describe('litellm-activity: detection', () => {
  it('is picked for a daily-activity report, ahead of the spend-log importer, which still refuses it', () => {
    expect(litellmActivityImporter.detect(readSample(REPORT, REPORT))).toEqual({ ok: true });
    expect(litellmActivityImporter.detect(readSample(SAMPLE, SAMPLE))).toEqual({ ok: true });
    expect(litellmImporter.detect(readSample(SAMPLE, SAMPLE))).toMatchObject({ ok: false });
    const picked = IMPORTERS.find((i) => i.detect(readSample(SAMPLE, SAMPLE)).ok);
    expect(picked?.id).toBe('litellm-activity');
  });
});

describe('litellm-activity: a report with real models', () => {
  it('writes a row per day, model and key, and one for the calls a model had without a key, priced by hand', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, litellmActivityImporter, REPORT);
    // Catalogue prices (llmfin pricing cost), prompt tokens including cache reads and writes:
    //   11-02 gpt-4o-mini search-prod  2,000 uncached×0.15 + 4,000 cached×0.075 + 1,500×0.60 = 0.0015
    //   11-02 gpt-4o-mini growth-dev   4,000×0.15 + 500×0.60                                  = 0.0009
    //   11-02 claude-haiku-4-5 search-prod  500×1 + 1,000 read×0.10 + 500 write×1.25 + 600×5 = 0.004225
    //   11-02 claude-haiku-4-5 without a key (3,000 − 2,000 in, 1,000 − 600 out): 1,000×1 + 400×5 = 0.003
    //   11-03 gpt-4o-mini growth-dev   1,000×0.15 + 100×0.60                                  = 0.00021
    //                                                                                   total = 0.009835
    expect(s).toMatchObject({ status: 'imported', rowsImported: 5, costUsd: '0.009835' });
    const all = await rows(ledger);
    expect(all.map((r) => [r.dedupe_key, r.provider, r.model, r.api_key, r.team, r.user, r.requests, r.input_tokens, r.cache_read_tokens, r.cache_write_5m_tokens, r.output_tokens, r.cost_usd, r.reported_cost_usd])).toEqual([
      ['u-1|2026-11-02|anthropic/claude-haiku-4-5|', 'anthropic', 'claude-haiku-4-5', null, null, null, 1, 1000, 0, 0, 400, '0.003', '0.003'],
      ['u-1|2026-11-02|anthropic/claude-haiku-4-5|hash-k1', 'anthropic', 'claude-haiku-4-5', 'search-prod', 'search', 'u-1', 2, 2000, 1000, 500, 600, '0.004225', '0.005'],
      ['u-1|2026-11-02|gpt-4o-mini|hash-k1', 'openai', 'gpt-4o-mini', 'search-prod', 'search', 'u-1', 6, 6000, 4000, 0, 1500, '0.0015', '0.0079'],
      ['u-1|2026-11-02|gpt-4o-mini|hash-k2', 'openai', 'gpt-4o-mini', 'growth-dev', 'growth', 'u-1', 4, 4000, 0, 0, 500, '0.0009', '0.0044'],
      ['u-1|2026-11-03|gpt-4o-mini|hash-k2', 'openai', 'gpt-4o-mini', 'growth-dev', 'growth', 'u-1', 1, 1000, 0, 0, 100, '0.00021', '0.00021'],
    ]);
    // LiteLLM's own spend, kept beside, adds up to its report's total.
    expect(sum(all.map((r) => r.reported_cost_usd))).toBe('0.02051');
    for (const r of all) {
      expect([r.provenance, r.source, r.granularity, r.account, r.charge_category]).toEqual(['metered', 'litellm-activity', 'day', 'u-1', 'usage']);
      expect(Date.parse(r.ts_end!) - Date.parse(r.ts)).toBe(86_400_000);
    }
    expect(all[0]!.description).toBe('calls without an API key in the report');
    await ledger.close();
  });

  it('imports the same report twice as once; a report saved later replaces the days it covers, for its entity only', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, litellmActivityImporter, REPORT);
    expect(await importInto(ledger, litellmActivityImporter, REPORT)).toMatchObject({ status: 'already-imported' });
    // Another user's report for the same days: its own rows, nothing of u-1's replaced.
    const other = edited('user-u2.json', (doc) => {
      for (const day of doc.results) (day.breakdown as Record<string, unknown>).entities = { 'u-2': {} };
    });
    expect(await importInto(ledger, litellmActivityImporter, other)).toMatchObject({ rowsImported: 5, rowsReplaced: 0 });
    // u-1's report saved again later: November 3rd grew to 2 calls, 2,000 in and 200 out.
    const later = edited('user-u1-later.json', (doc) => {
      const day = doc.results[1]!;
      const grown = { spend: 0.00042, prompt_tokens: 2000, completion_tokens: 200, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, api_requests: 2 };
      const model = ((day.breakdown as Record<string, Record<string, Record<string, unknown>>>).models!['gpt-4o-mini']!);
      // The day's own metrics grew with it (LiteLLM adds up the same calls for both).
      const was = model.metrics as Record<string, number>;
      const dayMetrics = day.metrics as Record<string, number>;
      for (const [k, v] of Object.entries(grown)) dayMetrics[k] = Math.round((dayMetrics[k]! + v - was[k]!) * 1e6) / 1e6;
      model.metrics = grown;
      (model.api_key_breakdown as Record<string, { metrics: unknown }>)['hash-k2']!.metrics = grown;
    });
    const s = await importInto(ledger, litellmActivityImporter, later);
    expect(s).toMatchObject({ rowsReplaced: 5, rowsImported: 5 });
    const u1 = (await rows(ledger)).filter((r) => r.account === 'u-1');
    expect(u1).toHaveLength(5);
    // 2,000×0.15 + 200×0.60 = 0.00042 for the day that grew; the other four as before.
    expect(u1.find((r) => r.dedupe_key === 'u-1|2026-11-03|gpt-4o-mini|hash-k2')).toMatchObject({ requests: 2, cost_usd: '0.00042' });
    expect(sum(u1.map((r) => r.cost_usd))).toBe('0.010045');
    expect((await rows(ledger)).filter((r) => r.account === 'u-2')).toHaveLength(5);
    await ledger.close();
  });

  it('a day that breaks the report is an issue naming its line and field, and nothing is imported', async () => {
    const ledger = await freshLedger();
    const badDate = edited('bad-date.json', (doc) => {
      doc.results[1]!.date = '03/11/2026';
    });
    await expect(importInto(ledger, litellmActivityImporter, badDate)).rejects.toThrow(/bad-date\.json:\d+: date: expected a day \(YYYY-MM-DD\), got "03\/11\/2026"/);
    const overKeys = edited('over-keys.json', (doc) => {
      const models = (doc.results[0]!.breakdown as Record<string, Record<string, Record<string, Record<string, { metrics: Record<string, number> }>>>>).models!;
      models['anthropic/claude-haiku-4-5']!.api_key_breakdown!['hash-k1']!.metrics.api_requests = 9;
    });
    await expect(importInto(ledger, litellmActivityImporter, overKeys)).rejects.toThrow(/breakdown\.models\.anthropic\/claude-haiku-4-5\.api_key_breakdown: expected its keys to add up to at most the model's own metrics/);
    const negative = edited('negative.json', (doc) => {
      const models = (doc.results[1]!.breakdown as Record<string, Record<string, { metrics: Record<string, number> }>>).models!;
      models['gpt-4o-mini']!.metrics.completion_tokens = -5;
    });
    await expect(importInto(ledger, litellmActivityImporter, negative)).rejects.toThrow(/breakdown\.models\.gpt-4o-mini\.metrics\.completion_tokens: expected a whole number, got -5/);
    expect(await rows(ledger)).toEqual([]);
    await ledger.close();
  });
});

describe('litellm-activity: the LiteLLM repository\'s own fixture', () => {
  it('keeps every model and key of the report, adding up to its totals; its made-up models stay unpriced, never $0', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, litellmActivityImporter, SAMPLE);
    const meta = (JSON.parse(readFileSync(SAMPLE, 'utf8')) as { metadata: Record<string, number> }).metadata;
    const all = await rows(ledger);
    // model-ptu (no key breakdown: spend without tokens), model-cache, model-target, model-popular × 3 keys.
    // model-ptu's reason is its missing token counts, whatever its name: not a model to add to the catalogue.
    expect(s).toMatchObject({
      rowsImported: 6,
      unpricedRows: 6,
      unpricedModels: ['unknown/model-cache', 'unknown/model-popular', 'unknown/model-target'],
      unpricedReasons: ["unknown/model-ptu: no token counts; LiteLLM's spend is the reported cost"],
    });
    expect(sum(all.map((r) => r.reported_cost_usd))).toBe(String(meta.total_spend));
    expect(all.reduce((n, r) => n + Number(r.input_tokens), 0)).toBe(meta.total_prompt_tokens);
    expect(all.reduce((n, r) => n + Number(r.output_tokens), 0)).toBe(meta.total_completion_tokens);
    expect(all.reduce((n, r) => n + Number(r.requests), 0)).toBe(meta.total_api_requests);
    expect(all.every((r) => r.cost_status === 'unpriced' && r.cost_usd === null)).toBe(true);
    expect(all.find((r) => r.model === 'model-ptu')).toMatchObject({ reported_cost_usd: '1000', description: "no token counts; LiteLLM's spend is the reported cost" });
    expect(all.filter((r) => r.model === 'model-popular').map((r) => r.api_key).sort()).toEqual(['alias-a', 'alias-b', 'alias-c']);
    await ledger.close();
  });
});

describe('litellm-activity: the day\'s metrics beside its models', () => {
  const sample = (name: string, edit: (day: { metrics: Record<string, number>; breakdown: { models: Record<string, unknown> } }) => void) => {
    const doc = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { results: Array<{ metrics: Record<string, number>; breakdown: { models: Record<string, unknown> } }> };
    edit(doc.results[0]!);
    const file = join(tempDir(), name);
    writeFileSync(file, JSON.stringify(doc));
    return file;
  };

  it('usage of the day that no model of the breakdown holds is a row of no model, not dropped', async () => {
    // The day: $1,273, 1,014 prompt tokens, 10 completion tokens, 5 requests; model-popular's
    // share ($270, 9 prompt, 6 completion, 3 cache read, 3 requests) is left out of the breakdown.
    const file = sample('no-popular.json', (day) => {
      delete day.breakdown.models['model-popular'];
    });
    const ledger = await freshLedger();
    expect(await importInto(ledger, litellmActivityImporter, file)).toMatchObject({ rowsImported: 4, unpricedRows: 4 });
    const rest = (await rows(ledger)).find((r) => r.model === null);
    expect(rest).toMatchObject({ reported_cost_usd: '270', input_tokens: 9, output_tokens: 6, cache_read_tokens: 3, requests: 3, cost_usd: null });
    // The whole day is in the ledger: 1,000 + 2 + 1 + 270
    expect(sum((await rows(ledger)).map((r) => r.reported_cost_usd))).toBe('1273');
    await ledger.close();
  });

  it('a day\'s spend added up in floating point is no usage of its own; models that add up to more than their day are refused', async () => {
    const ledger = await freshLedger();
    const noise = sample('noise.json', (day) => {
      day.metrics.spend = 1273.0000000000002;
      // And a model's against its keys' (100 + 90 + 80): no row of calls without a key.
      (day.breakdown.models['model-popular'] as { metrics: Record<string, number> }).metrics.spend = 270.00000000000006;
    });
    expect(await importInto(ledger, litellmActivityImporter, noise)).toMatchObject({ rowsImported: 6 });
    const over = sample('over.json', (day) => {
      day.metrics.api_requests = 4;
    });
    const fresh = await freshLedger();
    await expect(importInto(fresh, litellmActivityImporter, over)).rejects.toThrow(/breakdown\.models: expected the models to add up to at most the day's own metrics, got more/);
    await ledger.close();
    await fresh.close();
  });
});

describe('litellm-activity: pages', () => {
  it('a file whose last page says more follow is imported with a note that the report is incomplete; the next page beside it completes it', async () => {
    const doc = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { results: unknown[]; metadata: Record<string, unknown> };
    const first = { ...doc, metadata: { ...doc.metadata, page: 1, total_pages: 2, has_more: true } };
    const file = join(tempDir(), 'page-1.json');
    writeFileSync(file, JSON.stringify(first));
    const ledger = await freshLedger();
    expect(await importInto(ledger, litellmActivityImporter, file)).toMatchObject({
      rowsImported: 6,
      notes: ['the report is incomplete: its last page (line 1, page 1 of 2) has "has_more": true, and no page after it is in the file; request the next pages (page=2, 3, … of the same URL) until has_more is false, and import them together with this one in one file'],
    });
    const second = { results: [], metadata: { ...doc.metadata, page: 2, total_pages: 2, has_more: false } };
    const both = join(tempDir(), 'pages.jsonl');
    writeFileSync(both, `${JSON.stringify(first)}\n${JSON.stringify(second)}\n`);
    expect((await importInto(ledger, litellmActivityImporter, both)).notes).toEqual([]);
    await ledger.close();
  });
});

describe('litellm-activity: spend without tokens', () => {
  it('a catalogue model reported with spend and no tokens is unpriced for that reason, not listed as a model to add', async () => {
    // gemini-2.5-flash is in the catalogue; a provisioned-throughput day reports $1,000 and no tokens.
    const doc = JSON.parse(readFileSync(SAMPLE, 'utf8')) as unknown;
    const file = join(tempDir(), 'ptu.json');
    writeFileSync(file, JSON.stringify(doc).replaceAll('model-ptu', 'gemini-2.5-flash'));
    const ledger = await freshLedger();
    const s = await importInto(ledger, litellmActivityImporter, file);
    expect(s.unpricedModels).not.toContain('google/gemini-2.5-flash');
    expect(s.unpricedReasons).toEqual(["google/gemini-2.5-flash: no token counts; LiteLLM's spend is the reported cost"]);
    const row = (await rows(ledger)).find((r) => r.model === 'gemini-2.5-flash');
    expect(row).toMatchObject({ provider: 'google', cost_status: 'unpriced', cost_usd: null, reported_cost_usd: '1000' });
    await ledger.close();
  });
});
