/**
 * Parses a LiteLLM key into the id a caller sends and the offering it prices. LiteLLM
 * encodes regions and deployment types in the key, not in fields: `bedrock/eu-west-1/…`,
 * `us.anthropic.…`, `global.anthropic.…`, `azure/eu/…`, `vertex_ai/…@20250929`. The
 * resolver strips the same prefixes (src/pricing/resolve-model.ts), so the id kept here
 * is what a stripped request id will look like.
 */
import { LITELLM_KEY_PREFIXES } from './provider-map.js';

export interface ParsedLitellmKey {
  id: string;
  spellings: string[];
  scope: string;
  geoPrefix?: string | undefined;
  awsRegion?: string | undefined;
  /** Lower is preferred when two keys give the same id and scope different prices. */
  rank: number;
}

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const BEDROCK_GEO = /^(us-gov|us|eu|apac|jp|au|ca|global)\.(?=[a-z0-9-]+\.)/;
/**
 * Bedrock revision suffixes: "-v1:0", a "-v2:0" after a date (Claude 3.5 Sonnet v2),
 * ":0", and a bare "-v1" on the newest ids. "-v2:0" after a name is part of the model
 * ("amazon.titan-embed-text-v2:0" is not "…-text-v1"), so only its ":0" goes.
 */
const BEDROCK_REVISION = [/-v1:\d+$/, /(?<=\d{8})-v\d+:\d+$/, /:\d+$/, /-v1$/];

/** Keys that are not models: LiteLLM's size-bucket fallbacks for Together and Fireworks. */
const PSEUDO_KEYS = /^(together-ai|fireworks-ai)-/;

export function parseLitellmKey(provider: string, key: string): ParsedLitellmKey | undefined {
  if (PSEUDO_KEYS.test(key)) return undefined;
  const parsed =
    provider === 'bedrock' ? parseBedrock(key) : provider === 'azure' ? parseAzure(key) : provider === 'vertex' ? parseVertex(key) : parseGeneric(provider, key);
  // A key ending in "/" ("fireworks_ai/accounts/fireworks/models/") names no model.
  return parsed && parsed.id.length > 0 ? parsed : undefined;
}

function stripKnownPrefix(key: string): { rest: string; prefixed: boolean } {
  const slash = key.indexOf('/');
  if (slash > 0 && LITELLM_KEY_PREFIXES.includes(key.slice(0, slash))) return { rest: key.slice(slash + 1), prefixed: true };
  return { rest: key, prefixed: false };
}

function parseGeneric(provider: string, key: string): ParsedLitellmKey {
  const { rest, prefixed } = stripKnownPrefix(key);
  // Fireworks paths ("accounts/fireworks/models/deepseek-v3") are known by their last segment.
  if (provider === 'fireworks' && rest.startsWith('accounts/')) {
    return { id: rest.slice(rest.lastIndexOf('/') + 1), spellings: [rest], scope: 'default', rank: prefixed ? 0 : 1 };
  }
  // A prefixed key is LiteLLM's canonical entry for the provider; a bare duplicate ranks after it.
  return { id: rest, spellings: [], scope: 'default', rank: prefixed ? 0 : 1 };
}

export function stripBedrockRevision(id: string): string {
  for (const re of BEDROCK_REVISION) {
    if (re.test(id)) return id.replace(re, '');
  }
  return id;
}

function parseBedrock(key: string): ParsedLitellmKey | undefined {
  let rest = key;
  let awsRegion: string | undefined;
  let rank = 0;
  // The Mantle (OpenAI-compatible) endpoint restates Converse prices; Converse wins a tie.
  if (rest.startsWith('bedrock_mantle/')) {
    rest = rest.slice('bedrock_mantle/'.length);
    rank = 1;
  }
  if (rest.startsWith('bedrock/')) {
    rest = rest.slice('bedrock/'.length);
    const [head, ...tail] = rest.split('/');
    if (head && tail.length > 0 && AWS_REGION.test(head)) {
      awsRegion = head;
      rest = tail.join('/');
    } else if (head === 'invoke') {
      rest = tail.join('/');
    }
    rank = 1;
  }
  // Provisioned throughput (per model-unit hour) has no per-token price.
  if (rest.includes('commitment/') || rest.includes('/')) return undefined;
  let geoPrefix: string | undefined;
  const geo = BEDROCK_GEO.exec(rest);
  if (geo) {
    geoPrefix = geo[1];
    rest = rest.slice(geo[0].length);
  }
  const spellings = new Set<string>([rest]);
  const at = rest.indexOf('@');
  if (at !== -1) rest = rest.slice(0, at);
  const id = stripBedrockRevision(rest);
  spellings.delete(id);
  return { id, spellings: [...spellings], scope: geoPrefix === 'global' ? 'global' : 'regional', geoPrefix, awsRegion, rank };
}

function parseAzure(key: string): ParsedLitellmKey {
  const m = /^azure\/(eu|us|global|global-standard)\/(.+)$/.exec(key);
  if (m) return { id: m[2]!, spellings: [], scope: m[1] === 'eu' || m[1] === 'us' ? m[1] : 'global', rank: 0 };
  // Plain `azure/x` is LiteLLM's Global Standard price; `azure_ai/x` is AI Foundry serverless.
  const rest = key.startsWith('azure/') ? key.slice('azure/'.length) : stripKnownPrefix(key).rest;
  return { id: rest, spellings: [], scope: 'global', rank: key.startsWith('azure_ai/') ? 2 : 1 };
}

function parseVertex(key: string): ParsedLitellmKey {
  const { rest, prefixed } = stripKnownPrefix(key);
  const at = rest.indexOf('@');
  const id = at === -1 ? rest : rest.slice(0, at);
  const version = at === -1 ? undefined : rest.slice(at + 1);
  // No version beats "@latest"/"@default", which beat a pinned "@2407".
  const rank = (version === undefined ? 0 : version === 'latest' || version === 'default' ? 2 : 4) + (prefixed ? 0 : 1);
  return { id, spellings: [], scope: 'default', rank };
}
