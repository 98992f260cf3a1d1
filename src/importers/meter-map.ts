/**
 * The user's mapping of bill meters llmfin does not recognise (a model launched after
 * this release, a renamed SKU) to a model and token kind, from `import.meters` in
 * llmfin.yaml. The cloud importers consult it before their own pattern tables — the user
 * knows a meter that the tables parse into a model the catalogue cannot price — and the
 * row's money is the bill's either way: the mapping adds the model and tokens.
 */
import type { MeterMappingConfig } from '../config/config-schema.js';
import type { TokenKind } from './aws-cur/billing-values.js';

export interface MeterMapping {
  model: string;
  tokenKind: TokenKind;
  batch: boolean;
  /** The pattern that matched, for the row's description. */
  match: string;
}

export interface MeterMap {
  /** The first mapping whose source (if any) is `source` and whose pattern matches `meter`. */
  find(source: string, meter: string): MeterMapping | undefined;
}

const TOKEN_KINDS: Record<MeterMappingConfig['tokens'], TokenKind> = {
  input: 'input',
  output: 'output',
  cache_read: 'cacheRead',
  cache_write_5m: 'cacheWrite5m',
  cache_write_1h: 'cacheWrite1h',
  audio_input: 'inputAudio',
  audio_output: 'outputAudio',
  image_input: 'inputImage',
  image_output: 'outputImage',
};

/** Case-insensitive glob (`*`, `?`) over the whole meter text. */
function globRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'is');
}

export function compileMeterMap(entries: readonly MeterMappingConfig[]): MeterMap {
  // Nothing mapped (the usual case): the row loops pay for no lookup at all.
  if (entries.length === 0) return NO_METER_MAP;
  const compiled = entries.map((e) => ({ ...e, re: globRegExp(e.match) }));
  return {
    find(source, meter) {
      const text = meter.trim();
      const hit = compiled.find((e) => (e.source === undefined || e.source === source) && e.re.test(text));
      return hit ? { model: hit.model, tokenKind: TOKEN_KINDS[hit.tokens], batch: hit.batch, match: hit.match } : undefined;
    },
  };
}

/** No mappings: every unknown meter stays unclassified. */
export const NO_METER_MAP: MeterMap = { find: () => undefined };
