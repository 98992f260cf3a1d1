// LiteLLM spend-logs importer: CSV, JSONL and /spend/logs JSON; catalogue prices in
// LiteLLM's normalised convention, LiteLLM's own spend kept beside them, dimensions, dedupe.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { litellmImporter } from '../../src/importers/litellm/litellm-importer.js';
import { parseLiteLLMTime } from '../../src/importers/litellm/litellm-row.js';
import { readSample } from '../../src/importers/source-input.js';
import type { LedgerStore } from '../../src/ledger/index.js';
import { InputError } from '../../src/shared/errors.js';
import { dec } from '../../src/shared/money.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

const DIR = fileURLToPath(new URL('../fixtures/importers/litellm/', import.meta.url));
const CSV = join(DIR, 'spend-logs-2026-10.csv');
const JSONL = join(DIR, 'spend-logs-2026-10-05.jsonl');
const V2 = join(DIR, 'spend-logs-v2-response-2026-10-06.json');
const OTHERS = fileURLToPath(new URL('../fixtures/importers/', import.meta.url));
const DEMO = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));

const detect = (file: string) => litellmImporter.detect(readSample(file, file));
const rows = (ledger: LedgerStore) => ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
const byKey = async (ledger: LedgerStore, key: string) => ledger.db.selectFrom('usage_entries').selectAll().where('dedupe_key', '=', key).executeTakeFirstOrThrow();
const write = (name: string, text: string) => {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
};

describe('litellm: detection', () => {
  it('accepts a CSV export of LiteLLM_SpendLogs, JSONL rows and a /spend/logs/v2 response', () => {
    for (const f of [CSV, JSONL, V2]) expect(detect(f), f).toEqual({ ok: true });
  });

  it('refuses the daily-activity report and other sources with a reason', () => {
    expect(detect(join(DIR, 'daily-activity-user-rejected.json'))).toEqual({ ok: false, reason: 'a LiteLLM daily-activity report (/user/daily/activity), not per-request spend logs' });
    expect(detect(DEMO)).toEqual({ ok: false, reason: 'no "request_id", "spend" and "startTime" keys' });
    expect(detect(join(OTHERS, 'otel/genai-traces-2026-10.json'))).toEqual({ ok: false, reason: 'no "request_id", "spend" and "startTime" keys' });
    expect(detect(join(OTHERS, 'focus/focus-1.2-ai-2026-10.csv'))).toEqual({ ok: false, reason: 'no "request_id", "spend" and "startTime" columns' });
  });
});

describe('litellm: a CSV export of the spend logs', () => {
  it('prices every request from the catalogue, keeps LiteLLM spend beside it, and attributes it', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, litellmImporter, CSV);
    // Catalogue prices (llmfin pricing cost), prompt_tokens including cache (LiteLLM's OpenAI-style usage):
    //   gpt-4.1-mini 86×0.4 + 1,920 cached×0.1 + 300×1.6                          = 0.0007064
    //   claude-sonnet-4-5 3×3 + 12,304 cache write×3.75 + 550×15                   = 0.054399
    //   claude-sonnet-4-5 96×3 + 12,304 cache read×0.3 + 420×15                    = 0.0102792
    //   bedrock us.…claude-haiku-4-5-20251001 5,000×1.1 + 800×5.5                  = 0.0099
    //   vertex gemini-2.5-flash 30,000×0.3 + 2,400 (1,800 thinking inside)×2.5     = 0.015
    //   gemini-2.5-pro 210,000 input (> 200K tier)×2.5 + 1,000×15                  = 0.54
    //   azure gpt-4o (model_map_key of deployment prod-gpt4o) 1,000×2.5 + 200×10   = 0.0045
    //   text-embedding-3-small 8,000×0.02                                          = 0.00016
    //   cache hit, failed request: $0; o4-mini 900×1.1 + 1,500×4.4                 = 0.00759
    //   dall-e-3 (no tokens) and ft:my-finetune-xyz: unpriced                 total = 0.6425346
    // The fine-tune is a model the catalogue lacks; dall-e-3's call has no tokens to price, which no catalogue entry would fix.
    expect(s).toMatchObject({
      status: 'imported', rowsRead: 13, rowsImported: 13, costUsd: '0.6425346', unpricedRows: 2,
      unpricedModels: ['openai/ft:my-finetune-xyz'],
      unpricedReasons: ["openai/dall-e-3: no token counts for aimage_generation; LiteLLM's spend is the reported cost"],
    });
    expect(Object.fromEntries(s.byProvider.map((p) => [p.provider, p.cost_usd]))).toEqual({
      openai: '0.0084564', anthropic: '0.0646782', bedrock: '0.0099', vertex: '0.015', google: '0.54', azure: '0.0045',
    });
    const all = await rows(ledger);
    expect(new Set(all.map((r) => r.provenance))).toEqual(new Set(['metered']));
    // LiteLLM's spend (its own estimate) is kept as reported cost, row by row: 0.6425346 + 0.04 + 0.002
    expect(all.reduce((t, r) => t.plus(r.reported_cost_usd ?? '0'), dec('0')).toFixed()).toBe('0.6845346');

    expect(await byKey(ledger, 'chatcmpl-AQ1001')).toMatchObject({
      provider: 'openai', model: 'gpt-4.1-mini', model_requested: 'default-small', ts: '2026-10-01T09:15:02.120Z', granularity: 'request', requests: 1,
      input_tokens: 2006, uncached_input_tokens: 86, cache_read_tokens: 1920, output_tokens: 300, cost_usd: '0.0007064', reported_cost_usd: '0.0007064',
      team: 'search', user: 'u-42', customer: 'customer-7', api_key: 'search-prod', trace_id: 'sess-01', request_id: 'chatcmpl-AQ1001', account: 'org-acme',
    });
    expect(JSON.parse((await byKey(ledger, 'chatcmpl-AQ1001')).tags!)).toEqual({ feature: 'summarize', prod: 'true' });
    // The request tag `feature:summarize` fills the feature dimension (no field names one).
    expect(await byKey(ledger, 'chatcmpl-AQ1001')).toMatchObject({ feature: 'summarize' });
    expect(await byKey(ledger, 'msg_01AbCdEf1002')).toMatchObject({ provider: 'anthropic', matched_model: 'claude-sonnet-4-5', input_tokens: 12307, uncached_input_tokens: 3, cache_write_5m_tokens: 12304, team: 'support' });
    expect(await byKey(ledger, 'b7e2c1a0-1004')).toMatchObject({ provider: 'bedrock', model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0', matched_model: 'anthropic.claude-haiku-4-5-20251001' });
    expect(await byKey(ledger, 'vtx-1005')).toMatchObject({ provider: 'vertex', model: 'gemini-2.5-flash', output_tokens: 2400, reasoning_tokens: 1800 });
    expect(await byKey(ledger, 'gem-1006')).toMatchObject({ provider: 'google', model: 'gemini-2.5-pro' });
    expect(await byKey(ledger, 'chatcmpl-AZ1007')).toMatchObject({ provider: 'azure', model: 'gpt-4o', model_requested: 'gpt-4o' });
    expect(await byKey(ledger, 'chatcmpl-AQ1009')).toMatchObject({ cost_usd: '0', cost_status: 'priced', input_tokens: 0, description: 'LiteLLM cache hit (no provider call)' });
    expect(JSON.parse((await byKey(ledger, 'chatcmpl-AQ1009')).raw_usage!)).toMatchObject({ prompt_tokens: 2006, cache_hit: true });
    expect(await byKey(ledger, 'img-1011')).toMatchObject({ cost_usd: null, cost_status: 'unpriced', reported_cost_usd: '0.04' });
    expect(await byKey(ledger, 'chatcmpl-AQ1013')).toMatchObject({ cost_status: 'unpriced', input_tokens: 500, output_tokens: 100, reported_cost_usd: '0.002' });

    expect((await importInto(ledger, litellmImporter, CSV)).status).toBe('already-imported');
    expect(await rows(ledger)).toHaveLength(13);
    await ledger.close();
  });

  it('an overlapping later export adds only the requests it has not seen (request_id dedupes)', async () => {
    const lines = readFileSync(CSV, 'utf8').trimEnd().split('\n');
    const ledger = await freshLedger();
    await importInto(ledger, litellmImporter, write('first.csv', `${lines.slice(0, 8).join('\n')}\n`));
    const s = await importInto(ledger, litellmImporter, CSV);
    expect(s).toMatchObject({ rowsRead: 13, rowsImported: 6, rowsSkipped: 7 });
    expect(await rows(ledger)).toHaveLength(13);
    await ledger.close();
  });

  it('a bad token count aborts the file at its line; --skip-invalid imports the rest', async () => {
    const lines = readFileSync(CSV, 'utf8').split('\n');
    lines[2] = lines[2]!.replace(',12307,550,', ',12k,550,');
    const file = write('bad.csv', lines.join('\n'));
    const ledger = await freshLedger();
    const error = await importInto(ledger, litellmImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:3: prompt_tokens: expected a whole number of tokens, got "12k"`);
    expect(await rows(ledger)).toEqual([]);
    const s = await importInto(ledger, litellmImporter, file, { skipInvalid: true });
    // 0.6425346 − 0.054399
    expect(s).toMatchObject({ rowsImported: 12, rowsRejected: 1, costUsd: '0.5881356' });
    await ledger.close();
  });

  it('a file cut inside a quoted cell is refused at the line the cell opens, naming the file once', async () => {
    const lines = readFileSync(CSV, 'utf8').split('\n');
    // Line 3's metadata cell opens a quote that the cut file never closes.
    const file = write('cut.csv', `${lines.slice(0, 2).join('\n')}\n${lines[2]!.slice(0, lines[2]!.indexOf('"{') + 10)}`);
    const ledger = await freshLedger();
    const error = await importInto(ledger, litellmImporter, file).catch((e: unknown) => e);
    expect((error as InputError).message).toBe(`${file}:3: not valid CSV: Quote Not Closed: the file ends inside a quoted cell that opens at line 3`);
    expect(await rows(ledger)).toEqual([]);
    // The file's fault, not a row's: --skip-invalid has no row to reject, and refuses it too.
    await expect(importInto(ledger, litellmImporter, file, { skipInvalid: true })).rejects.toThrow(`${file}:3: not valid CSV: Quote Not Closed`);
    expect(await rows(ledger)).toEqual([]);
    await ledger.close();
  });
});

describe('litellm: JSON and JSONL', () => {
  it('reads JSONL rows (objects, numbers) and the {"data": [...]} /spend/logs/v2 response', async () => {
    const ledger = await freshLedger();
    // gpt-4.1-mini 1,500×0.4 + 200×1.6 = 0.00092; claude-haiku-4-5 1,000×1 + 3,000 cache read×0.1 + 300×5 = 0.0028;
    // gemini-2.5-flash 10,000×0.3 + 500×2.5 = 0.00425 → 0.00797
    expect(await importInto(ledger, litellmImporter, JSONL)).toMatchObject({ rowsImported: 3, costUsd: '0.00797' });
    expect(await byKey(ledger, 'msg_01XyZ2002')).toMatchObject({ ts: '2026-10-05T08:30:00.250Z', uncached_input_tokens: 1000, cache_read_tokens: 3000, cost_usd: '0.0028', reported_cost_usd: '0.0028' });
    // gpt-4.1-mini 1,000×0.4 + 100×1.6 = 0.00056; 952×0.4 + 2,048×0.1 + 250×1.6 = 0.0009856 → 0.0015456
    expect(await importInto(ledger, litellmImporter, V2)).toMatchObject({ rowsImported: 2, costUsd: '0.0015456' });
    // Naive timestamps are UTC, as the proxy stores them.
    expect((await byKey(ledger, 'chatcmpl-CQ3001')).ts).toBe('2026-10-06T10:00:00.123Z');
    await ledger.close();
  });

  it('a provider path with no custom_llm_provider is taken off the model id, as with one', async () => {
    const first = JSON.parse(readFileSync(JSONL, 'utf8').split('\n')[0]!) as Record<string, unknown>;
    const line = (id: string, model: string, provider: string) => JSON.stringify({ ...first, request_id: id, model, custom_llm_provider: provider });
    const file = write('prefixed.jsonl', `${line('p-1', 'anthropic/claude-haiku-4-5', '')}\n${line('p-2', 'claude-haiku-4-5', 'anthropic')}\n${line('p-3', 'bedrock/us-east-1/anthropic.claude-3-haiku-20240307-v1:0', '')}\n`);
    const ledger = await freshLedger();
    // Each 1,500 input × $1 + 200 output × $5 per 1M = $0.0025 (claude-haiku-4-5).
    expect(await importInto(ledger, litellmImporter, file)).toMatchObject({ rowsImported: 3 });
    expect(await byKey(ledger, 'p-1')).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-4-5', cost_usd: '0.0025' });
    expect(await byKey(ledger, 'p-2')).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-4-5', cost_usd: '0.0025' });
    // Bedrock's region path is kept: the catalogue reads it.
    expect(await byKey(ledger, 'p-3')).toMatchObject({ provider: 'bedrock', model: 'bedrock/us-east-1/anthropic.claude-3-haiku-20240307-v1:0' });
    await ledger.close();
  });

  it('request tags named like a dimension fill it; a field that names the dimension wins over a tag', async () => {
    const first = JSON.parse(readFileSync(JSONL, 'utf8').split('\n')[0]!) as Record<string, unknown> & { metadata: Record<string, unknown> };
    const tagged = { ...first, request_id: 'tagged-1', team_id: '', metadata: { usage_object: first.metadata.usage_object }, request_tags: ['team:growth', 'customer:acme', 'agent:planner', 'env:staging', 'project:p9'] };
    const both = { ...first, request_id: 'tagged-2', request_tags: ['feature:from-tag', 'team:from-tag'], metadata: { ...first.metadata, spend_logs_metadata: { feature: 'from-field' } } };
    const ledger = await freshLedger();
    await importInto(ledger, litellmImporter, write('tags.jsonl', `${JSON.stringify(tagged)}\n${JSON.stringify(both)}\n`));
    expect(await byKey(ledger, 'tagged-1')).toMatchObject({ team: 'growth', customer: 'acme', agent: 'planner', environment: 'staging', project: 'p9', feature: null });
    // The team alias and spend_logs_metadata.feature name the dimensions; the tags stay tags.
    expect(await byKey(ledger, 'tagged-2')).toMatchObject({ team: 'search', feature: 'from-field' });
    expect(JSON.parse((await byKey(ledger, 'tagged-2')).tags!)).toEqual({ feature: 'from-tag', team: 'from-tag' });
    await ledger.close();
  });

  it('names the line of a bad row inside a pretty-printed array, and of a broken document', async () => {
    const text = readFileSync(V2, 'utf8').replace('"2026-10-06T10:05:00.000000"', '"yesterday"');
    const file = write('v2.json', text);
    const objectLine = text.split('\n').findIndex((l) => l.includes('"chatcmpl-CQ3002"'));
    const ledger = await freshLedger();
    await expect(importInto(ledger, litellmImporter, file)).rejects.toThrow(`${file}:${objectLine}: startTime: expected a date/time, got "yesterday"`);
    const truncated = write('t.json', text.slice(0, 400));
    await expect(importInto(ledger, litellmImporter, truncated, { source: 'litellm' })).rejects.toThrow(/t\.json:\d+: expected valid JSON, got /);
    const badLine = write('b.jsonl', `${readFileSync(JSONL, 'utf8')}{"request_id": "x",\n`);
    await expect(importInto(ledger, litellmImporter, badLine)).rejects.toThrow(`${badLine}:4: expected a JSON object on this line, got invalid JSON`);
    expect(await rows(ledger)).toEqual([]);
    await ledger.close();
  });

  it('reads LiteLLM time spellings as UTC', () => {
    expect(parseLiteLLMTime('2026-10-05 08:30:00.250+00')).toBe('2026-10-05T08:30:00.250Z');
    expect(parseLiteLLMTime('2026-10-05T10:30:00+02:00')).toBe('2026-10-05T08:30:00.000Z');
    expect(parseLiteLLMTime(1_791_189_000)).toBe('2026-10-05T08:30:00.000Z');
    expect(parseLiteLLMTime('05/10/2026')).toBeUndefined();
  });
});
