// AWS CUR importer: legacy CUR and CUR 2.0 (CSV and .csv.gz) → billed rows that sum to the
// bill, Bedrock token lines with model, tokens and llmfin's estimate beside the billed money.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsCurImporter } from '../../src/importers/aws-cur/aws-cur-importer.js';
import { bedrockModelId, parseBedrockUsageType } from '../../src/importers/aws-cur/bedrock-usage-type.js';
import { readSample } from '../../src/importers/source-input.js';
import type { LedgerStore } from '../../src/ledger/index.js';
import { resolveModel, isResolved } from '../../src/pricing/resolve-model.js';
import { InputError } from '../../src/shared/errors.js';
import { ticksToUsd } from '../../src/shared/money.js';
import { tempDir } from '../helpers/cli.js';
import { editedCopy, freshLedger, importInto, testPricer } from '../helpers/import.js';

const FIX = fileURLToPath(new URL('../fixtures/importers/', import.meta.url));
const LEGACY = join(FIX, 'aws-cur/cur-legacy-2026-10.csv');
const CUR2 = join(FIX, 'aws-cur/cur2-2026-10.csv');
const CUR2_GZ = join(FIX, 'aws-cur/cur2-2026-10.csv.gz');
const DEMO = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));
const OTHERS = ['azure-cost/ea-actual-2026-10.csv', 'azure-cost/mca-actual-2026-10.csv', 'gcp-billing/billing-export-2026-10.jsonl', 'gcp-billing/billing-export-2026-10.csv'].map((f) => join(FIX, f));

async function rows(ledger: LedgerStore) {
  return ledger.db.selectFrom('usage_entries').selectAll().orderBy('id').execute();
}
/** Exact USD per charge category, from the stored ticks. */
async function byCategory(ledger: LedgerStore): Promise<Record<string, string>> {
  const sums: Record<string, bigint> = {};
  for (const r of await rows(ledger)) sums[r.charge_category] = (sums[r.charge_category] ?? 0n) + (r.cost_ticks ?? 0n);
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, ticksToUsd(v).toFixed()]));
}
const one = async (ledger: LedgerStore, description: string) => (await rows(ledger)).find((r) => r.description?.startsWith(description))!;

describe('aws-cur: detection', () => {
  it('accepts legacy CUR, CUR 2.0 and gzip by their columns', () => {
    for (const f of [LEGACY, CUR2, CUR2_GZ]) expect(awsCurImporter.detect(readSample(f, f)), f).toEqual({ ok: true });
  });

  it("refuses the other sources' files with a reason", () => {
    for (const f of [...OTHERS, DEMO]) {
      const verdict = awsCurImporter.detect(readSample(f, f));
      expect(verdict, f).toEqual({ ok: false, reason: 'no "lineItem/UsageType" column' });
    }
    const focus = { fileName: 'focus.csv', head: 'BilledCost,BillingAccountId,ChargeCategory,ServiceName,SkuId,UsageQuantity\n1,2,Usage,Amazon Bedrock,x,3\n' };
    expect(awsCurImporter.detect(focus)).toEqual({ ok: false, reason: 'no "lineItem/UsageType" column' });
  });
});

describe('aws-cur: legacy CUR', () => {
  it('keeps every line as billed money, split into LLM usage, tax, support, credits and other services', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, awsCurImporter, LEGACY);
    // Sum of lineItem/UnblendedCost over the 27 lines (python Decimal over the fixture): 116.6827000616.
    expect(s).toMatchObject({ status: 'imported', rowsRead: 27, rowsImported: 27, rowsRejected: 0, costUsd: '116.6827000616', unpricedModels: [] });
    expect(s.unclassified).toEqual(['USE1-Guardrails-TextUnits']);
    // usage: 0.39765+0.1353+0.0297+0.12375 (Sonnet 4.5) + 0.15+0.06 (global) + 0.06+0.0192 (Nova batch)
    //   + 0.01+0.0075 (Haiku) + 0.018 (Llama) + 0.5 (unknown model) + 20 (provisioned) = 21.5111
    // tax 0.07 (Bedrock) + 0.01 (KMS, from the AWS sample); credit −5 − 0.25; support 100;
    // non_llm: 1.46E-8 + 1.3E-9 + 4.57E-8 (S3, from the AWS sample) + 0.0416 (EC2) = 0.0416000616
    expect(await byCategory(ledger)).toEqual({ usage: '21.5111', tax: '0.08', credit: '-5.25', support: '100', non_llm: '0.0416000616', unclassified: '0.3' });
    const providers = Object.fromEntries(s.byProvider.map((p) => [p.provider, p.cost_usd]));
    expect(providers).toEqual({ aws: '100.0516000616', bedrock: '16.6311' });
    expect(s.byProvider.every((p) => p.provenance === 'billed')).toBe(true);
    await ledger.close();
  });

  it('reads Bedrock token lines: tokens in 1K/1M units, cache kinds, model ids, estimates beside the bill', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, awsCurImporter, LEGACY);
    const input = await one(ledger, 'USE1-Claude4.5Sonnet-input-tokens');
    // 120.5 × 1K tokens; estimate 120,500 × $3.3/1M = $0.39765 (`llmfin pricing cost --model anthropic.claude-sonnet-4-5 --input 120500`).
    expect(input).toMatchObject({
      provider: 'bedrock', model: 'anthropic.claude-sonnet-4-5', matched_model: 'anthropic.claude-sonnet-4-5', offering: 'regional',
      account: '111122223333', region: 'us-east-1', charge_category: 'usage', cost_status: 'billed', cost_usd: '0.39765', reported_cost_usd: '0.39765',
      estimated_cost_usd: '0.39765', input_tokens: 120500, uncached_input_tokens: 120500, output_tokens: 0, requests: 0, provenance: 'billed',
      ts: '2026-10-04T10:00:00.000Z', ts_end: '2026-10-04T11:00:00.000Z', granularity: 'hour', team: 'search', tags: '{"team":"search"}',
      source: 'aws-cur', dedupe_key: 'bedrockfixture0001abcdabcdabcdabcdabcdabcd/2026-10-04T00:00:00Z/2026-10-05T00:00:00Z',
    });
    expect(JSON.parse(input.raw_usage!)).toMatchObject({ usage_type: 'USE1-Claude4.5Sonnet-input-tokens', usage_amount: '120.5', pricing_unit: '1K tokens', tokens: 120500, token_kind: 'input', resource_id: expect.stringContaining('application-inference-profile') });
    // Cache read 90,000 × $0.33/1M = $0.0297; cache write 30,000 × $4.125/1M = $0.12375; output 8,200 × $16.5/1M = $0.1353.
    expect(await one(ledger, 'USE1-Claude4.5Sonnet-cache-read')).toMatchObject({ input_tokens: 90000, uncached_input_tokens: 0, cache_read_tokens: 90000, estimated_cost_usd: '0.0297' });
    expect(await one(ledger, 'USE1-Claude4.5Sonnet-cache-write')).toMatchObject({ input_tokens: 30000, uncached_input_tokens: 0, cache_write_5m_tokens: 30000, estimated_cost_usd: '0.12375' });
    expect(await one(ledger, 'USE1-Claude4.5Sonnet-output-tokens;')).toBeUndefined();
    expect(await one(ledger, 'USE1-Claude4.5Sonnet-output-tokens')).toMatchObject({ output_tokens: 8200, input_tokens: 0, estimated_cost_usd: '0.1353' });
    // The global cross-region route is the model id's prefix: global offering, 50,000 × $3/1M = $0.15.
    expect(await one(ledger, 'USE1-Claude4.5Sonnet-input-tokens-cross-region-global')).toMatchObject({
      model: 'global.anthropic.claude-sonnet-4-5', offering: 'global', region: 'global', estimated_cost_usd: '0.15', project: 'atlas', team: 'search',
    });
    // Batch on a model the catalogue has no batch price for: billed money stands, the estimate is missing with its reason.
    const batch = await one(ledger, 'USE1-NovaPro-input-tokens-batch');
    expect(batch).toMatchObject({ model: 'amazon.nova-pro', service_tier: 'batch', input_tokens: 150000, cost_usd: '0.06', cost_status: 'billed', estimated_cost_usd: null });
    expect(batch.description).toMatch(/no "batch" service-tier price/);
    // Haiku 40,000 × $0.25/1M = $0.01; Llama 3.3 70B 25,000 × $0.72/1M = $0.018.
    expect(await one(ledger, 'USE1-Claude3Haiku-input-tokens')).toMatchObject({ model: 'anthropic.claude-3-haiku', account: '444455556666', team: 'ml', estimated_cost_usd: '0.01' });
    expect(await one(ledger, 'USE1-Llama3-3-70B-input-tokens')).toMatchObject({ model: 'meta.llama3-3-70b-instruct', estimated_cost_usd: '0.018' });
    // A model no table knows keeps the usage-type name; billed, no estimate.
    expect(await one(ledger, 'USE1-NextGenModel9-input-tokens')).toMatchObject({ model: 'NextGenModel9', cost_usd: '0.5', estimated_cost_usd: null, input_tokens: 10000, charge_category: 'usage' });
    expect(await one(ledger, 'USE1-ProvisionedThroughput-ModelUnits')).toMatchObject({ charge_category: 'usage', model: null, cost_usd: '20', input_tokens: 0 });
    await ledger.close();
  });

  it('keeps negative credits and refunds exactly, and month-long lines as month rows', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, awsCurImporter, LEGACY);
    const credit = await one(ledger, 'AWS Activate credit');
    expect(credit).toMatchObject({ charge_category: 'credit', provider: 'bedrock', cost_usd: '-5', cost_ticks: -50_000_000_000n, granularity: 'month', ts: '2026-10-01T00:00:00.000Z', ts_end: '2026-11-01T00:00:00.000Z' });
    expect(await one(ledger, 'Refund for throttled')).toMatchObject({ charge_category: 'credit', cost_usd: '-0.25', cost_ticks: -2_500_000_000n });
    expect(await one(ledger, 'AWS Support (Business)')).toMatchObject({ charge_category: 'support', provider: 'aws', cost_usd: '100' });
    expect(await one(ledger, 'AmazonS3: USE1-APN3-AWS-Out-Bytes')).toMatchObject({ charge_category: 'non_llm', cost_usd: '0.0000000146', cost_ticks: 146n });
    await ledger.close();
  });

  it('importing the same file twice changes nothing', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, awsCurImporter, LEGACY);
    expect((await importInto(ledger, awsCurImporter, LEGACY)).status).toBe('already-imported');
    expect(await rows(ledger)).toHaveLength(27);
    await ledger.close();
  });

  it('a corrected export replaces its accounts and period', async () => {
    const dir = tempDir();
    const v1 = readFileSync(LEGACY, 'utf8');
    const lines = v1.split('\n');
    // v2: the Sonnet output line is re-rated (0.1353 → 0.2) and the Llama line is gone.
    const v2 = lines
      .filter((l) => !l.includes('USE1-Llama3-3-70B-input-tokens'))
      .map((l) => (l.includes('USE1-Claude4.5Sonnet-output-tokens,') ? l.replaceAll(',0.1353,', ',0.2,') : l))
      .join('\n');
    const file = join(dir, 'cur-v2.csv');
    writeFileSync(file, v2);
    const ledger = await freshLedger();
    await importInto(ledger, awsCurImporter, LEGACY);
    const s = await importInto(ledger, awsCurImporter, file);
    expect(s.rowsReplaced).toBeGreaterThan(0);
    const alone = await freshLedger();
    const only = await importInto(alone, awsCurImporter, file);
    // 116.6827000616 − 0.018 (Llama) + (0.2 − 0.1353) = 116.7294000616
    expect(only.costUsd).toBe('116.7294000616');
    expect(await byCategory(ledger)).toEqual(await byCategory(alone));
    expect(await rows(ledger)).toHaveLength(26);
    await ledger.close();
    await alone.close();
  });

  it('a re-delivery of the month without its month-long lines (the tax and credit of the first) replaces the whole billing period', async () => {
    // AWS rewrites the month's CUR on each delivery; this one no longer has lines 10-11 (Oct 1 - Nov 1).
    const v2 = editedCopy(CUR2, 'cur2-v2.csv', (t) => t.split('\n').filter((l) => !l.includes('2026-10-01T00:00:00Z/2026-11-01T00:00:00Z')).join('\n'));
    const ledger = await freshLedger();
    await importInto(ledger, awsCurImporter, CUR2);
    // usage 0.363 + 0.09075 + 0.02904 + 0.03 + 0.012 + 0.3; other services 0.096 + 0.0115
    expect(await byCategory(ledger)).toEqual({ usage: '0.82479', non_llm: '0.1075', tax: '0.05', credit: '-1' });
    // Its 8 lines again by key, and the first delivery's tax and credit, which it no longer has.
    expect(await importInto(ledger, awsCurImporter, v2)).toMatchObject({ rowsImported: 8, rowsReplaced: 10, replacedBatches: [{ batchId: 1, rows: 10 }] });
    expect(await byCategory(ledger)).toEqual({ usage: '0.82479', non_llm: '0.1075' });
    await ledger.close();
  });

  it('a corrected export that no longer has an account removes that account\'s rows for the period', async () => {
    // v2: the bill re-delivered without linked account 444455556666 (its usage moved elsewhere).
    const file = editedCopy(LEGACY, 'cur-v2-one-account.csv', (t) =>
      t
        .split('\n')
        .filter((l) => !l.includes('.000Z,444455556666,'))
        .join('\n'),
    );
    const ledger = await freshLedger();
    await importInto(ledger, awsCurImporter, LEGACY);
    expect((await rows(ledger)).filter((r) => r.account === '444455556666')).toHaveLength(7);
    const s = await importInto(ledger, awsCurImporter, file);
    expect(s.rowsReplaced).toBe(27);
    expect((await rows(ledger)).filter((r) => r.account === '444455556666')).toHaveLength(0);
    const alone = await freshLedger();
    await importInto(alone, awsCurImporter, file);
    expect(await rows(ledger)).toHaveLength(20);
    expect(await byCategory(ledger)).toEqual(await byCategory(alone));
    await ledger.close();
    await alone.close();
  });

  it('an export that shares no account with an earlier one (another payer) leaves it alone', async () => {
    // Another organisation's bill for the same month: other payer and usage accounts, other line ids.
    const file = editedCopy(LEGACY, 'cur-other-payer.csv', (t) =>
      t
        .split('\n')
        .map((l, i) => (i === 0 ? l : l.replaceAll('111122223333', '777788889999').replaceAll('444455556666', '777788880000').replace(/^([a-z0-9]+)/, '$1x')))
        .join('\n'),
    );
    const ledger = await freshLedger();
    await importInto(ledger, awsCurImporter, LEGACY);
    const s = await importInto(ledger, awsCurImporter, file);
    expect(s.rowsReplaced).toBe(0);
    expect(await rows(ledger)).toHaveLength(54);
    await ledger.close();
  });

  it('a bad row aborts the file with file:line: column, and --skip-invalid imports the rest', async () => {
    const dir = tempDir();
    const lines = readFileSync(LEGACY, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('USE1-Claude3Haiku-output-tokens'));
    lines[at] = lines[at]!.replaceAll(',0.0075,', ',0.0075 USD,');
    const file = join(dir, 'bad.csv');
    writeFileSync(file, lines.join('\n'));
    const ledger = await freshLedger();
    const error = await importInto(ledger, awsCurImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:${at + 1}: lineItem/UnblendedCost: expected a decimal amount, got "0.0075 USD"`);
    expect(await rows(ledger)).toHaveLength(0);
    const s = await importInto(ledger, awsCurImporter, file, { skipInvalid: true });
    expect(s).toMatchObject({ rowsImported: 26, rowsRejected: 1, costUsd: '116.6752000616' });
    await ledger.close();
  });

  it('names a bad time and a foreign currency', async () => {
    const dir = tempDir();
    const lines = readFileSync(LEGACY, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('USE1-Claude3Haiku-input-tokens'));
    const file = join(dir, 'bad-time.csv');
    writeFileSync(file, lines.map((l, i) => (i === at ? l.replace('2026-10-06T09:00:00.000Z', '06/10/2026 09:00') : l)).join('\n'));
    const error = await importInto(await freshLedger(), awsCurImporter, file).catch((e: unknown) => e);
    expect((error as InputError).message).toBe(`${file}:${at + 1}: lineItem/UsageStartDate: expected an ISO 8601 UTC time, got "06/10/2026 09:00"`);
    const eur = join(dir, 'bad-eur.csv');
    writeFileSync(eur, lines.map((l, i) => (i === at ? l.replace(',USD,', ',EUR,') : l)).join('\n'));
    const e2 = await importInto(await freshLedger(), awsCurImporter, eur).catch((e: unknown) => e);
    expect((e2 as InputError).message).toMatch(/:\d+: lineItem\/CurrencyCode: expected USD .*, got "EUR"$/);
  });

  it('keeps a negative usage amount\'s cost without a token estimate, and says why (not that 1K tokens is no token unit)', async () => {
    const file = editedCopy(LEGACY, 'cur-correction.csv', (text) =>
      text.replace('USE1-Claude3Haiku-input-tokens,InvokeModel,,,40,,,USD,0.00025,0.01,0.00025,0.01,', 'USE1-Claude3Haiku-input-tokens,InvokeModel,,,-40,,,USD,0.00025,-0.01,0.00025,-0.01,'));
    const ledger = await freshLedger();
    await importInto(ledger, awsCurImporter, file);
    const row = (await rows(ledger)).find((r) => r.description?.startsWith('USE1-Claude3Haiku-input-tokens'))!;
    expect(row).toMatchObject({ cost_usd: '-0.01', input_tokens: 0, estimated_cost_usd: null, description: 'USE1-Claude3Haiku-input-tokens; no token estimate: usage amount "-40" is not a token count' });
    await ledger.close();
  });

  it('refuses an account id a spreadsheet rounded ("1.11122E+11"), which would file the rows under an account that is not theirs', async () => {
    // Excel shows 111122223333 as 1.11122E+11 and saves it so: 111122299999 would read the same.
    const file = editedCopy(LEGACY, 'cur-saved-by-excel.csv', (text) => text.replaceAll(',111122223333,', ',1.11122E+11,'));
    const ledger = await freshLedger();
    const error = await importInto(ledger, awsCurImporter, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      `${file}:2: lineItem/UsageAccountId: expected a 12-digit AWS account id, got "1.11122E+11" (a spreadsheet saved it as a rounded number; export the CUR again)`,
    );
    expect(await rows(ledger)).toEqual([]);
    await ledger.close();
  });

  it('refuses an account id a spreadsheet grouped ("111,122,223,333") or cut of its leading zero, which would file the rows under another account', async () => {
    const ledger = await freshLedger();
    const grouped = editedCopy(LEGACY, 'cur-grouped.csv', (text) => text.replaceAll(',111122223333,', ',"111,122,223,333",'));
    await expect(importInto(ledger, awsCurImporter, grouped)).rejects.toThrow(
      `${grouped}:2: lineItem/UsageAccountId: expected a 12-digit AWS account id, got "111,122,223,333" (a spreadsheet wrote it with thousands separators; export the CUR again)`,
    );
    // Account 011122223333 as Excel saves it: a number, its leading zero gone.
    const unpadded = editedCopy(LEGACY, 'cur-unpadded.csv', (text) => text.replaceAll(',111122223333,', ',11122223333,'));
    await expect(importInto(ledger, awsCurImporter, unpadded)).rejects.toThrow(
      `${unpadded}:2: lineItem/UsageAccountId: expected a 12-digit AWS account id, got "11122223333" (a spreadsheet dropped its leading zeros; export the CUR again)`,
    );
    expect(await rows(ledger)).toEqual([]);
    await ledger.close();
  });
});

describe('aws-cur: CUR 2.0', () => {
  it('reads snake_case columns, JSON tag and product maps, EU routes, mantle ids and Marketplace lines, gzipped or not', async () => {
    for (const file of [CUR2, CUR2_GZ]) {
      const ledger = await freshLedger();
      const s = await importInto(ledger, awsCurImporter, file);
      // 0.363 + 0.09075 + 0.02904 + 0.03 + 0.012 + 0.3 + 0.096 + 0.0115 + 0.05 − 1 = −0.01771
      expect(s).toMatchObject({ rowsImported: 10, costUsd: '-0.01771', unclassified: [] });
      expect(await byCategory(ledger)).toEqual({ usage: '0.82479', non_llm: '0.1075', tax: '0.05', credit: '-1' });
      // EU cross-region: eu.… id (regional offering, EU geo); 100,000 × $3.3/1M = $0.33 estimated vs $0.363 billed.
      expect(await one(ledger, 'EUC1-Claude4.5Sonnet-input-tokens-cross-region-eu')).toMatchObject({
        model: 'eu.anthropic.claude-sonnet-4-5', region: 'eu', offering: 'regional', input_tokens: 100000, cost_usd: '0.363', estimated_cost_usd: '0.33',
        account: '777788889999', team: 'platform', environment: 'prod', tags: '{"team":"platform","env":"prod"}',
      });
      expect(await one(ledger, 'USE1-qwen.qwen3-32b-mantle-input-tokens-standard')).toMatchObject({ model: 'qwen.qwen3-32b', input_tokens: 200000, estimated_cost_usd: '0.03', service_tier: null, environment: 'staging' });
      const mp = await one(ledger, 'USE1-MP:USE1_InputTokenCount-Units');
      expect(mp).toMatchObject({ provider: 'bedrock', model: 'anthropic.claude-sonnet-4-5', charge_category: 'usage', cost_usd: '0.3', input_tokens: 0, estimated_cost_usd: null });
      expect(mp.description).toMatch(/pricing unit "Units" is not a token unit/);
      await ledger.close();
    }
  });
});

describe('aws-cur: usage types and model names', () => {
  it('parses token kinds, tiers, routes and regions, and refuses what it does not know', () => {
    expect(parseBedrockUsageType('USW2-Claude4.5Sonnet-cache-write-input-token-count')).toEqual({ kind: 'tokens', modelName: 'Claude4.5Sonnet', tokenKind: 'cacheWrite5m', serviceTier: undefined, region: 'us-west-2', route: undefined });
    expect(parseBedrockUsageType('USE1-Claude4Sonnet-cache-read-input-token-count-cross-region-global')).toMatchObject({ tokenKind: 'cacheRead', route: 'global' });
    expect(parseBedrockUsageType('USE1-Llama4-Maverick-17B-input-tokens-batch')).toMatchObject({ modelName: 'Llama4-Maverick-17B', serviceTier: 'batch' });
    expect(parseBedrockUsageType('USE1-GPT-OSS-Safeguard-20B-output-tokens-priority')).toMatchObject({ modelName: 'GPT-OSS-Safeguard-20B', tokenKind: 'output', serviceTier: 'priority' });
    expect(parseBedrockUsageType('APS3-NovaLite-input-tokens-flex')).toMatchObject({ region: 'ap-south-1', serviceTier: 'flex' });
    expect(parseBedrockUsageType('USE1-Claude4.5Sonnet-input-tokens-cross-region')).toMatchObject({ route: 'cross-region' });
    expect(parseBedrockUsageType('USE1-MP:USE1_CacheReadInputTokenCount_Global-Units', 'Claude Sonnet 4.5 (Amazon Bedrock Edition)')).toMatchObject({ modelName: 'Claude Sonnet 4.5', tokenKind: 'cacheRead', route: 'global' });
    expect(parseBedrockUsageType('USE1-Claude4.5Sonnet-input-tokens-mystery')).toEqual({ kind: 'unknown' });
    expect(parseBedrockUsageType('USE1-NovaCanvas-T2I-1024-Standard')).toEqual({ kind: 'unknown' });
  });

  it('maps usage-type model names to Bedrock ids the catalogue prices', async () => {
    const pricer = await testPricer();
    const names = ['Claude3Haiku', 'Claude3.5Sonnet', 'Claude3.5SonnetV2', 'Claude3.5Haiku', 'Claude3.7Sonnet', 'Claude4Sonnet', 'Claude4Opus', 'Claude4.1Opus', 'Claude4.5Sonnet', 'Claude4.5Haiku', 'Claude4.5Opus', 'ClaudeSonnet4.5', 'ClaudeInstant', 'Claude2.1', 'NovaMicro', 'NovaLite', 'NovaPro', 'NovaPremier', 'Nova2.0Lite', 'TitanTextG1-Lite', 'TitanTextG1-Express', 'TitanEmbeddingV2-Text', 'Llama3-3-70B', 'Llama3-1-8B', 'Llama4-Maverick-17B', 'Llama4-Scout-17B', 'MistralSmall', 'MistralLarge', 'Mixtral-8x7B', 'gpt-oss-120b', 'GPT-OSS-Safeguard-20B', 'DeepSeek-R1', 'R1', 'Qwen3-32B', 'Qwen3-Coder-480B-A35B', 'Gemma-3-4B-IT', 'qwen.qwen3-32b', 'CommandR', 'CommandRPlus'];
    for (const name of names) {
      const id = bedrockModelId(name);
      expect(id, name).toBeDefined();
      expect(isResolved(resolveModel(pricer.catalogue, { provider: 'bedrock', model: id!, at: new Date('2026-10-01') })), `${name} → ${id}`).toBe(true);
    }
    expect(bedrockModelId('NextGenModel9')).toBeUndefined();
  });
});

describe('aws-cur: hostile input', () => {
  it('never crashes: random bytes, a huge line, truncated files and other sources give an issue or rows', async () => {
    const dir = tempDir();
    const random = join(dir, 'random.bin');
    writeFileSync(random, Buffer.from(Array.from({ length: 65_536 }, (_, i) => (i * 7919 + 13) % 256)));
    const huge = join(dir, 'huge.txt');
    writeFileSync(huge, `${'x'.repeat(2_000_000)}\n`);
    const files = [random, huge, DEMO, ...OTHERS];
    for (const f of [LEGACY, CUR2_GZ]) {
      const cut = join(dir, `cut-${f.split('/').pop()}`);
      const bytes = readFileSync(f);
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.57)));
      files.push(cut);
    }
    for (const f of files) {
      const ledger = await freshLedger();
      // Forced, as `--source aws-cur` does: read() itself must cope.
      const outcome = await importInto(ledger, awsCurImporter, f, { source: 'aws-cur' }).then(() => 'ok', (e: unknown) => e);
      if (outcome !== 'ok') {
        expect(outcome, f).toBeInstanceOf(InputError);
        expect(await rows(ledger)).toHaveLength(0);
      }
      await ledger.close();
    }
    // Random bytes are not UTF-8 text, refused before any column is looked for.
    await expect(importInto(await freshLedger(), awsCurImporter, random, { source: 'aws-cur' })).rejects.toThrow(/^.*random\.bin:1: expected UTF-8 text, got the byte 0x/);
    for (const f of [huge, DEMO, ...OTHERS]) {
      await expect(importInto(await freshLedger(), awsCurImporter, f, { source: 'aws-cur' }), f).rejects.toThrow(/expected a "lineItem\/UsageType"|expected a CSV header/);
    }
  });
});
