// GCP Cloud Billing export importer: BigQuery rows as JSONL, JSON array or flattened CSV →
// billed rows plus one credit row per credit, Vertex AI / Gemini API SKUs with model and tokens.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gcpBillingImporter } from '../../src/importers/gcp-billing/gcp-billing-importer.js';
import { parseExactJson, type JsonNumber } from '../../src/importers/gcp-billing/exact-json.js';
import { parseGcpSku } from '../../src/importers/gcp-billing/gcp-sku.js';
import { readSample } from '../../src/importers/source-input.js';
import type { LedgerStore } from '../../src/ledger/index.js';
import { InputError } from '../../src/shared/errors.js';
import { ticksToUsd } from '../../src/shared/money.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

const FIX = fileURLToPath(new URL('../fixtures/importers/', import.meta.url));
const JSONL = join(FIX, 'gcp-billing/billing-export-2026-10.jsonl');
const CSV = join(FIX, 'gcp-billing/billing-export-2026-10.csv');
const DEMO = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));
const OTHERS = readdirSync(FIX)
  .filter((d) => d !== 'gcp-billing')
  .flatMap((d) => readdirSync(join(FIX, d)).filter((f) => !f.endsWith('.md')).map((f) => join(FIX, d, f)));

async function rows(ledger: LedgerStore) {
  return ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
}
async function byCategory(ledger: LedgerStore): Promise<Record<string, string>> {
  const sums: Record<string, bigint> = {};
  for (const r of await rows(ledger)) sums[r.charge_category] = (sums[r.charge_category] ?? 0n) + (r.cost_ticks ?? 0n);
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, ticksToUsd(v).toFixed()]));
}
const sku = async (ledger: LedgerStore, description: string, charge = 'usage') =>
  (await rows(ledger)).find((r) => JSON.parse(r.raw_usage!).sku === description && r.charge_category === charge)!;

describe('gcp-billing: detection', () => {
  it('accepts JSONL, a JSON array and a flattened CSV by their fields', () => {
    for (const f of [JSONL, CSV]) expect(gcpBillingImporter.detect(readSample(f, f)), f).toEqual({ ok: true });
    const array = { fileName: 'rows.json', head: `[${readFileSync(JSONL, 'utf8').split('\n', 1)[0]}` };
    expect(gcpBillingImporter.detect(array)).toEqual({ ok: true });
  });

  it("refuses the other sources' files with a reason", () => {
    for (const f of [...OTHERS, DEMO]) {
      const verdict = gcpBillingImporter.detect(readSample(f, f));
      expect(verdict.ok, f).toBe(false);
      expect((verdict as { reason: string }).reason, f).toMatch(/^(no "sku\.description" column|first row has no "sku\.description", "usage_start_time" and "cost" fields|first line is not a complete JSON object)/);
    }
    expect(gcpBillingImporter.detect(readSample(DEMO, DEMO))).toEqual({ ok: false, reason: 'first row has no "sku.description", "usage_start_time" and "cost" fields' });
  });
});

describe('gcp-billing: JSONL export', () => {
  it('keeps cost and each credit as billed rows, split into LLM usage, credits, tax and other services', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, gcpBillingImporter, JSONL);
    // 19 export rows (cost sum 3.27325) + 3 credits (−0.05 − 0.01 − 0.1) = 22 ledger rows, net 3.11325.
    expect(s).toMatchObject({ status: 'imported', rowsRead: 22, rowsImported: 22, costUsd: '3.11325', unpricedModels: [] });
    expect(s.unclassified).toEqual(['Grounding with Google Search on Gemini 3']);
    // usage: 0.225 + 0.12 + 0.01875 + 0.075 + 0.045 + 0.1 + 0.375 + 0.0025 (Vertex Gemini) + 0.15 + 0.012 + 0.075 (Claude)
    //   + 0.06 + 0.05 (Gemini API) + 0.9 (unknown Gemini) = 2.20825; non_llm 0.5 (BigQuery) + 0.24 (Cloud Run);
    // credit −0.05 − 0.01 − 0.1 (credits) − 0.02 (adjustment) = −0.18; tax 0.31; unclassified 0.035.
    expect(await byCategory(ledger)).toEqual({ usage: '2.20825', credit: '-0.18', unclassified: '0.035', non_llm: '0.74', tax: '0.31' });
    const providers = Object.fromEntries(s.byProvider.map((p) => [p.provider, p.cost_usd]));
    expect(providers).toEqual({ vertex: '2.05325', google: '0.11', gcp: '0.95' });
    await ledger.close();
  });

  it('reads token SKUs: models, cache, thinking, batch, long context, partner models and the Gemini API', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, gcpBillingImporter, JSONL);
    // 180,000 × $1.25/1M = $0.225 (`llmfin pricing cost --provider vertex --model gemini-2.5-pro --input 180000`).
    expect(await sku(ledger, 'Gemini 2.5 Pro Text Input - Predictions')).toMatchObject({
      provider: 'vertex', model: 'gemini-2.5-pro', matched_model: 'gemini-2.5-pro', account: 'search-prod', region: 'us-central1',
      ts: '2026-10-04T10:00:00.000Z', ts_end: '2026-10-04T11:00:00.000Z', granularity: 'hour', input_tokens: 180000, uncached_input_tokens: 180000,
      cost_usd: '0.225', cost_status: 'billed', estimated_cost_usd: '0.225', team: 'search', environment: 'prod', tags: '{"team":"search","env":"prod"}', source: 'gcp-billing',
    });
    expect(await sku(ledger, 'Gemini 2.5 Pro Text Input Caching')).toMatchObject({ input_tokens: 150000, cache_read_tokens: 150000, uncached_input_tokens: 0, estimated_cost_usd: '0.01875' });
    // Thinking output is output, marked as reasoning: 30,000 × $2.5/1M = $0.075.
    expect(await sku(ledger, 'Gemini 2.5 Flash GA Thinking Text Output - Predictions')).toMatchObject({ model: 'gemini-2.5-flash', output_tokens: 30000, reasoning_tokens: 30000, estimated_cost_usd: '0.075' });
    // "Gemini 3.0 Pro" is the catalogue's gemini-3-pro-preview; batch halves it: 100,000 × $2/1M × 0.5 = $0.1.
    expect(await sku(ledger, 'Gemini 3.0 Pro Text Input - Batch Predictions')).toMatchObject({ model: 'gemini-3-pro-preview', service_tier: 'batch', estimated_cost_usd: '0.1', account: 'ml-sandbox', team: 'ml' });
    // A (Long) SKU bills requests above 200k, though the row's 150,000 tokens say nothing per request:
    // estimated at the long-context rate like the bill, 150,000 × $2.5/1M = $0.375 (base rates would say $0.1875).
    const long = await sku(ledger, 'Gemini 2.5 Pro Text Input (Long) - Predictions');
    expect(long).toMatchObject({ cost_usd: '0.375', estimated_cost_usd: '0.375' });
    expect(long.description).toMatch(/long-context SKU/);
    expect(await sku(ledger, 'Gemini 2.5 Flash Input Text Caching Storage')).toMatchObject({ charge_category: 'usage', model: 'gemini-2.5-flash', input_tokens: 0, cost_usd: '0.0025' });
    // Claude on Vertex in the ledger convention: 40,000 cache reads × $0.3/1M = $0.012.
    expect(await sku(ledger, 'Claude Sonnet 4.5 Cache Read Input Tokens')).toMatchObject({ provider: 'vertex', model: 'claude-sonnet-4-5', cache_read_tokens: 40000, input_tokens: 40000, estimated_cost_usd: '0.012', region: 'us-east5' });
    expect(await sku(ledger, 'Claude Sonnet 4.5 Output Tokens')).toMatchObject({ output_tokens: 5000, estimated_cost_usd: '0.075' });
    // The Gemini API (Generative Language API) is provider "google": 200,000 × $0.3/1M = $0.06.
    expect(await sku(ledger, 'Generate content input token count gemini 2.5 flash text')).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash', input_tokens: 200000, estimated_cost_usd: '0.06' });
    expect(await sku(ledger, 'Generate content output token count gemini 2.5 flash short output text non-thinking')).toMatchObject({ output_tokens: 20000, reasoning_tokens: 0, estimated_cost_usd: '0.05' });
    expect(await sku(ledger, 'Gemini 9 Hyper Text Input - Predictions')).toMatchObject({ model: 'gemini-9', cost_usd: '0.9', estimated_cost_usd: null, input_tokens: 10000 });
    await ledger.close();
  });

  it('keeps credits as separate negative rows, exactly, attributed like their row', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, gcpBillingImporter, JSONL);
    const cud = await sku(ledger, 'Gemini 2.5 Pro Text Input - Predictions', 'credit');
    expect(cud).toMatchObject({ provider: 'vertex', model: 'gemini-2.5-pro', cost_usd: '-0.05', cost_ticks: -500_000_000n, input_tokens: 0, team: 'search', account: 'search-prod', description: 'Committed use discount: Vertex AI on Gemini 2.5 Pro Text Input - Predictions' });
    expect(cud.dedupe_key).toMatch(/\/credit\/0$/);
    expect(await sku(ledger, 'CPU Allocation Time (tier 2)', 'credit')).toMatchObject({ provider: 'gcp', cost_usd: '-0.1' });
    // A negative adjustment is a credit too; the tax row has no project.
    expect((await rows(ledger)).filter((r) => r.charge_category === 'credit' && JSON.parse(r.raw_usage!).cost_type === 'adjustment')).toHaveLength(1);
    expect(await sku(ledger, 'Tax', 'tax')).toMatchObject({ cost_usd: '0.31', account: '01A2B3-C4D5E6-F7A8B9', provider: 'gcp' });
    await ledger.close();
  });

  it('importing the same file twice changes nothing', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, gcpBillingImporter, JSONL);
    expect((await importInto(ledger, gcpBillingImporter, JSONL)).status).toBe('already-imported');
    expect(await rows(ledger)).toHaveLength(22);
    await ledger.close();
  });

  it('a corrected export replaces its projects and hours', async () => {
    const dir = tempDir();
    const lines = readFileSync(JSONL, 'utf8').trimEnd().split('\n');
    // v2: the 2.5 Pro output row is re-rated (0.12 → 0.13) and the Gemini API output row is gone.
    const v2 = lines
      .filter((l) => !l.includes('short output text non-thinking'))
      .map((l) => (l.includes('Gemini 2.5 Pro Text Output - Predictions') ? l.replace('"cost":0.12,', '"cost":0.13,') : l));
    const file = join(dir, 'v2.jsonl');
    writeFileSync(file, `${v2.join('\n')}\n`);
    const ledger = await freshLedger();
    await importInto(ledger, gcpBillingImporter, JSONL);
    const s = await importInto(ledger, gcpBillingImporter, file);
    expect(s.rowsReplaced).toBeGreaterThan(0);
    const alone = await freshLedger();
    // 3.11325 − 0.05 + 0.01 = 3.07325
    expect((await importInto(alone, gcpBillingImporter, file)).costUsd).toBe('3.07325');
    expect(await byCategory(ledger)).toEqual(await byCategory(alone));
    expect(await rows(ledger)).toHaveLength(21);
    await ledger.close();
    await alone.close();
  });

  describe('a re-export of the invoice month without its month-long rows', () => {
    const all = readFileSync(JSONL, 'utf8').trimEnd().split('\n');
    const taxLine = all.find((l) => l.includes('"cost_type":"tax"'))!;
    const proLine = all.find((l) => l.includes('Gemini 2.5 Pro Text Output - Predictions'))!;
    // The export's rows but its hourly tax: 18 rows and 3 credits, 3.11325 − 0.31 = $2.80325. No
    // row of it is then on the billing account alone (a row without a project).
    const lines = all.filter((l) => l !== taxLine);
    const monthLong = (line: string) =>
      line.replace(/"usage_start_time":"[^"]+","usage_end_time":"[^"]+"/, '"usage_start_time":"2026-10-01T07:00:00Z","usage_end_time":"2026-11-01T07:00:00Z"');
    // Posted when the invoice month (Pacific time) closes, over the whole of it: the month's tax on
    // the billing account ($3.50), and a Vertex commitment fee on search-prod ($40, less a $5 credit).
    const tax = monthLong(taxLine).replace('"cost":0.31,', '"cost":3.5,').replace('"export_time":"2026-10-06T18:05:11.000Z"', '"export_time":"2026-11-02T06:00:00.000Z"');
    const fee = monthLong(proLine)
      .replace('"description":"Gemini 2.5 Pro Text Output - Predictions"', '"description":"Commitment v1: Vertex AI provisioned throughput"')
      .replace('"cost":0.12,', '"cost":40,')
      .replace('"credits":[]', '"credits":[{"name":"Committed use discount: Vertex AI","amount":-5,"full_name":null,"id":"CUD-0002","type":"COMMITTED_USAGE_DISCOUNT"}]')
      .replace('"export_time":"2026-10-04T18:05:11.000Z"', '"export_time":"2026-11-02T06:00:00.000Z"');
    const write = (name: string, rows: string[]) => {
      const file = join(tempDir(), name);
      writeFileSync(file, `${rows.join('\n')}\n`);
      return file;
    };
    /** The ledger's October (UTC) as a bill: every row's cost, credits and tax included. */
    const month = async (ledger: LedgerStore) => {
      const r = await ledger.db.selectFrom('usage_entries').select((eb) => eb.fn.sum<bigint>('cost_ticks').as('ticks')).where('ts', '<', '2026-11-01').executeTakeFirstOrThrow();
      return ticksToUsd(BigInt(r.ticks)).toFixed();
    };

    it('replaces them too: the month totals what the new export says, to the cent', async () => {
      // The month re-exported after the commitment and its tax were reversed: the same 18 rows as before.
      const v2 = write('october-v2.jsonl', lines);
      // The tax alone, on the billing account, which no row of the re-export has: before, it
      // stayed beside the new rows, and October was $6.30325 where the export says $2.80325.
      const taxed = await freshLedger();
      await importInto(taxed, gcpBillingImporter, write('october-v1-tax.jsonl', [...lines, tax]));
      // 2.80325 + 3.5 = 6.30325.
      expect(await month(taxed)).toBe('6.30325');
      expect(await importInto(taxed, gcpBillingImporter, v2)).toMatchObject({ rowsImported: 21, rowsReplaced: 22, replacedBatches: [{ batchId: 1, rows: 22 }], overlaps: [] });
      expect(await month(taxed)).toBe('2.80325');
      await taxed.close();

      // The fee too, on search-prod, which the re-export has rows of: before, it refused the file as a coarser export.
      const ledger = await freshLedger();
      await importInto(ledger, gcpBillingImporter, write('october-v1.jsonl', [...lines, tax, fee]));
      // 2.80325 + 3.5 (tax) + 40 − 5 (fee and its credit) = 41.30325.
      expect(await month(ledger)).toBe('41.30325');
      expect(await byCategory(ledger)).toEqual({ usage: '2.20825', credit: '-5.18', unclassified: '40.035', non_llm: '0.74', tax: '3.5' });
      // Its 21 rows again by key, and the tax, the fee and the fee's credit, which it no longer has.
      expect(await importInto(ledger, gcpBillingImporter, v2)).toMatchObject({ rowsImported: 21, rowsReplaced: 24, replacedBatches: [{ batchId: 1, rows: 24 }], overlaps: [] });
      expect(await month(ledger)).toBe('2.80325');
      expect(await byCategory(ledger)).toEqual({ usage: '2.20825', credit: '-0.18', unclassified: '0.035', non_llm: '0.74' });
      await ledger.close();
    });

    it('keeps them beside a re-export of part of the month, which does not speak for the days it leaves out', async () => {
      // Oct 5 onwards again: the earlier export's Oct 4 rows are still the ledger's, so the month-long rows are too.
      const part = write('october-5-on.jsonl', lines.filter((l) => !l.includes('"usage_start_time":"2026-10-04')));
      const ledger = await freshLedger();
      await importInto(ledger, gcpBillingImporter, write('october-v1.jsonl', [...lines, tax, fee]));
      // Refused as before (the fee reaches past its period on an account it has): nothing is lost.
      await expect(importInto(ledger, gcpBillingImporter, part)).rejects.toThrow(/batch 1 \(.*october-v1\.jsonl\) has rows of the same accounts whose buckets start before this file's period/);
      expect(await month(ledger)).toBe('41.30325');
      await ledger.close();
    });
  });

  it('a bad row aborts the file with file:line: column, and --skip-invalid imports the rest', async () => {
    const dir = tempDir();
    const lines = readFileSync(JSONL, 'utf8').trimEnd().split('\n');
    const at = lines.findIndex((l) => l.includes('Claude Sonnet 4.5 Output Tokens'));
    lines[at] = lines[at]!.replace('"cost":0.075,', '"cost":"0,075",');
    lines.splice(3, 0, '{"truncated": ');
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const ledger = await freshLedger();
    const error = await importInto(ledger, gcpBillingImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(new RegExp(`^${file}:4: expected one JSON object per line, got invalid JSON`));
    expect(await rows(ledger)).toHaveLength(0);
    const s = await importInto(ledger, gcpBillingImporter, file, { skipInvalid: true });
    // Rejected: the broken line and the Claude output row (its $0.075).
    expect(s).toMatchObject({ rowsImported: 21, rowsRejected: 2, costUsd: '3.03825' });
    const rejects = readFileSync(s.rejectsFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; column: string | null; reason: string });
    expect(rejects[1]).toEqual({ file, line: at + 2, column: 'cost', reason: 'expected a decimal amount, got "0,075"', text: readFileSync(file, 'utf8').split('\n')[at + 1] });
    await ledger.close();
  });

  it('names a bad time, a bad credit amount and bad labels', async () => {
    const dir = tempDir();
    const lines = readFileSync(JSONL, 'utf8').trimEnd().split('\n');
    const file = join(dir, 'bad-time.jsonl');
    writeFileSync(file, lines.map((l, i) => (i === 2 ? l.replace('"usage_start_time":"2026-10-04T10:00:00Z"', '"usage_start_time":"yesterday"') : l)).join('\n'));
    const e1 = await importInto(await freshLedger(), gcpBillingImporter, file).catch((e: unknown) => e);
    expect((e1 as InputError).message).toBe(`${file}:3: usage_start_time: expected a UTC time (ISO 8601 or "YYYY-MM-DD HH:MM:SS UTC"), got "yesterday"`);
    const credits = join(dir, 'bad-credits.jsonl');
    writeFileSync(credits, lines.map((l, i) => (i === 0 ? l.replace('"amount":-0.05', '"amount":"a lot"') : l)).join('\n'));
    const e2 = await importInto(await freshLedger(), gcpBillingImporter, credits).catch((e: unknown) => e);
    expect((e2 as InputError).message).toBe(`${credits}:1: credits[0].amount: expected a decimal amount, got "a lot"`);
    const labels = join(dir, 'bad-labels.csv');
    writeFileSync(labels, readFileSync(CSV, 'utf8').replace('"[{""key"":""team"",""value"":""ml""},{""key"":""feature"",""value"":""triage""}]"', 'team=ml'));
    const e3 = await importInto(await freshLedger(), gcpBillingImporter, labels).catch((e: unknown) => e);
    expect((e3 as InputError).message).toBe(`${labels}:2: labels: expected an array of {key, value}, got "team=ml"`);
  });
});

describe('gcp-billing: accounts billed in another currency', () => {
  it('converts cost and credits to USD at the row\'s currency_conversion_rate, exactly to the tick, and keeps what was billed', async () => {
    const dir = tempDir();
    const first = readFileSync(JSONL, 'utf8').split('\n')[0]!;
    // The same Gemini row billed in EUR at 0.92 EUR per USD: 0.225 × 0.92 = 0.207 EUR, credit −0.05 × 0.92 = −0.046 EUR.
    const eur = first.replace('"cost":0.225,"currency":"USD","currency_conversion_rate":1', '"cost":0.207,"currency":"EUR","currency_conversion_rate":0.92').replace('"amount":-0.05', '"amount":-0.046');
    // And one whose dollars do not terminate: 1 EUR / 0.93 = 1.07526881720430…, half-even to 1e-10 USD.
    const odd = first
      .replace('"cost":0.225,"currency":"USD","currency_conversion_rate":1', '"cost":1,"currency":"EUR","currency_conversion_rate":0.93')
      .replace('"credits":[{"name":"Committed use discount: Vertex AI","amount":-0.05,"full_name":null,"id":"CUD-0001","type":"COMMITTED_USAGE_DISCOUNT"}]', '"credits":[]')
      .replace('"usage_start_time":"2026-10-04T10:00:00Z","usage_end_time":"2026-10-04T11:00:00Z"', '"usage_start_time":"2026-10-05T10:00:00Z","usage_end_time":"2026-10-05T11:00:00Z"');
    const file = join(dir, 'eur.jsonl');
    writeFileSync(file, `${eur}\n${odd}\n`);
    const ledger = await freshLedger();
    const s = await importInto(ledger, gcpBillingImporter, file);
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.charge_category, r.cost_usd, r.cost_ticks, r.currency])).toEqual([
      ['usage', '0.225', 2_250_000_000n, 'USD'],
      ['credit', '-0.05', -500_000_000n, 'USD'],
      ['usage', '1.0752688172', 10_752_688_172n, 'USD'],
    ]);
    // 0.225 − 0.05 + 1.0752688172
    expect(s.costUsd).toBe('1.2502688172');
    expect(JSON.parse(rows[0]!.raw_usage!)).toMatchObject({ cost: '0.207', currency: 'EUR', currency_conversion_rate: '0.92' });
    // The estimate beside it is llmfin's own, in USD: 180,000 × $1.25/1M.
    expect(rows[0]!.estimated_cost_usd).toBe('0.225');
    await ledger.close();
  });

  it('refuses a non-USD row without a usable rate, naming the line and column', async () => {
    const dir = tempDir();
    const first = readFileSync(JSONL, 'utf8').split('\n')[0]!;
    const file = join(dir, 'eur-no-rate.jsonl');
    writeFileSync(file, first.replace('"currency":"USD","currency_conversion_rate":1', '"currency":"EUR","currency_conversion_rate":0'));
    const e = await importInto(await freshLedger(), gcpBillingImporter, file).catch((error: unknown) => error);
    expect((e as InputError).message).toBe(`${file}:1: currency_conversion_rate: expected USD, or a positive currency_conversion_rate (EUR per USD) beside "EUR", got "0"`);
  });
});

describe('gcp-billing: other shapes', () => {
  it('reads a flattened CSV: dotted headers, BigQuery UTC times, labels and credits as JSON text', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, gcpBillingImporter, CSV);
    // 0.012 + 0.004 + 0.009 + 0.0048 + 0.12 (cost) − 0.0048 (free tier credit) = 0.145
    expect(s).toMatchObject({ rowsImported: 6, costUsd: '0.145' });
    // Flash Lite: 120,000 × $0.1/1M = $0.012; audio input 30,000 × $0.3/1M = $0.009.
    expect(await sku(ledger, 'Gemini 2.5 Flash Lite Text Input - Predictions')).toMatchObject({ model: 'gemini-2.5-flash-lite', ts: '2026-10-12T09:00:00.000Z', input_tokens: 120000, estimated_cost_usd: '0.012', team: 'ml', feature: 'triage', region: 'europe-west4' });
    expect(await sku(ledger, 'Gemini 2.5 Flash Lite Audio Input - Predictions')).toMatchObject({ input_audio_tokens: 30000, input_tokens: 30000, estimated_cost_usd: '0.009' });
    expect(await sku(ledger, 'Gemini 2.5 Flash Lite Text Input - Predictions', 'credit')).toMatchObject({ cost_usd: '-0.0048' });
    await ledger.close();
  });

  it('refuses a usage.amount that is not a number (a spreadsheet\'s "120,000") at its line, instead of importing the token SKU without its tokens', async () => {
    const lines = readFileSync(CSV, 'utf8').trimEnd().split('\n');
    const file = join(tempDir(), 'billing-saved-by-excel.csv');
    writeFileSync(file, [lines[0], lines[1]!.replace(',120000,count,', ',"120,000",count,'), ...lines.slice(2)].join('\n') + '\n');
    const ledger = await freshLedger();
    const error = await importInto(ledger, gcpBillingImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:2: usage.amount: expected a decimal usage amount, got "120,000"`);
    expect(await rows(ledger)).toEqual([]);
    // An empty usage.amount is still a row without a token estimate, not an error.
    const empty = join(tempDir(), 'billing-no-amount.csv');
    writeFileSync(empty, [lines[0], lines[1]!.replace(',120000,count,', ',,count,')].join('\n') + '\n');
    const s = await importInto(ledger, gcpBillingImporter, empty);
    expect(s).toMatchObject({ rowsImported: 1, costUsd: '0.012' });
    expect((await rows(ledger))[0]).toMatchObject({ input_tokens: 0, estimated_cost_usd: null });
    await ledger.close();
  });

  it('reads a JSON array (bq query --format=json) and reports the line of a bad element', async () => {
    const dir = tempDir();
    const lines = readFileSync(JSONL, 'utf8').trimEnd().split('\n');
    const file = join(dir, 'rows.json');
    writeFileSync(file, `[\n${lines.join(',\n')}\n]\n`);
    const ledger = await freshLedger();
    expect(await importInto(ledger, gcpBillingImporter, file)).toMatchObject({ rowsImported: 22, costUsd: '3.11325' });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, `[\n${lines.map((l, i) => (i === 4 ? l.replace('"cost":0.045,', '"cost":null,') : l)).join(',\n')}\n]\n`);
    const e = await importInto(await freshLedger(), gcpBillingImporter, bad).catch((x: unknown) => x);
    expect((e as InputError).message).toBe(`${bad}:6: cost: expected a decimal amount, got nothing`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, `[\n${lines[0]},\n{"cost": 1,,}\n]`);
    const e2 = await importInto(await freshLedger(), gcpBillingImporter, broken).catch((x: unknown) => x);
    expect((e2 as InputError).message).toMatch(new RegExp(`^${broken}:3: expected a JSON array of billing rows, got invalid JSON`));
    await ledger.close();
  });
});

describe('gcp-billing: SKUs and exact JSON', () => {
  it('parses SKU descriptions', () => {
    expect(parseGcpSku('Gemini 3.1 Flash Image Text Input - Predictions')).toMatchObject({ modelName: 'gemini-3.1-flash-image', tokenKind: 'input' });
    expect(parseGcpSku('Gemini 2.5 Flash GA Video Input Priority - Predictions')).toMatchObject({ tokenKind: 'input', video: true, serviceTier: 'priority' });
    expect(parseGcpSku('Gemini 2.5 Flash Image Output - Predictions')).toMatchObject({ modelName: 'gemini-2.5-flash-image', tokenKind: 'output' });
    expect(parseGcpSku('Gemini 2.0 Flash Text Input (Long) - Predictions')).toMatchObject({ modelName: 'gemini-2.0-flash', longContext: true });
    // Image tokens generated by an image model: the output_image rate.
    expect(parseGcpSku('Generate_content image output token count for Gemini 3 Pro Image')).toMatchObject({ modelName: 'gemini-3-pro-image', tokenKind: 'outputImage' });
    expect(parseGcpSku('Generate content cached input token count gemini 3.5 flash text')).toMatchObject({ tokenKind: 'cacheRead' });
    expect(parseGcpSku('Claude 3.5 Sonnet Cache Write Input Tokens')).toMatchObject({ candidates: ['claude-sonnet-3-5', 'claude-3-5-sonnet'], tokenKind: 'cacheWrite5m' });
    expect(parseGcpSku('Gemini 3 Flash Text Input Caching Storage')).toMatchObject({ kind: 'storage' });
    expect(parseGcpSku('Grounding with Google Search on Gemini 3')).toBeUndefined();
    expect(parseGcpSku('Veo Generation 720p with Audio')).toBeUndefined();
  });

  it('keeps numbers as their text and refuses what is not JSON', () => {
    const v = parseExactJson('{"cost": 0.1000000000000000055511151231257827, "n": [1e-7, -0]}') as Record<string, unknown>;
    expect((v.cost as JsonNumber).text).toBe('0.1000000000000000055511151231257827');
    expect(((v.n as JsonNumber[])[0]!).text).toBe('1e-7');
    expect(() => parseExactJson('{"a": 01}')).toThrow(/expected "," or "}"/);
    expect(() => parseExactJson('['.repeat(100))).toThrow(/levels of nesting/);
    expect(() => parseExactJson('{"a": "unterminated')).toThrow(/closing quote/);
  });
});

describe('gcp-billing: hostile input', () => {
  it('never crashes: random bytes, a huge line, truncated files and other sources give an issue or rows', async () => {
    const dir = tempDir();
    const random = join(dir, 'random.bin');
    writeFileSync(random, Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 7919 + 19) % 256)));
    const huge = join(dir, 'huge.txt');
    writeFileSync(huge, `${'x'.repeat(2_000_000)}\n`);
    const hugeJson = join(dir, 'huge.jsonl');
    writeFileSync(hugeJson, `{"a":"${'x'.repeat(2_000_000)}"\n`);
    const files = [random, huge, hugeJson, DEMO, ...OTHERS];
    for (const f of [JSONL, CSV]) {
      const cut = join(dir, `cut-${f.split('/').pop()}`);
      writeFileSync(cut, readFileSync(f).subarray(0, Math.floor(readFileSync(f).length * 0.57)));
      files.push(cut);
    }
    for (const f of files) {
      const ledger = await freshLedger();
      // Forced, as `--source gcp-billing` does: read() itself must cope.
      const outcome = await importInto(ledger, gcpBillingImporter, f, { source: 'gcp-billing' }).then(() => 'ok', (e: unknown) => e);
      if (!f.includes('cut-')) expect(outcome, f).toBeInstanceOf(InputError);
      if (outcome !== 'ok') {
        expect(outcome, f).toBeInstanceOf(InputError);
        expect(await rows(ledger)).toHaveLength(0);
      }
      await ledger.close();
    }
  });
});
