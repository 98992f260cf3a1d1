/**
 * Amazon Bedrock usage types, the only place CUR says which model and which token kind a
 * line bills: `USE1-Claude4.5Sonnet-input-tokens`, `…-output-tokens-batch`,
 * `…-cache-read-input-token-count-cross-region-global`, `USE1-qwen.qwen3-32b-mantle-input-tokens-standard`,
 * Marketplace `USE1-MP:USE1_InputTokenCount-Units`. A pattern table, not a guess: a usage
 * type that does not fit is reported as not understood, and the caller keeps its money
 * as 'unclassified'.
 */
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import type { TokenKind } from './billing-values.js';

export type BedrockLine =
  | {
      kind: 'tokens';
      /** The model as the usage type spells it ("Claude4.5Sonnet"), or the product name for Marketplace. */
      modelName: string;
      tokenKind: TokenKind;
      serviceTier: ServiceTier | undefined;
      /** AWS region from the usage-type prefix ("USE1" → "us-east-1"). */
      region: string | undefined;
      /** Cross-region inference route: a geography ("global", "eu", "us"…), "cross-region" when unnamed. */
      route: string | undefined;
    }
  | { kind: 'provisioned'; region: string | undefined }
  | { kind: 'unknown' };

/** AWS billing region codes → region names (the usage-type prefix). */
const REGIONS: Record<string, string> = {
  USE1: 'us-east-1', USE2: 'us-east-2', USW1: 'us-west-1', USW2: 'us-west-2', CAN1: 'ca-central-1', CAN2: 'ca-west-1',
  EUC1: 'eu-central-1', EUC2: 'eu-central-2', EUW1: 'eu-west-1', EUW2: 'eu-west-2', EUW3: 'eu-west-3', EUN1: 'eu-north-1',
  EUS1: 'eu-south-1', EUS2: 'eu-south-2', APN1: 'ap-northeast-1', APN2: 'ap-northeast-2', APN3: 'ap-northeast-3',
  APS1: 'ap-southeast-1', APS2: 'ap-southeast-2', APS3: 'ap-south-1', APS4: 'ap-southeast-3', APS5: 'ap-south-2',
  APS6: 'ap-southeast-4', APE1: 'ap-east-1', SAE1: 'sa-east-1', MES1: 'me-south-1', MEC1: 'me-central-1',
  AFS1: 'af-south-1', ILC1: 'il-central-1', UGW1: 'us-gov-west-1', UGE1: 'us-gov-east-1',
};
const GEOS = new Set(['global', 'us', 'eu', 'apac', 'jp', 'au', 'ca', 'in']);
const TIERS: Record<string, ServiceTier> = { batch: 'batch', flex: 'flex', priority: 'priority', standard: 'standard' };

const KIND = /-(cache-read-input-token-count|cache-write-input-token-count|input-tokens|output-tokens|input-token-count|output-token-count)(?=$|-)/i;
const KINDS: Record<string, TokenKind> = {
  'cache-read-input-token-count': 'cacheRead',
  'cache-write-input-token-count': 'cacheWrite5m',
  'input-tokens': 'input',
  'input-token-count': 'input',
  'output-tokens': 'output',
  'output-token-count': 'output',
};

/** Splits "USE1-rest" into the region and the rest; a usage type without a region code keeps it whole. */
function regionPrefix(usageType: string): { code: string | undefined; rest: string } {
  const m = /^([A-Z]{2,4}\d?)-(.+)$/.exec(usageType);
  if (m && (REGIONS[m[1]!] !== undefined || /^[A-Z]{3,4}\d$/.test(m[1]!) || GEOS.has(m[1]!.toLowerCase()))) return { code: m[1], rest: m[2]! };
  return { code: undefined, rest: usageType };
}

/** Reads the suffixes after the token kind: tiers, cross-region routes, a cache TTL. Undefined if any is unknown. */
function suffixes(rest: string, kind: TokenKind): { tier: ServiceTier | undefined; route: string | undefined; kind: TokenKind } | undefined {
  const parts = rest.toLowerCase().split(/[-_]/).filter((p) => p !== '');
  let tier: ServiceTier | undefined;
  let route: string | undefined;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (TIERS[p]) tier = TIERS[p] === 'standard' ? tier : TIERS[p];
    else if (p === 'cross' && parts[i + 1] === 'region') {
      i++;
      const geo = parts[i + 1];
      if (geo !== undefined && GEOS.has(geo)) {
        route = geo;
        i++;
      } else route = 'cross-region';
    } else if (p === 'global') route = 'global';
    else if (p === '1h' && kind === 'cacheWrite5m') kind = 'cacheWrite1h';
    else if (p === '5m' && kind === 'cacheWrite5m') continue;
    else return undefined;
  }
  return { tier, route, kind };
}

/** Marketplace token lines ("MP:USE1_CacheReadInputTokenCount_Global-Units"): the model is the product name. */
function marketplace(code: string | undefined, body: string, productName: string): BedrockLine {
  const inner = body.replace(/^MP:([A-Z]{2,4}\d?_)?/i, '').replace(/-Units$/i, '').toLowerCase();
  const flat = inner.replace(/[_-]/g, '');
  const tokenKind: TokenKind | undefined = flat.includes('cacheread')
    ? 'cacheRead'
    : flat.includes('cachewrite')
      ? 'cacheWrite5m'
      : /^input|inputtoken/.test(flat)
        ? 'input'
        : /^output|outputtoken/.test(flat)
          ? 'output'
          : undefined;
  const modelName = productName.replace(/\(.*?\)/g, '').trim();
  if (!tokenKind || modelName === '') return { kind: 'unknown' };
  const words = inner.split(/[_-]/);
  const route = words.includes('global') ? 'global' : undefined;
  const tierWord = words.find((w) => w === 'batch' || w === 'flex' || w === 'priority');
  return { kind: 'tokens', modelName, tokenKind, serviceTier: tierWord ? TIERS[tierWord] : undefined, region: code ? REGIONS[code] : undefined, route };
}

/** Parses a Bedrock usage type; `productName` serves Marketplace lines, which do not name the model. */
export function parseBedrockUsageType(usageType: string, productName = ''): BedrockLine {
  const { code, rest } = regionPrefix(usageType.trim());
  const region = code ? REGIONS[code] : undefined;
  if (/^MP:/i.test(rest)) return marketplace(code, rest, productName);
  if (/provisioned|model-?units?/i.test(rest)) return { kind: 'provisioned', region };

  const mantle = /^(.+?)-mantle-(.+)$/i.exec(rest);
  const body = mantle ? `${mantle[1]}-${mantle[2]}` : rest;
  const m = KIND.exec(body);
  if (!m || m.index === 0) return { kind: 'unknown' };
  const modelName = body.slice(0, m.index);
  const parsed = suffixes(body.slice(m.index + m[0].length), KINDS[m[1]!.toLowerCase()]!);
  if (!parsed) return { kind: 'unknown' };
  return { kind: 'tokens', modelName, tokenKind: parsed.kind, serviceTier: parsed.tier, region, route: parsed.route };
}

/** Usage-type model names → Bedrock model ids, where the name is not regular enough to derive. */
const NAMED: Record<string, string> = {
  claudeinstant: 'anthropic.claude-instant',
  claude2: 'anthropic.claude-v2',
  'claude2.0': 'anthropic.claude-v2',
  'claude2.1': 'anthropic.claude-v2',
  'claude3.5sonnetv2': 'anthropic.claude-3-5-sonnet-20241022',
  'claude3.5sonnet': 'anthropic.claude-3-5-sonnet-20240620',
  'claude3.7sonnet': 'anthropic.claude-3-7-sonnet-20250219',
  novamicro: 'amazon.nova-micro',
  novalite: 'amazon.nova-lite',
  novapro: 'amazon.nova-pro',
  novapremier: 'amazon.nova-premier',
  'nova2.0lite': 'amazon.nova-2-lite',
  nova2lite: 'amazon.nova-2-lite',
  titantextg1lite: 'amazon.titan-text-lite',
  titantextg1express: 'amazon.titan-text-express',
  titantextpremier: 'amazon.titan-text-premier',
  titanembeddingv2text: 'amazon.titan-embed-text-v2',
  titanembeddingsg1text: 'amazon.titan-embed-text',
  mistralsmall: 'mistral.mistral-small-2402',
  mistrallarge: 'mistral.mistral-large-2402',
  mixtral8x7b: 'mistral.mixtral-8x7b-instruct-v0',
  mistral7b: 'mistral.mistral-7b-instruct-v0',
  gptoss120b: 'openai.gpt-oss-120b',
  gptoss20b: 'openai.gpt-oss-20b',
  gptosssafeguard120b: 'openai.gpt-oss-safeguard-120b',
  gptosssafeguard20b: 'openai.gpt-oss-safeguard-20b',
  r1: 'deepseek.r1',
  deepseekr1: 'deepseek.r1',
  commandr: 'cohere.command-r',
  commandrplus: 'cohere.command-r-plus',
};

/**
 * The Bedrock model id a usage-type model name stands for, or undefined when it is not
 * one we know; the caller then keeps the usage-type spelling (priced as unpriced).
 */
export function bedrockModelId(modelName: string): string | undefined {
  const key = modelName.trim().toLowerCase().replace(/[\s_]+/g, '');
  // "Mantle" usage types already carry the model id ("qwen.qwen3-32b").
  if (/^[a-z][a-z0-9]*\.[a-z][a-z0-9.-]*$/.test(key)) return key;
  const compact = key.replace(/-/g, '');
  const named = NAMED[compact];
  if (named) return named;
  // Claude: "Claude3Haiku", "Claude4.5Sonnet", "ClaudeSonnet4.5" (Marketplace product names).
  const claude = /^claude(\d(?:\.\d)?)(sonnet|opus|haiku)$/.exec(compact) ?? /^claude(sonnet|opus|haiku)(\d(?:\.\d)?)$/.exec(compact);
  if (claude) {
    const [version, family] = /\d/.test(claude[1]!) ? [claude[1]!, claude[2]!] : [claude[2]!, claude[1]!];
    const v = version.replace('.', '-');
    return Number(version) < 4 ? `anthropic.claude-${v}-${family}` : `anthropic.claude-${family}-${v}`;
  }
  // Llama: "Llama3-3-70B", "Llama3.1-8B", "Llama4-Maverick-17B".
  const llama = /^llama(\d)(?:[.-](\d))?-?(maverick|scout)?-?(\d+b)(?:-?instruct)?$/.exec(key);
  if (llama) {
    const [, major, minor, variant, size] = llama;
    return variant ? `meta.llama${major}-${variant}-${size}-instruct` : `meta.llama${major}${minor ? `-${minor}` : ''}-${size}-instruct`;
  }
  const qwen = /^qwen(\d)-?(.*)$/.exec(key);
  if (qwen) return `qwen.qwen${qwen[1]}-${qwen[2]}`.replace(/-$/, '');
  const gemma = /^gemma-?(\d)-?(\d+b)-?it$/.exec(key);
  if (gemma) return `google.gemma-${gemma[1]}-${gemma[2]}-it`;
  return undefined;
}
