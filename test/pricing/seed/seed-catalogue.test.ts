/**
 * seedCatalogue end to end: small hand-made datasets pin the merge rules (which source
 * wins, when a snapshot splits off, how Bedrock scopes and `-latest` aliases come out),
 * and the real reference datasets, when present next to the repository, must seed
 * deterministically and reproduce the committed `pricing/` files byte for byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildManifest, detectDataset, seedCatalogue } from '../../../src/pricing/seed/seed-catalogue.js';
import { stringifyProviderFile } from '../../../src/pricing/seed/serialise-catalogue.js';
import { CatalogueManifest, type ProviderFile } from '../../../src/pricing/catalogue-schema.js';
import { PRICING_DIR, REFERENCE_DIR } from '../catalogue-helpers.js';

const litellm = {
  sample_spec: { litellm_provider: 'one of …', mode: 'chat' },
  'claude-demo-4-1': { litellm_provider: 'anthropic', mode: 'chat', input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5, provider_specific_entry: { us: 1.1 } },
  'claude-demo-4-1-20250101': { litellm_provider: 'anthropic', mode: 'chat', input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5 },
  'claude-demo-4-1-20240101': { litellm_provider: 'anthropic', mode: 'chat', input_cost_per_token: 6e-6, output_cost_per_token: 3e-5 },
  'gpt-demo': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 1.375e-6, output_cost_per_token: 1.1e-5, input_cost_per_token_batches: 6.875e-7, output_cost_per_token_batches: 5.5e-6, input_cost_per_token_priority: 2.5e-6, output_cost_per_token_priority: 2e-5 },
  'mistral/demo-large-2512': { litellm_provider: 'mistral', mode: 'chat', input_cost_per_token: 5e-7, output_cost_per_token: 1.5e-6 },
  'mistral/demo-large-latest': { litellm_provider: 'mistral', mode: 'chat', input_cost_per_token: 5e-7, output_cost_per_token: 1.5e-6 },
  'anthropic.claude-demo-v1:0': { litellm_provider: 'bedrock_converse', mode: 'chat', input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5 },
  'global.anthropic.claude-demo-v1:0': { litellm_provider: 'bedrock_converse', mode: 'chat', input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5 },
  'us.anthropic.claude-demo-v1:0': { litellm_provider: 'bedrock_converse', mode: 'chat', input_cost_per_token: 3.3e-6, output_cost_per_token: 1.65e-5 },
  'eu.anthropic.claude-demo-v1:0': { litellm_provider: 'bedrock_converse', mode: 'chat', input_cost_per_token: 3.3e-6, output_cost_per_token: 1.65e-5 },
  'free-demo': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 0, output_cost_per_token: 0 },
  'openrouter/whatever': { litellm_provider: 'openrouter', mode: 'chat', input_cost_per_token: 1e-6, output_cost_per_token: 1e-6 },
};

const genai = [
  {
    id: 'anthropic',
    models: [
      {
        id: 'claude-demo-4-1',
        match: { or: [{ starts_with: 'claude-demo-4-1' }, { starts_with: 'claude-demo-4.1' }] },
        prices: [
          { prices: { input_mtok: { base: 3, tiers: [{ start: 200000, price: 6 }] }, output_mtok: 15, cache_read_mtok: 0.3, cache_write_mtok: 3.75 } },
          { constraint: { start_date: '2026-03-13' }, prices: { input_mtok: 3, output_mtok: 15, cache_read_mtok: 0.3, cache_write_mtok: 3.75 } },
        ],
      },
    ],
  },
  { id: 'novita', models: [{ id: 'x', match: { equals: 'x' }, prices: { input_mtok: 1, output_mtok: 1 } }] },
];

const demo = (files: ProviderFile[], provider: string) => files.find((f) => f.provider === provider)!;

describe('seedCatalogue on small datasets', () => {
  const seed = seedCatalogue({ litellm, genaiPrices: genai, litellmAsOf: '2026-07-24', genaiAsOf: '2026-08-21' });

  it('merges genai-prices history and tiers with LiteLLM breadth', () => {
    const m = demo(seed.files, 'anthropic').models.find((x) => x.id === 'claude-demo-4-1')!;
    expect(m.match.exact).toEqual(['claude-demo-4-1', 'claude-demo-4-1-20250101', 'claude-demo-4.1', 'claude-demo-4.1-20250101']);
    const [before, after] = m.offerings[0]!.periods;
    expect(before).toMatchObject({ from: null, to: '2026-03-13', tiers: [{ above: 200000, compare: 'gt', rates: { input: '6', cache_write_1h: '12' } }] });
    expect(after).toMatchObject({ from: '2026-03-13', to: null, rates: { input: '3', output: '15', cache_read: '0.3', cache_write_5m: '3.75', cache_write_1h: '6' } });
    expect(after!.geo).toEqual({ us: { multiply: '1.1' } });
    expect(after!.service_tiers).toEqual({ batch: { multiply: '0.5' } });
    expect(after!.source).toBe('genai-prices:anthropic/claude-demo-4-1 + litellm:claude-demo-4-1');
  });

  it('splits a dated snapshot with its own price off the family and keeps the regex off its id', () => {
    const file = demo(seed.files, 'anthropic');
    const old = file.models.find((x) => x.id === 'claude-demo-4-1-20240101')!;
    expect(old.offerings[0]!.periods[0]!.rates).toMatchObject({ input: '6', output: '30' });
    const family = file.models.find((x) => x.id === 'claude-demo-4-1')!;
    for (const r of family.match.regex ?? []) expect(new RegExp(r).test('claude-demo-4-1-20240101')).toBe(false);
    expect(family.match.regex?.some((r) => new RegExp(r).test('claude-demo-4-1-20991231'))).toBe(true);
    expect(seed.report.warnings.some((w) => w.startsWith('split: litellm:claude-demo-4-1-20240101'))).toBe(true);
  });

  it('turns exact multiples into multipliers and keeps other service-tier prices explicit', () => {
    const p = demo(seed.files, 'openai').models[0]!.offerings[0]!.periods[0]!;
    // web_search: OpenAI's per-call fee for its web search tool, a rule of the seed (known-rules.ts).
    expect(p.rates).toEqual({ input: '1.375', output: '11', web_search: '0.01' });
    expect(p.service_tiers).toEqual({ batch: { multiply: '0.5' }, priority: { rates: { input: '2.5', output: '20' } } });
  });

  it('gives every OpenAI chat model the web search fee, search-preview models theirs, and other kinds none', () => {
    const openai = demo(
      seedCatalogue({
        litellm: {
          'gpt-demo': litellm['gpt-demo'],
          'gpt-demo-search-preview': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, search_context_cost_per_query: { search_context_size_low: 0.03, search_context_size_medium: 0.035, search_context_size_high: 0.05 } },
          'text-embedding-demo': { litellm_provider: 'openai', mode: 'embedding', input_cost_per_token: 2e-8, output_cost_per_token: 0 },
        },
      }).files,
      'openai',
    );
    const period = (id: string) => openai.models.find((m) => m.id === id)!.offerings[0]!.periods[0]!;
    expect(period('gpt-demo').rates.web_search).toBe('0.01');
    expect(period('gpt-demo').source).toBe('litellm:gpt-demo + web_search: https://platform.openai.com/docs/pricing#built-in-tools');
    // $25 per 1,000 calls, not LiteLLM's superseded per-context-size list ($0.035 at medium).
    expect(period('gpt-demo-search-preview').rates.web_search).toBe('0.025');
    expect(period('text-embedding-demo').rates.web_search).toBeUndefined();
    expect(period('text-embedding-demo').source).toBe('litellm:text-embedding-demo');
  });

  it('makes a LiteLLM -latest entry an alias of the model it prices like', () => {
    expect(demo(seed.files, 'mistral').aliases).toEqual([{ id: 'demo-large-latest', target: 'demo-large-2512', from: null, to: null }]);
  });

  it('puts Bedrock profiles on one model: regional (from us./eu.) first, global second', () => {
    const m = demo(seed.files, 'bedrock').models[0]!;
    expect(m.id).toBe('anthropic.claude-demo');
    expect(m.match.exact).toContain('anthropic.claude-demo-v1:0');
    expect(m.offerings.map((o) => [o.scope, o.periods[0]!.rates.input])).toEqual([
      ['regional', '3.3'],
      ['global', '3'],
    ]);
  });

  it('skips free placeholders and providers llmfin does not ship', () => {
    expect(seed.files.flatMap((f) => f.models.map((m) => m.id))).not.toContain('free-demo');
    expect(seed.report.skipped['litellm: free placeholder (0/0)']).toBe(1);
    expect(seed.report.skipped['genai-prices: provider not shipped']).toBe(1);
  });

  it('reports counts and a version from the newest dataset date', () => {
    expect(seed.manifest.version).toBe('2026-08-21.1');
    expect(seed.report.perProvider).toEqual({ anthropic: 2, bedrock: 1, mistral: 1, openai: 1 });
    const manifest = buildManifest(seed, [{ name: 'litellm', file: 'l.json', sha256: 'a'.repeat(64) }], '2026-08-22T00:00:00Z');
    expect(CatalogueManifest.parse(manifest).sources.map((s) => s.name)).toEqual(['genai-prices', 'litellm']);
  });

  it('is deterministic', () => {
    const again = seedCatalogue({ litellm, genaiPrices: genai, litellmAsOf: '2026-07-24', genaiAsOf: '2026-08-21' });
    expect(again.files.map(stringifyProviderFile)).toEqual(seed.files.map(stringifyProviderFile));
    expect(again.report).toEqual(seed.report);
  });
});

describe('dataset detection', () => {
  it('recognises each dataset by shape, in either argument', () => {
    expect(detectDataset(litellm)).toBe('litellm');
    expect(detectDataset(genai)).toBe('genai-prices');
    expect(detectDataset({ foo: 1 })).toBeUndefined();
    const swapped = seedCatalogue({ litellm: genai, asOf: '2026-08-21' });
    expect(swapped.files.map((f) => f.provider)).toEqual(['anthropic']);
    expect(swapped.files[0]!.sources).toEqual([{ name: 'genai-prices', version: '2026-08-21' }]);
  });

  it('accepts either dataset alone and rejects anything else', () => {
    expect(seedCatalogue({ litellm }).files.length).toBe(4);
    expect(seedCatalogue({ genaiPrices: genai }).files.length).toBe(1);
    expect(() => seedCatalogue({})).toThrow(/at least one dataset/);
    expect(() => seedCatalogue({ litellm: [1, 2] })).toThrow(/not a LiteLLM/);
  });

  it('warns when a correction no longer matches its dataset', () => {
    const seed = seedCatalogue({ litellm });
    expect(seed.report.warnings).toContain('correction: litellm:gpt-5-nano not found; "input_cost_per_token_priority" correction not applied');
  });
});

const litellmFile = join(REFERENCE_DIR, 'model_prices_and_context_window.json');
const genaiFile = join(REFERENCE_DIR, 'genai-prices-v2-data.json');

describe('the reference datasets (pricing/sources)', () => {
  const load = (f: string): unknown => JSON.parse(readFileSync(f, 'utf8'));
  const input = { litellm: load(litellmFile), genaiPrices: load(genaiFile), litellmAsOf: '2026-07-24', genaiAsOf: '2026-08-21' };

  it('seed deterministically and reproduce the committed pricing/ files', () => {
    const a = seedCatalogue(input);
    const b = seedCatalogue(input);
    expect(b.files.map(stringifyProviderFile)).toEqual(a.files.map(stringifyProviderFile));
    for (const f of a.files) {
      expect(readFileSync(join(PRICING_DIR, `${f.provider}.json`), 'utf8'), `${f.provider}.json is stale: rerun npm run seed:pricing`).toBe(stringifyProviderFile(f));
    }
  });

  it('each seed a valid catalogue alone', () => {
    const onlyLitellm = seedCatalogue({ litellm: input.litellm, asOf: '2026-07-24' });
    const onlyGenai = seedCatalogue({ genaiPrices: input.genaiPrices, asOf: '2026-08-21' });
    expect(onlyLitellm.report.models).toBeGreaterThan(800);
    expect(onlyGenai.report.models).toBeGreaterThan(300);
    expect(onlyGenai.manifest.version).toBe('2026-08-21.1');
  });
});
