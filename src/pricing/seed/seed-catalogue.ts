/**
 * The catalogue seed: turns LiteLLM's cost map and/or the genai-prices v2 feed into
 * llmfin provider files. Pure: the caller reads the files (scripts/seed-pricing.mjs,
 * `llmfin pricing update FILE`) and writes the result. Either dataset alone is enough;
 * each input is recognised by its shape, so a caller may pass a parsed file without
 * knowing which dataset it is. Order of work: corrections, reading, drafting (genai-prices
 * first, LiteLLM joined where it agrees), tidying, building, per-provider finalisation,
 * schema validation, ratio checks.
 */
import { ProviderFile, type Alias, type CatalogueManifest, type Model } from '../catalogue-schema.js';
import { buildModel } from './build-model.js';
import { applyGenaiCorrections, applyLitellmCorrections, applyStaleOverrides } from './corrections.js';
import { looksLikeFloatNoise } from './decimal-text.js';
import { buildDrafts } from './draft-models.js';
import { byCodePoint, finaliseProvider } from './finalise-provider.js';
import { PROVIDERS } from './provider-map.js';
import { azureZoneFindings, ratioChecks } from './ratio-checks.js';
import { isGenaiPricesData, readGenaiPrices } from './read-genai-prices.js';
import { isLitellmMap, litellmAsOf, readLitellm } from './read-litellm.js';
import type { GenaiRecord, LitellmRecord } from './seed-types.js';
import { tidyDrafts } from './tidy-drafts.js';
import { WarningLog } from './warning-log.js';

export type DatasetName = 'litellm' | 'genai-prices';

export interface SeedInput {
  litellm?: unknown;
  genaiPrices?: unknown;
  /** Date of the data (YYYY-MM-DD…) for any dataset without its own date. */
  asOf?: string;
  litellmAsOf?: string;
  genaiAsOf?: string;
}

export interface SeedSource {
  name: DatasetName;
  as_of: string;
}

export interface SeedReport {
  models: number;
  aliases: number;
  perProvider: Record<string, number>;
  skipped: Record<string, number>;
  warnings: string[];
}

export interface SeedResult {
  files: ProviderFile[];
  manifest: { version: string; providers: string[]; sources: SeedSource[] };
  report: SeedReport;
}

/** Which dataset a parsed JSON value is, by shape. */
export function detectDataset(json: unknown): DatasetName | undefined {
  if (isGenaiPricesData(json)) return 'genai-prices';
  if (isLitellmMap(json)) return 'litellm';
  return undefined;
}

function day(value: string | undefined): string | undefined {
  return value === undefined ? undefined : /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
}

export function seedCatalogue(input: SeedInput): SeedResult {
  const warnings = new WarningLog();
  let litellm: Record<string, unknown> | undefined;
  let genai: unknown[] | undefined;
  for (const value of [input.litellm, input.genaiPrices]) {
    if (value === undefined) continue;
    const kind = detectDataset(value);
    if (kind === 'litellm') litellm = value as Record<string, unknown>;
    else if (kind === 'genai-prices') genai = value as unknown[];
    else throw new TypeError('not a LiteLLM cost map or a genai-prices v2 feed');
  }
  if (!litellm && !genai) throw new TypeError('seedCatalogue needs at least one dataset');

  const skipped: Record<string, number> = {};
  const addSkipped = (prefix: string, counts: Record<string, number>) => {
    for (const [k, v] of Object.entries(counts)) skipped[`${prefix}: ${k}`] = (skipped[`${prefix}: ${k}`] ?? 0) + v;
  };
  let litellmRecords: LitellmRecord[] = [];
  let genaiRecords: GenaiRecord[] = [];
  const sources: SeedSource[] = [];
  if (genai) {
    const read = readGenaiPrices(applyGenaiCorrections(genai, warnings), warnings);
    genaiRecords = read.records;
    applyStaleOverrides(genaiRecords, warnings);
    addSkipped('genai-prices', read.skipped);
    sources.push({ name: 'genai-prices', as_of: input.genaiAsOf ?? input.asOf ?? 'unknown' });
  }
  if (litellm) {
    const read = readLitellm(applyLitellmCorrections(litellm, warnings), warnings);
    litellmRecords = read.records;
    addSkipped('litellm', read.skipped);
    sources.push({ name: 'litellm', as_of: input.litellmAsOf ?? litellmAsOf(litellm) ?? input.asOf ?? 'unknown' });
  }

  const { drafts, aliases } = tidyDrafts(buildDrafts(genaiRecords, litellmRecords, warnings), warnings);
  const files: ProviderFile[] = [];
  for (const provider of Object.keys(PROVIDERS).sort(byCodePoint)) {
    const info = PROVIDERS[provider]!;
    const mine = drafts.filter((d) => d.provider === provider);
    const built = mine.map((d) => buildModel(d, warnings)).filter((m): m is Model => m !== undefined);
    if (built.length === 0) continue;
    const extra: Alias[] = aliases.filter((a) => a.provider === provider).map((a) => a.alias);
    const { models, aliases: finalAliases } = finaliseProvider(provider, built, extra, warnings);
    const used = new Set<DatasetName>();
    for (const d of mine) {
      for (const o of d.offerings.values()) {
        if (o.genai) used.add('genai-prices');
        if (o.litellm.length > 0) used.add('litellm');
      }
    }
    const file = ProviderFile.parse({
      schema_version: 1,
      provider,
      name: info.name,
      currency: 'USD',
      unit: 'per_1m_tokens',
      usage_convention: info.convention,
      provider_aliases: info.aliases,
      sources: sources.filter((s) => used.has(s.name)).map((s) => ({ name: s.name, version: s.as_of })),
      models,
      aliases: finalAliases,
    });
    files.push(file);
  }

  for (const file of files) {
    for (const f of [...ratioChecks(file), ...azureZoneFindings(file)]) warnings.add(`check: ${f.provider}/${f.model} [${f.scope}${f.from ? ` from ${f.from}` : ''}] ${f.check}: ${f.detail}`);
    for (const m of file.models) {
      for (const o of m.offerings) {
        for (const p of o.periods) {
          for (const v of Object.values(p.rates)) if (v !== undefined && looksLikeFloatNoise(v)) warnings.add(`float noise: ${file.provider}/${m.id} rate ${v} (kept as the dataset wrote it)`);
        }
      }
    }
  }

  const perProvider: Record<string, number> = {};
  for (const f of files) perProvider[f.provider] = f.models.length;
  const dates = sources.map((s) => day(s.as_of)).filter((d): d is string => d !== undefined).sort();
  const newest = dates[dates.length - 1] ?? day(input.asOf) ?? 'undated';
  return {
    files,
    manifest: { version: `${newest}.1`, providers: files.map((f) => f.provider), sources },
    report: {
      models: files.reduce((n, f) => n + f.models.length, 0),
      aliases: files.reduce((n, f) => n + f.aliases.length, 0),
      perProvider,
      skipped,
      warnings: warnings.items,
    },
  };
}

/** The manifest for a written catalogue; `inputs` name each dataset file and its sha256. */
export function buildManifest(seed: SeedResult, inputs: Array<{ name: DatasetName; file: string; sha256: string }>, generatedAt: string): CatalogueManifest {
  return {
    schema_version: 1,
    version: seed.manifest.version,
    generated_at: generatedAt,
    providers: seed.manifest.providers,
    sources: seed.manifest.sources.map((s) => {
      const i = inputs.find((x) => x.name === s.name);
      return { name: s.name, file: i?.file ?? '', sha256: i?.sha256 ?? '', as_of: s.as_of };
    }),
  };
}
