/**
 * Reads LiteLLM's `model_prices_and_context_window.json` into `LitellmRecord`s for the
 * providers llmfin ships. Entries without a per-token price (images per picture, audio
 * per second, provisioned throughput, search per query) are skipped and counted: the
 * catalogue prices tokens. Free placeholders (input and output both 0 on a chat model)
 * are skipped too, because a $0 price would hide unpriced usage (pricing.md bug #21).
 */
import { parseLitellmKey } from './litellm-key.js';
import { hasTokenPrices, litellmGeo, litellmRates, litellmServiceTiers, litellmTiers } from './litellm-prices.js';
import { litellmProviderToOurs } from './provider-map.js';
import type { LitellmRecord, ModelKind } from './seed-types.js';
import type { WarningLog } from './warning-log.js';

export interface LitellmReadResult {
  records: LitellmRecord[];
  skipped: Record<string, number>;
}

/** LiteLLM `mode` → catalogue kind. */
export function kindFromMode(mode: unknown): ModelKind {
  switch (mode) {
    case 'chat':
    case 'completion':
    case 'responses':
      return 'chat';
    case 'embedding':
      return 'embedding';
    case 'image_generation':
    case 'image_edit':
      return 'image';
    case 'audio_speech':
    case 'audio_transcription':
    case 'realtime':
      return 'audio';
    case 'moderation':
      return 'moderation';
    case 'rerank':
      return 'rerank';
    default:
      return 'other';
  }
}

/** True when a parsed JSON value looks like LiteLLM's cost map. */
export function isLitellmMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.values(value as Record<string, unknown>).slice(0, 50);
  return entries.some((e) => typeof e === 'object' && e !== null && 'litellm_provider' in e);
}

/** The dataset date when the file carries one (the RoCry mirror adds `last_updated`). */
export function litellmAsOf(value: Record<string, unknown>): string | undefined {
  const v = value.last_updated;
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v : undefined;
}

export function readLitellm(raw: Record<string, unknown>, warnings: WarningLog): LitellmReadResult {
  const records: LitellmRecord[] = [];
  const skipped: Record<string, number> = {};
  const skip = (why: string) => {
    skipped[why] = (skipped[why] ?? 0) + 1;
  };
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'object' || value === null || key === 'sample_spec') continue;
    const entry = value as Record<string, unknown>;
    if (typeof entry.litellm_provider !== 'string') continue;
    const provider = litellmProviderToOurs(entry.litellm_provider);
    if (!provider) {
      skip('provider not shipped');
      continue;
    }
    if (!hasTokenPrices(entry)) {
      skip('no per-token price');
      continue;
    }
    const kind = kindFromMode(entry.mode);
    const rates = litellmRates(entry);
    if (rates.input === '0' && rates.output === '0' && kind !== 'moderation') {
      skip('free placeholder (0/0)');
      continue;
    }
    const parsed = parseLitellmKey(provider, key);
    if (!parsed) {
      skip('not a per-token model key');
      continue;
    }
    const deprecated = typeof entry.deprecation_date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(entry.deprecation_date) ? entry.deprecation_date : undefined;
    const record: LitellmRecord = {
      key,
      provider,
      id: parsed.id,
      spellings: parsed.spellings,
      scope: parsed.scope,
      geoPrefix: parsed.geoPrefix,
      awsRegion: parsed.awsRegion,
      rank: parsed.rank,
      kind,
      deprecated,
      rates,
      tiers: litellmTiers(entry),
      serviceTiers: litellmServiceTiers(entry, rates),
      geo: litellmGeo(entry),
    };
    if (Array.isArray(entry.tiered_pricing)) warnings.add(`litellm:${key}: list-style tiered_pricing is not read`);
    records.push(record);
  }
  return { records, skipped };
}
