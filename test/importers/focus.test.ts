// FOCUS importer: detection, billed totals to the cent, LLM meters with llmfin's estimate
// beside the bill, charge categories, period replacement, and bad rows.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { focusImporter } from '../../src/importers/focus/focus-importer.js';
import { parseMeter, tokenCount } from '../../src/importers/focus/focus-meter.js';
import { chargeTime, parseFocusTime } from '../../src/importers/focus/focus-time.js';
import { readSample } from '../../src/importers/source-input.js';
import { sql } from 'kysely';
import { openLedger, type LedgerStore } from '../../src/ledger/index.js';
import { rewindLedger } from '../helpers/rewind-ledger.js';
import { dec } from '../../src/shared/money.js';
import { InputError } from '../../src/shared/errors.js';
import { tempDir } from '../helpers/cli.js';
import { freshLedger, importInto, testPricer } from '../helpers/import.js';
import { runImport, type ImportSummary } from '../../src/importers/run-import.js';

const DIR = fileURLToPath(new URL('../fixtures/importers/focus/', import.meta.url));
const AI = join(DIR, 'focus-1.2-ai-2026-10.csv');
const SAMPLE = join(DIR, 'focus-1.0-sample-excerpt.csv');
const OTHERS = fileURLToPath(new URL('../fixtures/importers/', import.meta.url));
const DEMO = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));

const detect = (file: string) => focusImporter.detect(readSample(file, file));
const rows = (ledger: LedgerStore) => ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
const sum = (values: Array<string | null>) => values.reduce((t, v) => t.plus(v ?? '0'), dec('0')).toFixed();

/** Writes `text` (the AI fixture edited by `edit`) to a temp file. */
function variant(name: string, edit: (lines: string[]) => string[]): string {
  const file = join(tempDir(), name);
  writeFileSync(file, edit(readFileSync(AI, 'utf8').trimEnd().split('\n')).join('\n') + '\n');
  return file;
}

describe('focus: detection', () => {
  it('accepts its fixtures: FOCUS 1.2 with x_ columns, the official 1.0 sample, the spec SaaS examples (BOM, 5/1/25 dates)', () => {
    for (const f of ['focus-1.2-ai-2026-10.csv', 'focus-1.0-sample-excerpt.csv', 'saas_spend_agreements_a1.csv', 'virtual_currency_pricing_model_a1.csv', 'virtual_currency_pricing_model_c.csv']) {
      expect(detect(join(DIR, f)), f).toEqual({ ok: true });
    }
  });

  it("refuses other sources' files with a reason", () => {
    expect(detect(DEMO)).toEqual({ ok: false, reason: 'no "BilledCost" column' });
    expect(detect(join(OTHERS, 'litellm/spend-logs-2026-10.csv'))).toEqual({ ok: false, reason: 'no "BilledCost" column' });
    expect(detect(join(OTHERS, 'otel/genai-traces-2026-10.json'))).toEqual({ ok: false, reason: 'no "BilledCost" column' });
    const almost = join(tempDir(), 'cost.csv');
    writeFileSync(almost, 'BilledCost,ChargeCategory,ChargePeriodStart,Amount\n1,Usage,2026-10-01,1\n');
    expect(focusImporter.detect(readSample(almost, almost))).toEqual({ ok: false, reason: 'too few FOCUS columns (BillingAccountId, BillingPeriodStart, ProviderName…)' });
  });
});

describe('focus: LLM charges of AWS, Azure and Google Cloud (FOCUS 1.2)', () => {
  it('keeps every billed amount, classifies each charge, and estimates LLM meters beside the bill', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, focusImporter, AI);
    // BilledCost sums: bedrock 1.25+0.9+0.4+0.375+0.9+0.6+0.3+0.15−0.1+0.41−1 = 4.185; aws (EC2) 2.304;
    // azure 0.3+0.24+0.075+3+1.6+3+3.576 = 11.791; vertex 0.96+1.25+0.3+0.7 = 3.21; gcp 0.026 → 21.516
    expect(s).toMatchObject({ status: 'imported', rowsRead: 24, rowsImported: 24, rowsRejected: 0, costUsd: '21.516', unpricedModels: [] });
    expect(Object.fromEntries(s.byProvider.map((p) => [p.provider, p.cost_usd]))).toEqual({ bedrock: '4.185', aws: '2.304', azure: '11.791', vertex: '3.21', gcp: '0.026' });
    expect(s.unclassified).toEqual(['Amazon Bedrock: Guardrail Text Units', 'Vertex AI: Llama 4 Maverick 17B-128E Instruct MaaS Input Tokens']);

    const all = await rows(ledger);
    expect(new Set(all.map((r) => r.provenance))).toEqual(new Set(['billed']));
    expect(new Set(all.map((r) => r.cost_status))).toEqual(new Set(['billed']));
    const byCategory = (c: string) => all.filter((r) => r.charge_category === c);
    // 8 Bedrock meters (incl. the correction), 6 Azure OpenAI, 3 Vertex: 4.625 + 8.215 + 2.51
    expect(byCategory('usage')).toHaveLength(17);
    expect(sum(byCategory('usage').map((r) => r.cost_usd))).toBe('15.35');
    expect(byCategory('tax').map((r) => r.cost_usd)).toEqual(['0.41']);
    expect(byCategory('credit').map((r) => r.cost_usd)).toEqual(['-1']);
    // EC2, the Azure ML compute instance (an AI/ML service, but VM hours) and Cloud Storage.
    expect(byCategory('non_llm').map((r) => r.cost_usd)).toEqual(['2.304', '3.576', '0.026']);
    expect(byCategory('unclassified').map((r) => [r.provider, r.cost_usd, r.model])).toEqual([['bedrock', '0.15', null], ['vertex', '0.7', null]]);

    // llmfin's estimate from the catalogue, one token bucket per meter (ledger convention):
    // Bedrock claude-haiku-4-5 $1/$5, cache read $0.10, write $1.25 per 1M: 1.25 + 0.9 + 0.4 + 0.375 + 0.9 + 0.6;
    // nova-lite 5M × 0.06 = 0.3; Azure gpt-4o-mini 2M × 0.15 + 0.4M × 0.6 + 1M cached × 0.15 (no cached rate
    // on Azure's global offering: the input rate) = 0.69; gpt-4.1 1.5M × 2 + 0.2M × 8 + batch 3M × 1 = 7.6;
    // Vertex gemini-2.5-flash 3.2M × 0.3 + 0.5M × 2.5 + 1M × 0.3 = 2.51 → 15.525
    expect(sum(byCategory('usage').map((r) => r.estimated_cost_usd))).toBe('15.525');
    const haiku = all.filter((r) => r.model === 'anthropic.claude-haiku-4-5' && r.ts === '2026-10-01T00:00:00.000Z' && !r.description?.startsWith('correction'));
    expect(haiku.map((r) => [r.input_tokens, r.uncached_input_tokens, r.cache_read_tokens, r.cache_write_5m_tokens, r.output_tokens])).toEqual([
      [1_250_000, 1_250_000, 0, 0, 0],
      [0, 0, 0, 0, 180_000],
      [4_000_000, 0, 4_000_000, 0, 0],
      [300_000, 0, 0, 300_000, 0],
    ]);
    expect(haiku[0]).toMatchObject({
      provider: 'bedrock', matched_model: 'anthropic.claude-haiku-4-5', account: '111122223333', region: 'us-east-1',
      granularity: 'day', ts_end: '2026-10-02T00:00:00.000Z', requests: 0, cost_usd: '1.25', estimated_cost_usd: '1.25', reported_cost_usd: '1.25',
      description: '$1.00 per million input tokens for Claude Haiku 4.5 in US East (N. Virginia)',
    });
    expect(JSON.parse(haiku[0]!.tags!)).toEqual({ team: 'search', env: 'prod' });
    // Tags named like a dimension fill it (as CUR, Azure and GCP tags do); other tags only stay tags.
    expect(haiku[0]).toMatchObject({ team: 'search', environment: 'prod' });
    const teamEnv = (r: (typeof all)[number]) => `${r.team ?? '-'}/${r.environment ?? '-'}`;
    const byTeamEnv: Record<string, string> = {};
    for (const r of all) byTeamEnv[teamEnv(r)] = dec(byTeamEnv[teamEnv(r)] ?? '0').plus(r.cost_usd!).toFixed();
    // BilledCost by the fixture's Tags: {team: search, env: prod} 1.25+0.9+0.4+0.375+0.9+0.6+0.15−0.1+2.304 (EC2);
    // {team: support, env: prod} 0.3; {team: support} 0.3+0.24+0.075+0.3; {team: search} 3+1.6+3+0.96+1.25+0.7;
    // untagged: tax 0.41, credit −1, the VM 3.576 (tagged ComputeType only), storage 0.026.
    expect(byTeamEnv).toEqual({ 'search/prod': '6.779', 'support/prod': '0.3', 'support/-': '0.915', 'search/-': '10.51', '-/-': '3.012' });
    expect(JSON.parse(haiku[0]!.raw_usage!)).toMatchObject({ BilledCost: '1.25', ConsumedQuantity: '1250000', ConsumedUnit: 'Tokens', token_type: 'input' });

    const batch = all.find((r) => r.service_tier === 'batch')!;
    expect(batch).toMatchObject({ provider: 'azure', model: 'gpt-4.1', input_tokens: 3_000_000, cost_usd: '3', estimated_cost_usd: '3' });
    expect(batch.account).toBe('/subscriptions/00000000-0000-0000-0000-000000000001');
    const cached = all.find((r) => r.description === 'Azure OpenAI - gpt 4o mini 0718 cached Inp glbl Tokens')!;
    expect(cached).toMatchObject({ model: 'gpt-4o-mini', cache_read_tokens: 1_000_000, input_tokens: 1_000_000, cost_usd: '0.075', estimated_cost_usd: '0.15' });
    const thinking = all.find((r) => r.description === 'Gemini 2.5 Flash Thinking Text Output - Predictions')!;
    expect(thinking).toMatchObject({ provider: 'vertex', model: 'gemini-2.5-flash', output_tokens: 500_000, account: 'demo-proj' });

    // A correction of September's usage is placed in the billing period it was invoiced in.
    const correction = all.find((r) => r.description?.startsWith('correction'))!;
    expect(correction).toMatchObject({ cost_usd: '-0.1', ts: '2026-10-01T00:00:00.000Z', ts_end: '2026-10-02T00:00:00.000Z', output_tokens: 0, estimated_cost_usd: null });
    expect(JSON.parse(correction.raw_usage!)).toMatchObject({ ChargeClass: 'Correction', ChargePeriodStart: '2026-09-30T00:00:00Z' });
    // Month-long charges (tax, credits) keep their month.
    expect(byCategory('tax')[0]).toMatchObject({ granularity: 'month', ts: '2026-10-01T00:00:00.000Z', ts_end: '2026-11-01T00:00:00.000Z' });

    expect((await importInto(ledger, focusImporter, AI)).status).toBe('already-imported');
    expect(await rows(ledger)).toHaveLength(24);
    await ledger.close();
  });

  it('a corrected export replaces its period: totals equal the new file alone', async () => {
    // v2: the day-1 Claude output is re-billed 0.9 → 0.95, and the Guardrail row is gone.
    const v2 = variant('focus-v2.csv', (lines) => lines.map((l) => (l.startsWith('0.9,') && l.includes('Haiku-output') ? l.replace(/^0\.9,/, '0.95,') : l)).filter((l) => !l.includes('Guardrail')));
    const ledger = await freshLedger();
    await importInto(ledger, focusImporter, AI);
    const s = await importInto(ledger, focusImporter, v2);
    expect(s.rowsReplaced).toBeGreaterThan(0);
    const alone = await freshLedger();
    const only = await importInto(alone, focusImporter, v2);
    // 21.516 + 0.05 − 0.15 = 21.416
    expect(only.costUsd).toBe('21.416');
    const after = await rows(ledger);
    expect(after).toHaveLength(23);
    expect(sum(after.map((r) => r.cost_usd))).toBe('21.416');
    await ledger.close();
    await alone.close();
  });
});

/** Imports `file` as a ledger holding sha256-keyed FOCUS rows would have it (`legacyKeys`, which runImport sets from such a ledger). */
async function importLegacy(ledger: LedgerStore, file: string): Promise<ImportSummary> {
  const p = await testPricer();
  const ctx = { pricer: p, catalogueVersion: p.catalogue.manifest.version, now: new Date('2026-11-01T00:00:00Z'), legacyKeys: true };
  return runImport(ledger, file, file, ctx, { llmfinVersion: 'test', importers: [focusImporter] });
}

/** Every usage_entries column but id, batch_id, created_at and dedupe_key, row by row in import order. */
const contents = async (ledger: LedgerStore) => (await rows(ledger)).map(({ id: _id, batch_id: _b, created_at: _c, dedupe_key: _k, ...rest }) => rest);
const keysOf = async (ledger: LedgerStore) => (await rows(ledger)).map((r) => r.dedupe_key!);
const LEGACY_KEY = /^(\d{8})[0-9a-f]{24}(#\d+)?$/;
const KEY = /^v(\d{8})[0-9a-f]{24}(#\d+)?$/;
/** The AI fixture with its first row twice: two identical rows, told apart by "#2". */
const withTwin = () => variant('focus-twin.csv', (lines) => [...lines, lines[1]!]);

/**
 * Imports the same rows again, in a file with other bytes (a trailing blank line, so it is
 * not recognised by its hash), and checks each was found by its key: all replaced, none
 * added, keys and contents as before.
 */
async function expectReimportFindsRowsByKey(ledger: LedgerStore): Promise<void> {
  const before = await keysOf(ledger);
  const contentBefore = await contents(ledger);
  const again = variant('focus-again.csv', (lines) => [...lines, lines[1]!, '']);
  const s = await importInto(ledger, focusImporter, again);
  expect(s).toMatchObject({ status: 'imported', rowsRead: 25, rowsImported: 25, rowsReplaced: 25, rowsSkipped: 0 });
  expect(await keysOf(ledger)).toEqual(before);
  expect(await contents(ledger)).toEqual(contentBefore);
}

describe('focus: dedupe keys (two schemes: ledger migration 2026_12_01_0300_focus_keys_by_day, FocusIdentity)', () => {
  it("keys begin with the row's UTC day, and the migration gives rows imported before it the keys an import gives now", async () => {
    const ledger = await freshLedger();
    await importLegacy(ledger, AI);
    const keys = async () => (await rows(ledger)).map((r) => [r.id, r.dedupe_key]);
    const now = await keys();
    for (const r of await rows(ledger)) expect(r.dedupe_key, r.ts).toMatch(new RegExp(`^${r.ts.slice(0, 10).replaceAll('-', '')}[0-9a-f]{24}(#\\d+)?$`));
    // The ledger as the previous llmfin left it: bare 32-digit hashes (the last 8 digits
    // are dropped by the migration), the migration not yet run.
    await sql`update usage_entries set dedupe_key = substr(dedupe_key, 9, 24) || 'abcdef01' || substr(dedupe_key, 33) where source = 'focus'`.execute(ledger.db);
    // Migrations after it are undone first, so that the ledger is the older one it was.
    await rewindLedger(ledger, { after: '2026_12_01_0300_focus_keys_by_day' });
    await sql`delete from llmfin_migration where name = '2026_12_01_0300_focus_keys_by_day'`.execute(ledger.db);
    expect((await keys()).every(([, k]) => /^[0-9a-f]{32}(#\d+)?$/.test(String(k)))).toBe(true);
    const path = ledger.path;
    await ledger.close();
    const reopened = await openLedger(path);
    expect(await reopened.db.selectFrom('usage_entries').select(['id', 'dedupe_key']).orderBy('id').execute().then((r) => r.map((x) => [x.id, x.dedupe_key]))).toEqual(now);
    await reopened.close();
  });

  it('a new ledger gets "v" + day + digest keys: the same rows as sha256 keys give, one key for one key, the twin row "#2" in both', async () => {
    const file = withTwin();
    const fresh = await freshLedger();
    const legacy = await freshLedger();
    await importInto(fresh, focusImporter, file);
    await importLegacy(legacy, file);
    const [keys, legacyKeys] = [await keysOf(fresh), await keysOf(legacy)];
    expect(keys).toHaveLength(25);
    for (const [i, r] of (await rows(fresh)).entries()) {
      expect(keys[i], r.ts).toMatch(KEY);
      expect(keys[i]!.slice(1, 9)).toBe(r.ts.slice(0, 10).replaceAll('-', ''));
      expect(legacyKeys[i]).toMatch(LEGACY_KEY);
      // The same day, and a repeated row numbered alike.
      expect(keys[i]!.slice(1, 9)).toBe(legacyKeys[i]!.slice(0, 8));
      expect(keys[i]!.includes('#')).toBe(legacyKeys[i]!.includes('#'));
    }
    expect(keys.filter((k) => k.endsWith('#2'))).toHaveLength(1);
    expect(keys[24]).toBe(`${keys[0]}#2`);
    expect(new Set(keys).size).toBe(25);
    expect(new Set(legacyKeys).size).toBe(25);
    // Everything else is the same, row by row.
    expect(await contents(fresh)).toEqual(await contents(legacy));
    await fresh.close();
    await legacy.close();
  });

  it('a ledger holding sha256 keys is re-imported with them: the same rows found by key, replaced, none added', async () => {
    const ledger = await freshLedger();
    await importLegacy(ledger, withTwin());
    await expectReimportFindsRowsByKey(ledger);
    // A corrected export replaces its period, by key where the row is still there.
    const v2 = variant('focus-v2.csv', (lines) => lines.map((l) => (l.startsWith('0.9,') && l.includes('Haiku-output') ? l.replace(/^0\.9,/, '0.95,') : l)).filter((l) => !l.includes('Guardrail')));
    const corrected = await importInto(ledger, focusImporter, v2);
    expect(corrected).toMatchObject({ rowsImported: 23, rowsReplaced: 25 });
    const after = await rows(ledger);
    expect(after).toHaveLength(23);
    expect(sum(after.map((r) => r.cost_usd))).toBe('21.416');
    for (const k of await keysOf(ledger)) expect(k).toMatch(LEGACY_KEY);
    await ledger.close();
  });

  it('a ledger with digest keys is re-imported with them: the same rows found by key, replaced, none added', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, focusImporter, withTwin());
    await expectReimportFindsRowsByKey(ledger);
    await ledger.close();
  });
});

describe('focus: the official sample, as delivered (FOCUS 1.0: NULL literals, "2024-10-01 00:00:00" times, extra Id column)', () => {
  it('imports every row with its exact billed amount', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, focusImporter, SAMPLE);
    expect(s).toMatchObject({ rowsImported: 14, unclassified: [] });
    const all = await rows(ledger);
    // Sum of the 14 BilledCost cells (11 decimals in the file); the ledger's cents agree.
    expect(sum(all.map((r) => r.cost_usd))).toBe('-2.09755764137');
    expect(dec(s.costUsd).toFixed(2)).toBe('-2.10');
    expect(all.map((r) => r.charge_category).filter((c) => c !== 'non_llm')).toEqual(['credit', 'fee', 'fee']);
    expect(new Set(all.map((r) => r.provider))).toEqual(new Set(['aws', 'oci', 'azure']));
    expect(all[0]).toMatchObject({ ts: '2024-09-18T22:00:00.000Z', ts_end: '2024-09-18T23:00:00.000Z', granularity: 'hour', account: '51738928782', tags: null, cost_usd: '0.0000008' });
    // An Oracle row invoiced in October for September 30 22:00 sits at the start of October.
    expect(all.find((r) => r.cost_usd === '0.24')).toMatchObject({ ts: '2024-10-01T00:00:00.000Z', ts_end: '2024-10-01T01:00:00.000Z' });
    // Tag keys are trimmed: " org" and "org" are one key.
    const azure = all.find((r) => r.cost_usd === '0.000015')!;
    expect(JSON.parse(azure.tags!)).toEqual({ env: 'prod', org: 'trey', Project: 'Foo', CostCenter: '1234', CostAllocationTest: 'Sameer' });
    expect(JSON.parse(all.find((r) => r.cost_usd === '0.00000000503')!.tags!)).toMatchObject({ org: 'trey' });
    await ledger.close();
  });

  it.each([
    ['saas_spend_agreements_a1.csv', 4, '1200', ['non_llm']],
    ['virtual_currency_pricing_model_a1.csv', 1, '200000', ['fee']],
    ['virtual_currency_pricing_model_a2.csv', 3, '0', ['non_llm']],
    ['virtual_currency_pricing_model_b1.csv', 1, '100000', ['fee']],
    ['virtual_currency_pricing_model_b2.csv', 3, '0', ['non_llm']],
    ['virtual_currency_pricing_model_b3.csv', 3, '0', ['non_llm']],
    ['virtual_currency_pricing_model_c.csv', 2, '53000', ['fee']],
  ])('imports the spec SaaS example %s (US dates, BOM; virtual "Token" currency is not LLM usage)', async (file, count, total, categories) => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, focusImporter, join(DIR, file));
    expect(s).toMatchObject({ rowsImported: count, costUsd: total });
    const all = await rows(ledger);
    expect([...new Set(all.map((r) => r.charge_category))]).toEqual(categories);
    // Every row stays inside its billing period (the one-year purchases included).
    for (const r of all) expect(r.ts_end! > r.ts && r.ts_end! <= '2026-04-01T00:00:00.000Z').toBe(true);
    await ledger.close();
  });

  it('reads gzip', async () => {
    const file = join(tempDir(), 'focus.csv.gz');
    writeFileSync(file, gzipSync(readFileSync(SAMPLE)));
    expect(detect(file)).toEqual({ ok: true });
    const ledger = await freshLedger();
    expect((await importInto(ledger, focusImporter, file)).rowsImported).toBe(14);
    await ledger.close();
  });
});

describe('focus: a bill in another currency (FOCUS 1.2 pricing-currency columns)', () => {
  it('converts each row to USD at its own rate, PricingCurrencyEffectiveCost / EffectiveCost, exactly to the tick', async () => {
    // The first two AI rows billed in EUR at 0.92 EUR per USD (1.25 USD → 1.15 EUR; 0.9 USD → 0.828 EUR), and a third at
    // 0.93 whose dollars do not terminate: 1 EUR × 1.0752688172 / 1 → EffectiveCost 1, PricingCurrencyEffectiveCost 1.0752688172043.
    const file = variant('focus-eur.csv', (lines) => {
      const header = `${lines[0]},PricingCurrency,PricingCurrencyEffectiveCost`;
      const eur = (line: string, from: string, to: string, usd: string) => `${line.replace(`${from},`, `${to},`).replace(',USD,', ',EUR,').replace(`,${from},${from},`, `,${to},${to},`)},USD,${usd}`;
      const third = lines[1]!.replace('2026-10-02T00:00:00Z,2026-10-01T00:00:00Z', '2026-10-03T00:00:00Z,2026-10-02T00:00:00Z');
      return [header, eur(lines[1]!, '1.25', '1.15', '1.25'), eur(lines[2]!, '0.9', '0.828', '0.9'), `${third.replace('1.25,', '1,').replace(',USD,', ',EUR,').replace(',1.25,1.25,', ',1,1,')},USD,1.0752688172043`];
    });
    const ledger = await freshLedger();
    const s = await importInto(ledger, focusImporter, file);
    const stored = await rows(ledger);
    expect(stored.map((r) => [r.cost_usd, r.cost_ticks, r.currency])).toEqual([
      ['1.25', 12_500_000_000n, 'USD'],
      ['0.9', 9_000_000_000n, 'USD'],
      ['1.0752688172', 10_752_688_172n, 'USD'],
    ]);
    // 1.25 + 0.9 + 1.0752688172
    expect(s.costUsd).toBe('3.2252688172');
    expect(JSON.parse(stored[0]!.raw_usage!)).toMatchObject({ BilledCost: '1.15', BillingCurrency: 'EUR', PricingCurrency: 'USD', PricingCurrencyEffectiveCost: '1.25' });
    await ledger.close();
  });
});

describe('focus: bad rows', () => {
  const PERIOD = '2026-10-02T00:00:00Z,2026-10-01T00:00:00Z';
  /** The fixture's header and its first row (Claude Haiku 4.5 input, $1.25 on Oct 1), edited. */
  const oneRow = (name: string, edit: (row: string) => string) => variant(name, (lines) => [lines[0]!, edit(lines[1]!)]);

  it('refuses a row cut short (a download that stopped) at its line, instead of importing it without its last columns', async () => {
    const ledger = await freshLedger();
    // The first row cut after its 32nd cell, SubAccountId: its SubAccountName, Tags (team
    // search) and x_UsageType are gone, every column FOCUS requires is still there.
    const cut = oneRow('cut.csv', (r) => r.slice(0, r.indexOf(',search-prod,')));
    await expect(importInto(ledger, focusImporter, cut)).rejects.toThrow(`${cut}:2: expected 35 columns, got 32 (a truncated or mis-quoted row)`);
    expect(await rows(ledger)).toEqual([]);
    await ledger.close();
  });

  it('refuses a charge period that ends when it starts (hours lost to a spreadsheet) instead of stretching it over the month and replacing other days', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, focusImporter, oneRow('oct-01.csv', (r) => r));
    await importInto(ledger, focusImporter, oneRow('oct-20.csv', (r) => r.replace(/^1\.25,/, '5,').replace(PERIOD, '2026-10-21T00:00:00Z,2026-10-20T00:00:00Z')));
    const before = await rows(ledger);
    expect(before.map((r) => [r.ts, r.cost_usd])).toEqual([['2026-10-01T00:00:00.000Z', '1.25'], ['2026-10-20T00:00:00.000Z', '5']]);

    // Saved with the times as dates, the Oct 1 row's start and end are the same day.
    const saved = oneRow('oct-01-saved.csv', (r) => r.replace(PERIOD, '10/1/2026,10/1/2026'));
    await expect(importInto(ledger, focusImporter, saved)).rejects.toThrow(
      `${saved}:2: ChargePeriodEnd: expected a date/time after ChargePeriodStart "10/1/2026" (the same as the start: were the hours lost when the file was saved?), got "10/1/2026"`,
    );
    const backwards = oneRow('oct-01-backwards.csv', (r) => r.replace(PERIOD, '2026-09-30T00:00:00Z,2026-10-01T00:00:00Z'));
    await expect(importInto(ledger, focusImporter, backwards)).rejects.toThrow(
      `${backwards}:2: ChargePeriodEnd: expected a date/time after ChargePeriodStart "2026-10-01T00:00:00Z", got "2026-09-30T00:00:00Z"`,
    );
    expect(await rows(ledger)).toEqual(before);
    await ledger.close();
  });

  it('refuses a charge without ChargePeriodEnd (FOCUS requires it) instead of stretching it to the end of its billing period, the ledger unchanged', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, focusImporter, oneRow('oct-20.csv', (r) => r.replace(/^1\.25,/, '5,').replace(PERIOD, '2026-10-21T00:00:00Z,2026-10-20T00:00:00Z')));
    const before = await rows(ledger);
    expect(before.map((r) => [r.ts, r.ts_end, r.cost_usd])).toEqual([['2026-10-20T00:00:00.000Z', '2026-10-21T00:00:00.000Z', '5']]);
    // The Oct 1 row without its end would have lasted to Nov 1, and its re-import replaced the Oct 20 row.
    const open = oneRow('oct-01-open.csv', (r) => r.replace(PERIOD, ',2026-10-01T00:00:00Z'));
    await expect(importInto(ledger, focusImporter, open)).rejects.toThrow(
      `${open}:2: ChargePeriodEnd: expected a date/time after ChargePeriodStart "2026-10-01T00:00:00Z" (FOCUS requires a charge period's end), got nothing`,
    );
    // NULL, as the official sample writes a null, is nothing too.
    const nul = oneRow('oct-01-null.csv', (r) => r.replace(PERIOD, 'NULL,2026-10-01T00:00:00Z'));
    await expect(importInto(ledger, focusImporter, nul)).rejects.toThrow(`${nul}:2: ChargePeriodEnd: expected a date/time after ChargePeriodStart`);
    // A header without the column: refused at the header, not row by row.
    const noColumn = variant('no-end.csv', (lines) => lines.slice(0, 2).map((l) => l.split(',').filter((_, i) => i !== 10).join(',')));
    expect(readFileSync(noColumn, 'utf8').split('\n')[0]!.includes('ChargePeriodEnd')).toBe(false);
    await expect(importInto(ledger, focusImporter, noColumn)).rejects.toThrow(`${noColumn}:1: ChargePeriodEnd: expected a FOCUS header with a "ChargePeriodEnd" column, got none`);
    // With --skip-invalid the row is rejected, not imported stretched: the file's only row, so nothing is recorded.
    await expect(importInto(ledger, focusImporter, open, { skipInvalid: true })).rejects.toThrow(`${open}: its only row was rejected, reasons in ${open}.rejects.jsonl; nothing imported`);
    expect(await rows(ledger)).toEqual(before);
    await ledger.close();
  });

  it('reads a charge period that starts and ends at the same time of day as an instant (one request, as llmfin exports a proxy row), not stretched over the month', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, focusImporter, oneRow('oct-20.csv', (r) => r.replace(/^1\.25,/, '5,').replace(PERIOD, '2026-10-21T00:00:00Z,2026-10-20T00:00:00Z')));
    await importInto(ledger, focusImporter, oneRow('request.csv', (r) => r.replace(PERIOD, '2026-10-01T09:12:03.120Z,2026-10-01T09:12:03.120Z')));
    // Stretched to the billing period's end, the instant's span would have replaced the Oct 20 row.
    expect((await rows(ledger)).map((r) => [r.ts, r.ts_end, r.cost_usd])).toEqual([
      ['2026-10-20T00:00:00.000Z', '2026-10-21T00:00:00.000Z', '5'],
      ['2026-10-01T09:12:03.120Z', null, '1.25'],
    ]);
    await ledger.close();
  });

  it('refuses an account id a spreadsheet rounded ("1.11122E+11") instead of filing the row under it', async () => {
    const ledger = await freshLedger();
    const sub = oneRow('sub.csv', (r) => r.replace(',111122223333,', ',1.11122E+11,'));
    await expect(importInto(ledger, focusImporter, sub)).rejects.toThrow(
      `${sub}:2: SubAccountId: expected an account id as exported, not a number a spreadsheet rounded (export the file again), got "1.11122E+11"`,
    );
    const billing = oneRow('billing.csv', (r) => r.replace(/^1\.25,999988887777,/, '1.25,9.99989E+11,'));
    await expect(importInto(ledger, focusImporter, billing)).rejects.toThrow(`${billing}:2: BillingAccountId: expected an account id as exported`);
    expect(await rows(ledger)).toEqual([]);
    await ledger.close();
  });

  it('refuses an account id a spreadsheet wrote with thousands separators instead of filing the row under it', async () => {
    const ledger = await freshLedger();
    const sub = oneRow('sub.csv', (r) => r.replace(',111122223333,', ',"111,122,223,333",'));
    await expect(importInto(ledger, focusImporter, sub)).rejects.toThrow(
      `${sub}:2: SubAccountId: expected an account id as exported, not a number a spreadsheet wrote with thousands separators (export the file again), got "111,122,223,333"`,
    );
    expect(await rows(ledger)).toEqual([]);
    await ledger.close();
  });

  it('refuses a token meter whose quantity is not a number (a spreadsheet\'s "1,250,000") instead of importing it without its tokens', async () => {
    const ledger = await freshLedger();
    const consumed = oneRow('consumed.csv', (r) => r.replace(',1250000,Tokens,', ',"1,250,000",Tokens,'));
    await expect(importInto(ledger, focusImporter, consumed)).rejects.toThrow(`${consumed}:2: ConsumedQuantity: expected a decimal quantity, got "1,250,000"`);
    const pricing = oneRow('pricing.csv', (r) => r.replace(',1.25,1.25,Million Tokens,', ',1.25,"1,25",Million Tokens,'));
    await expect(importInto(ledger, focusImporter, pricing)).rejects.toThrow(`${pricing}:2: PricingQuantity: expected a decimal quantity, got "1,25"`);
    expect(await rows(ledger)).toEqual([]);
    // An empty quantity is no token count, as before: the bill is kept without an estimate.
    const empty = oneRow('empty.csv', (r) => r.replace(',1250000,Tokens,', ',,Tokens,').replace(',1.25,1.25,Million Tokens,', ',1.25,,Million Tokens,'));
    expect(await importInto(ledger, focusImporter, empty)).toMatchObject({ rowsImported: 1, costUsd: '1.25' });
    expect((await rows(ledger))[0]).toMatchObject({ input_tokens: 0, estimated_cost_usd: null });
    await ledger.close();
  });

  const broken = () => variant('focus-bad.csv', (lines) => lines.map((l, i) => (i === 2 ? l.replace(/^0\.9,/, 'n/a,') : l)));

  it('a bad amount aborts the file with file:line: column and leaves the ledger empty', async () => {
    const file = broken();
    const ledger = await freshLedger();
    const error = await importInto(ledger, focusImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:3: BilledCost: expected a decimal amount, got "n/a"`);
    expect(await rows(ledger)).toEqual([]);
    await ledger.close();
  });

  it('--skip-invalid imports the good rows and counts the bad one', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, focusImporter, broken(), { skipInvalid: true });
    expect(s).toMatchObject({ rowsImported: 23, rowsRejected: 1, costUsd: '20.616' });
    await ledger.close();
  });

  it('names bad dates, currencies and categories, and a header without FOCUS columns', async () => {
    const cases: Array<[(l: string) => string, string]> = [
      [(l) => l.replace('2026-10-02T00:00:00Z,2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z,2026-13-45'), 'ChargePeriodStart: expected a date/time, got "2026-13-45"'],
      [(l) => l.replace(',USD,', ',EUR,'), 'BillingCurrency: expected USD, or (FOCUS 1.2) PricingCurrency USD with PricingCurrencyEffectiveCost beside a non-zero EffectiveCost to convert by, got "EUR"'],
      [(l) => l.replace(',Usage,', ',Refund,'), 'ChargeCategory: expected one of Usage, Purchase, Tax, Credit, Adjustment, got "Refund"'],
      [(l) => l.replace(/"\{.*\}"/, '"{team: search"'), 'Tags: expected a JSON object, got "{team: search"'],
    ];
    for (const [edit, message] of cases) {
      const file = variant('focus-case.csv', (lines) => lines.map((l, i) => (i === 1 ? edit(l) : l)));
      const ledger = await freshLedger();
      await expect(importInto(ledger, focusImporter, file)).rejects.toThrow(`${file}:2: ${message}`);
      await ledger.close();
    }
    const headerless = join(tempDir(), 'x.csv');
    writeFileSync(headerless, 'a,b\n1,2\n');
    const ledger = await freshLedger();
    await expect(importInto(ledger, focusImporter, headerless, { source: 'focus' })).rejects.toThrow(`${headerless}:1: BilledCost: expected a FOCUS header with a "BilledCost" column, got none`);
    await ledger.close();
  });
});

describe('focus: meters, units and times', () => {
  it('reads model and token type from the meter wordings of each cloud', () => {
    expect(parseMeter('USE1-Claude4.5Sonnet-cache-write-input-token-count', 'bedrock')).toMatchObject({ model: 'anthropic.claude-sonnet-4-5', kind: 'cache_write' });
    expect(parseMeter('Claude 3.5 Haiku Output Tokens', 'vertex')).toMatchObject({ model: 'claude-3-5-haiku', kind: 'output' });
    expect(parseMeter('gpt 4.1 nano cached Inp glbl', 'azure')).toMatchObject({ model: 'gpt-4.1-nano', kind: 'cache_read' });
    expect(parseMeter('o3-mini-0131-Outp-DZone Tokens', 'azure')).toMatchObject({ model: 'o3-mini', kind: 'output' });
    expect(parseMeter('Gemini 2.5 Flash Lite Batch Text Input - Predictions', 'vertex')).toMatchObject({ model: 'gemini-2.5-flash-lite', kind: 'input', serviceTier: 'batch' });
    expect(parseMeter('Gemini 2.5 Flash Input Text Caching Storage', 'vertex')).toBeUndefined();
    expect(parseMeter('Llama 4 Scout Input Tokens', 'vertex')).toBeUndefined();
    expect(tokenCount('2.5', '1K Tokens', true)).toBe(2500);
    expect(tokenCount('1.25', 'Million Tokens', true)).toBe(1_250_000);
    expect(tokenCount('128000', 'count', false)).toBeUndefined();
    expect(tokenCount('-5', 'Tokens', true)).toBeUndefined();
  });

  it('reads FOCUS times as delivered and keeps charges inside their billing period', () => {
    expect(parseFocusTime('2024-10-01 00:00:00')?.toISOString()).toBe('2024-10-01T00:00:00.000Z');
    expect(parseFocusTime('5/1/25')?.toISOString()).toBe('2025-05-01T00:00:00.000Z');
    expect(parseFocusTime('2026-01-15T10:00:00+01:00')?.toISOString()).toBe('2026-01-15T09:00:00.000Z');
    expect(parseFocusTime('2024-02-30')).toBeUndefined();
    const d = (s: string) => new Date(s);
    expect(chargeTime(d('2025-04-01'), d('2026-04-01'), d('2025-04-01'), d('2025-05-01'))).toEqual({ ts: '2025-04-01T00:00:00.000Z', tsEnd: '2025-05-01T00:00:00.000Z', granularity: 'month' });
  });
});

describe('focus: rows read as cells', () => {
  it('gives the rows the header-keyed records gave: a repeated column (read as records) changes nothing', async () => {
    // The same file with its last column repeated takes the record path; without, the cell path.
    const plain = variant('plain.csv', (lines) => lines.map((l, i) => `${l},${i === 0 ? 'x_Note' : `note ${i % 3}`}`));
    const repeated = variant('repeated.csv', (lines) => lines.map((l, i) => `${l},${i === 0 ? 'x_Note,x_Note' : `note ${i % 3},note ${i % 3}`}`));
    const [a, b] = [await freshLedger(), await freshLedger()];
    await importInto(a, focusImporter, plain);
    await importInto(b, focusImporter, repeated);
    const strip = (rs: Awaited<ReturnType<typeof rows>>) => rs.map(({ id: _i, batch_id: _b, created_at: _c, ...rest }) => rest);
    const stored = strip(await rows(a));
    expect(stored.length).toBeGreaterThan(20);
    expect(strip(await rows(b))).toEqual(stored);
  });

  it('keeps the raw usage as the JSON text of its non-empty cells, escapes and all, whatever is memoised across rows', async () => {
    // Cells JSON escapes (quote, backslash, tab, a non-ASCII letter), an empty one, and the same class and period on later rows.
    const RAW = [
      'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'BillingCurrency', 'PricingCurrency', 'PricingCurrencyEffectiveCost', 'ChargeCategory', 'ChargeClass',
      'ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd', 'ConsumedQuantity', 'ConsumedUnit', 'PricingQuantity', 'PricingUnit',
      'ProviderName', 'ServiceName', 'SkuId', 'SkuPriceId', 'InvoiceId',
    ];
    const edits: Record<string, string> = { InvoiceId: '"INV ""7"" \\ x"', SkuPriceId: '"B7\tQ4-é"', EffectiveCost: '', ListCost: '"n/a """' };
    let header: string[] = [];
    const file = variant('escapes.csv', (lines) => {
      header = lines[0]!.split(',');
      return lines.map((line, i) => {
        if (i !== 1 && i !== 2) return line;
        const cells = line.replace(/"Amazon Web Services, Inc\."/g, 'AWS Inc').replace(/"\{[^\n]*\}"/, 'TAGS').split(',');
        for (const [column, text] of Object.entries(edits)) if (i === 1 || column === 'InvoiceId') cells[header.indexOf(column)] = text;
        return cells.join(',').replace('TAGS', '"{}"');
      });
    });
    const ledger = await freshLedger();
    const result = await importInto(ledger, focusImporter, file, { skipInvalid: true }).catch((e: unknown) => e);
    expect(result).not.toBeInstanceOf(Error);
    const stored = await rows(ledger);
    const { parse } = await import('csv-parse/sync');
    const records = parse(readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(stored.length).toBe(records.length);
    for (const [i, record] of records.entries()) {
      const expected: Record<string, string> = {};
      for (const column of RAW) if ((record[column] ?? '').trim() !== '') expected[column] = record[column]!.trim();
      const raw = JSON.parse(stored[i]!.raw_usage!) as Record<string, string>;
      if (raw.token_type !== undefined) expected.token_type = raw.token_type;
      expect(stored[i]!.raw_usage).toBe(JSON.stringify(expected));
    }
    expect(JSON.parse(stored[0]!.raw_usage!)).toMatchObject({ InvoiceId: 'INV "7" \\ x', SkuPriceId: 'B7\tQ4-é', ListCost: 'n/a "' });
    expect(JSON.parse(stored[0]!.raw_usage!)).not.toHaveProperty('EffectiveCost');
  });
});
