/**
 * What an LLM charge in a FOCUS file is: the provider (from ProviderName and
 * ServiceName), the model and token type (from the meter text: SkuMeter, the
 * providers' x_ columns, ChargeDescription) and the token count (ConsumedQuantity in
 * ConsumedUnit, or PricingQuantity in PricingUnit). The meter text is free text that
 * changes with every model launch, so this is a small pattern table; a meter it does
 * not recognise is not guessed at: the row keeps its money as `unclassified`.
 */
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import type { ReportedUsage } from '../../pricing/token-usage.js';
import { dec } from '../../shared/money.js';
import { ownString } from '../../shared/own-string.js';

export type TokenKind = 'input' | 'output' | 'cache_read' | 'cache_write';

export interface Meter {
  /** Model id as the catalogue spells it for the provider (`anthropic.claude-haiku-4-5` on Bedrock). */
  model: string;
  kind: TokenKind;
  modality: 'text' | 'audio' | 'image';
  cacheTtl: '5m' | '1h';
  serviceTier: ServiceTier | undefined;
}

interface Cloud {
  name: RegExp;
  /** Provider id for rows that are not LLM usage. */
  slug: string;
  /** The catalogue provider of the cloud's LLM services, when the service is one. */
  llmService: (service: string) => string | undefined;
  /** The catalogue provider of a token meter of another AI service of this cloud (Claude on Vertex, marketplace models). */
  llmDefault: string;
}

const CLOUDS: Cloud[] = [
  { name: /^(aws|amazon\b)/i, slug: 'aws', llmService: (s) => (/bedrock/i.test(s) ? 'bedrock' : undefined), llmDefault: 'bedrock' },
  { name: /^(microsoft|azure)/i, slug: 'azure', llmService: (s) => (/openai|foundry models/i.test(s) ? 'azure' : undefined), llmDefault: 'azure' },
  {
    name: /^google/i,
    slug: 'gcp',
    // The Gemini API bills through Cloud Billing as its own service; everything else generative is Vertex AI.
    llmService: (s) => (/gemini api|generative language/i.test(s) ? 'google' : /vertex/i.test(s) ? 'vertex' : undefined),
    llmDefault: 'vertex',
  },
  { name: /^(oracle|oci\b)/i, slug: 'oci', llmService: () => undefined, llmDefault: 'oci' },
];

export interface ProviderInfo {
  /** The ledger provider of the row when it is not LLM usage. */
  slug: string;
  /** The catalogue provider when the service is an LLM service. */
  llm: string | undefined;
  /** The catalogue provider to use for a token meter of another AI service of this provider. */
  llmDefault: string | undefined;
}

function slugify(name: string): string {
  return name.toLowerCase().replace(/,?\s*inc\.?$/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unknown';
}

/** Maps ProviderName + ServiceName; `knownProvider` resolves an LLM vendor's name to a catalogue id. */
export function providerInfo(providerName: string, serviceName: string, knownProvider: (id: string) => string | undefined): ProviderInfo {
  const cloud = CLOUDS.find((c) => c.name.test(providerName.trim()));
  if (cloud) return { slug: cloud.slug, llm: cloud.llmService(serviceName), llmDefault: cloud.llmDefault };
  // An LLM vendor exporting FOCUS itself (OpenAI, Anthropic, Mistral AI…): every usage row is LLM usage.
  const slug = slugify(providerName);
  const vendor = knownProvider(slug) ?? knownProvider(slug.split('-')[0] ?? slug);
  return { slug: vendor ?? slug, llm: vendor, llmDefault: vendor };
}

/** Splits CamelCase usage types (`Claude4.5Sonnet-input-tokens`, `InputTokenCount`) into words; `o3` stays whole. */
function words(text: string): string {
  return ` ${text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([a-zA-Z]{2,})(\d)/g, '$1 $2')
    .replace(/(\d)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[_:/()|,]+/g, ' ')
    .replace(/\s+/g, ' ')} `;
}

function tokenKind(w: string): TokenKind | undefined {
  if (/cache[ -]?(write|creation)|cache[ -]writes?\b/.test(w)) return 'cache_write';
  if (/cache[ -]?read|\bcached\b|cache[ -]hit/.test(w)) return 'cache_read';
  const output = /output|\boutp?t?\b|\bopt\b|thinking|reasoning|completion/.test(w);
  const input = /input|\binpt?\b|prompt/.test(w);
  // A text naming both directions is not one meter.
  if (output === input) return undefined;
  return output ? 'output' : 'input';
}

const VERSION = String.raw`(\d+(?:[ .-]\d+)?)`;
const CLAUDE = new RegExp(String.raw`claude[ .-]*(?:${VERSION}[ .-]*(opus|sonnet|haiku)|(opus|sonnet|haiku)[ .-]*${VERSION})`);

function modelId(w: string, provider: string): string | undefined {
  const claude = CLAUDE.exec(w);
  if (claude) {
    const version = (claude[1] ?? claude[4])!.replace(/[ .]/g, '-');
    const family = (claude[2] ?? claude[3])!;
    // Claude 3.x ids put the version first (claude-3-5-sonnet), Claude 4+ the family (claude-sonnet-4-5).
    const id = Number(version.split('-')[0]) < 4 ? `claude-${version}-${family}` : `claude-${family}-${version}`;
    return provider === 'bedrock' ? `anthropic.${id}` : id;
  }
  const gpt = /\bgpt[ -]?(\d+(?:\.\d+)?)[ -]?(o\b)?((?:[ -]?(?:mini|nano|turbo|pro|codex|chat))*)/.exec(w);
  if (gpt) {
    const suffix = gpt[3]!.trim().split(/[ -]+/).filter(Boolean);
    return [`gpt-${gpt[1]}${gpt[2] ?? ''}`, ...suffix].join('-');
  }
  const oSeries = /\b(o[134])(?:[ -](mini|pro))?\b/.exec(w);
  if (oSeries) return oSeries[2] ? `${oSeries[1]}-${oSeries[2]}` : oSeries[1];
  const gemini = /\bgemini[ -]?(\d+(?:\.\d+)?)[ -]?(pro|flash)(?:[ -]?(lite))?/.exec(w);
  if (gemini) return [`gemini-${gemini[1]}`, gemini[2], gemini[3]].filter(Boolean).join('-');
  const nova = /\bnova[ -]?(micro|lite|pro|premier)\b/.exec(w);
  if (nova) return provider === 'bedrock' ? `amazon.nova-${nova[1]}` : `nova-${nova[1]}`;
  return undefined;
}

/** Whether a text talks about tokens at all (a meter worth classifying as LLM usage). */
export function isTokenish(...texts: string[]): boolean {
  return texts.some((t) => /token/i.test(t));
}

/** Model and token type of a meter text, or undefined when the pattern table does not know it. */
export function parseMeter(text: string, provider: string): Meter | undefined {
  const w = words(text);
  // Cache storage (per GB-hour), video, provisioned throughput: not token usage we can price.
  if (/storage|\bvideo\b|provisioned|\bptu\b|model units?\b/.test(w)) return undefined;
  const kind = tokenKind(w);
  const model = modelId(w, provider);
  if (!kind || !model) return undefined;
  const serviceTier: ServiceTier | undefined = /\bbatch\b/.test(w) ? 'batch' : /\bpriority\b/.test(w) ? 'priority' : /\bflex\b/.test(w) ? 'flex' : undefined;
  const modality = /\baudio\b/.test(w) ? 'audio' : /\bimage\b/.test(w) ? 'image' : 'text';
  return { model, kind, modality, cacheTtl: /\b1 ?h(our)?\b/.test(w) ? '1h' : '5m', serviceTier };
}

const UNIT = /^(\d+(?:\.\d+)?)?\s*(k|m|thousand|million)?\s*(tokens?|count)?$/;

/**
 * Tokens in a quantity: `Tokens`, `1K Tokens`, `1M tokens`, or a bare `1K`/`count` on a
 * token meter. Undefined when the unit is not tokens or the count is negative (refunds
 * keep their money; there is no usage to estimate).
 */
export function tokenCount(quantity: string, unit: string, tokenMeter: boolean): number | undefined {
  let scale = units.get(unit);
  if (scale === undefined) {
    scale = unitScale(unit);
    if (units.size >= 256) units.clear();
    units.set(ownString(unit), scale);
  }
  if (scale === null || (!scale.tokens && !tokenMeter)) return undefined;
  const q = quantity.trim();
  // The usual cell, a whole count in a whole unit: the product is an integer below 2^53,
  // exact in a double, as decimal.js would give it.
  if (INTEGER.test(q) && scale.integer !== undefined) {
    const tokens = Number(q) * scale.integer;
    if (tokens <= Number.MAX_SAFE_INTEGER) return tokens;
  }
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(q)) return undefined;
  const count = dec(q).times(scale.factor).toDecimalPlaces(0);
  if (count.isNegative() || !count.lte(Number.MAX_SAFE_INTEGER)) return undefined;
  return count.toNumber();
}

interface UnitScale {
  /** Tokens per unit, exact decimal text. */
  factor: string;
  /** The factor as a number when it is a whole number small enough to multiply exactly. */
  integer: number | undefined;
  /** Whether the unit says tokens (not a bare `1K` or `count`). */
  tokens: boolean;
}

const INTEGER = /^\d{1,15}$/;
/** Unit texts seen (a bill has a handful): null when not a token unit. */
const units = new Map<string, UnitScale | null>();

function unitScale(unit: string): UnitScale | null {
  const m = UNIT.exec(unit.trim().toLowerCase());
  if (!m || (!m[1] && !m[2] && !m[3])) return null;
  const scale = m[2] === 'k' || m[2] === 'thousand' ? 1e3 : m[2] === 'm' || m[2] === 'million' ? 1e6 : 1;
  const factor = dec(m[1] ?? '1').times(scale);
  return {
    factor: factor.toFixed(),
    integer: factor.isInteger() && factor.lte(1e9) ? factor.toNumber() : undefined,
    tokens: m[3] !== undefined && m[3] !== 'count',
  };
}

/** The usage of one token meter, in the disjoint convention (input excludes cache). */
export function meterUsage(meter: Meter, tokens: number): ReportedUsage {
  const usage: ReportedUsage = { input: 0, output: 0, requests: 0 };
  if (meter.kind === 'cache_read') usage.cacheRead = tokens;
  else if (meter.kind === 'cache_write') usage[meter.cacheTtl === '1h' ? 'cacheWrite1h' : 'cacheWrite5m'] = tokens;
  else if (meter.kind === 'input') {
    usage.input = tokens;
    if (meter.modality === 'audio') usage.inputAudio = tokens;
    if (meter.modality === 'image') usage.inputImage = tokens;
  } else {
    usage.output = tokens;
    if (meter.modality === 'audio') usage.outputAudio = tokens;
    if (meter.modality === 'image') usage.outputImage = tokens;
  }
  return usage;
}
