/**
 * Reads the pydantic genai-prices v2 feed (`prices/new_data/v2/data.json`: a list of
 * providers, each with models that carry `match` rules and `prices`) into
 * `GenaiRecord`s for our providers. genai-prices is the preferred source for history,
 * tiers and matching (pricing.md §8.9); its Bedrock entries are split by endpoint
 * (`global.…` vs `regional.…`), which become offering scopes of one model here.
 */
import type { Period } from '../catalogue-schema.js';
import { convertMatch, type MatchRule } from './genai-match.js';
import { genaiPeriods, type DroppedUnits } from './genai-periods.js';
import { stripBedrockRevision } from './litellm-key.js';
import { kindFromId } from './model-class.js';
import { genaiProviderTargets } from './provider-map.js';
import type { GenaiRecord } from './seed-types.js';
import type { WarningLog } from './warning-log.js';

interface RawModel {
  id: string;
  name?: string;
  match?: MatchRule;
  prices?: unknown;
}

interface RawProvider {
  id: string;
  models?: RawModel[];
}

/** True when a parsed JSON value looks like the genai-prices v2 feed. */
export function isGenaiPricesData(value: unknown): value is unknown[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((p) => typeof p === 'object' && p !== null && typeof (p as RawProvider).id === 'string' && Array.isArray((p as RawProvider).models))
  );
}

const BEDROCK_SCOPE = /^(global|regional)\./;
const BEDROCK_GEO = /^(us-gov|us|eu|apac|jp|au|ca)\./;

/**
 * Rewrites a match value into the id shape the resolver sees after stripping Bedrock
 * prefixes, and notes which Bedrock geo profiles the rules name explicitly.
 */
function normaliser(provider: string, geos: Set<string>): (value: string) => string | undefined {
  return (value) => {
    let v = value;
    if (provider === 'bedrock') {
      const geo = BEDROCK_GEO.exec(v);
      if (geo) geos.add(geo[1]!);
      v = stripBedrockRevision(v.replace(BEDROCK_SCOPE, '').replace(BEDROCK_GEO, ''));
    }
    return v.length > 0 ? v : undefined;
  };
}

function canonical(provider: string, model: RawModel, prefixes: string[]): { id: string; scope: string } {
  if (provider === 'bedrock') {
    const scope = model.id.startsWith('global.') ? 'global' : 'regional';
    return { id: stripBedrockRevision(model.id.replace(BEDROCK_SCOPE, '')), scope };
  }
  const scope = provider === 'azure' ? 'global' : 'default';
  // Prefix-style ids ("ft:gpt-3.5-turbo-") name the family without the trailing separator.
  const id = model.id.replace(/[-._:]+$/, '');
  // "claude-3-7-sonnet-latest" names a family whose prefix rule is "claude-3-7-sonnet":
  // the family is the model and the "-latest" name becomes an alias of it.
  const stem = id.replace(/-latest$/, '');
  if (stem !== id && prefixes.includes(stem.toLowerCase())) return { id: stem, scope };
  return { id, scope };
}

export interface GenaiReadResult {
  records: GenaiRecord[];
  skipped: Record<string, number>;
}

export function readGenaiPrices(raw: unknown[], warnings: WarningLog): GenaiReadResult {
  const records: GenaiRecord[] = [];
  const skipped: Record<string, number> = {};
  const dropped: DroppedUnits = new Map();
  for (const p of raw as RawProvider[]) {
    for (const model of p.models ?? []) {
      const targets = genaiProviderTargets(p.id, model.id);
      if (targets.length === 0) {
        skipped['provider not shipped'] = (skipped['provider not shipped'] ?? 0) + 1;
        continue;
      }
      const source = `genai-prices:${p.id}/${model.id}`;
      const problems: string[] = [];
      const periods = genaiPeriods(model.prices, source, dropped, problems);
      for (const problem of problems) warnings.add(`genai-prices: ${problem}`);
      if (!periods) {
        skipped['no token price'] = (skipped['no token price'] ?? 0) + targets.length;
        continue;
      }
      for (const provider of targets) {
        const geoPrefixes = new Set<string>();
        const match = convertMatch(model.match ?? { equals: model.id }, normaliser(provider, geoPrefixes));
        for (const d of match.dropped) warnings.add(`${source}: match rule not representable, dropped (${d})`);
        const { id, scope } = canonical(provider, model, match.prefixes);
        // The genai-prices id is itself a spelling callers use ("claude-3-7-sonnet-latest"),
        // except Bedrock's, whose "regional."/"global." prefixes are genai-prices' own.
        if (provider !== 'bedrock' && !/[-._:]$/.test(model.id)) match.exact.push(model.id.toLowerCase());
        records.push({
          source,
          provider,
          id,
          scope,
          name: model.name,
          kind: kindFromId(model.id),
          exact: match.exact,
          prefixes: match.prefixes,
          regex: match.regex,
          geoPrefixes: [...geoPrefixes].sort(),
          periods: clonePeriods(periods),
        });
      }
    }
  }
  for (const [unit, count] of [...dropped].sort()) {
    warnings.add(`genai-prices: unit "${unit}" has no catalogue component; dropped from ${count} price set(s)`);
  }
  return { records, skipped };
}

function clonePeriods(periods: Period[]): Period[] {
  return JSON.parse(JSON.stringify(periods)) as Period[];
}
