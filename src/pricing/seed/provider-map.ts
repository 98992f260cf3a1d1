/**
 * Which provider file each dataset entry belongs to. LiteLLM names providers by SDK
 * route (`bedrock_converse`, `vertex_ai-anthropic_models`, `azure_ai`), genai-prices by
 * vendor (`aws`, `x-ai`, `google` for both AI Studio and Vertex); llmfin has one file
 * per billing relationship (`bedrock`, `vertex`, `azure`, …). This module holds that
 * mapping plus each provider's display name, usage convention and spellings, so that
 * the rest of the seed never hard-codes a provider name.
 */
import type { UsageConvention } from '../catalogue-schema.js';
import { CACHE_OUTSIDE_INPUT, LEDGER_CONVENTION } from '../token-usage.js';

export interface ProviderInfo {
  id: string;
  name: string;
  convention: UsageConvention;
  aliases: string[];
  /** Offering scopes in the order they are written; the first is the default. */
  scopeOrder: string[];
}

const OPENAI_STYLE = LEDGER_CONVENTION;
const ANTHROPIC_STYLE = CACHE_OUTSIDE_INPUT;
const GEMINI_STYLE: UsageConvention = { input_includes_cache: true, output_includes_reasoning: false };

const info = (id: string, name: string, convention: UsageConvention, aliases: string[], scopeOrder = ['default']): ProviderInfo => ({
  id,
  name,
  convention,
  aliases,
  scopeOrder,
});

/** Every provider file the seed writes, by id. */
export const PROVIDERS: Record<string, ProviderInfo> = {
  openai: info('openai', 'OpenAI', OPENAI_STYLE, []),
  anthropic: info('anthropic', 'Anthropic', ANTHROPIC_STYLE, []),
  google: info('google', 'Google Gemini API (AI Studio)', GEMINI_STYLE, ['gemini', 'google-ai-studio', 'google_ai_studio']),
  vertex: info('vertex', 'Google Vertex AI', GEMINI_STYLE, ['vertex_ai', 'vertex-ai', 'google-vertex', 'gcp']),
  bedrock: info('bedrock', 'AWS Bedrock', ANTHROPIC_STYLE, ['aws', 'aws-bedrock', 'amazon-bedrock', 'bedrock_converse'], ['regional', 'global']),
  azure: info('azure', 'Azure OpenAI / AI Foundry', OPENAI_STYLE, ['azure-openai', 'azure_ai'], ['global', 'eu', 'us', 'regional']),
  mistral: info('mistral', 'Mistral AI', OPENAI_STYLE, ['mistralai', 'mistral-ai']),
  deepseek: info('deepseek', 'DeepSeek', OPENAI_STYLE, []),
  xai: info('xai', 'xAI', OPENAI_STYLE, ['x-ai', 'grok']),
  groq: info('groq', 'Groq', OPENAI_STYLE, []),
  together: info('together', 'Together AI', OPENAI_STYLE, ['together_ai', 'togetherai', 'together-ai']),
  fireworks: info('fireworks', 'Fireworks AI', OPENAI_STYLE, ['fireworks_ai', 'fireworks-ai']),
  cohere: info('cohere', 'Cohere', OPENAI_STYLE, ['cohere_chat']),
  cerebras: info('cerebras', 'Cerebras', OPENAI_STYLE, []),
  perplexity: info('perplexity', 'Perplexity', OPENAI_STYLE, []),
  moonshotai: info('moonshotai', 'Moonshot AI', OPENAI_STYLE, ['moonshot', 'kimi']),
};

/**
 * LiteLLM `litellm_provider` → our provider. Routes not listed (openrouter, novita,
 * vercel_ai_gateway, …) are resellers or niche hosts llmfin does not ship prices for.
 */
const LITELLM_PROVIDERS: Record<string, string> = {
  openai: 'openai',
  'text-completion-openai': 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  bedrock: 'bedrock',
  bedrock_converse: 'bedrock',
  bedrock_mantle: 'bedrock',
  azure: 'azure',
  azure_text: 'azure',
  azure_ai: 'azure',
  mistral: 'mistral',
  codestral: 'mistral',
  'text-completion-codestral': 'mistral',
  deepseek: 'deepseek',
  xai: 'xai',
  groq: 'groq',
  together_ai: 'together',
  fireworks_ai: 'fireworks',
  'fireworks_ai-embedding-models': 'fireworks',
  cohere: 'cohere',
  cohere_chat: 'cohere',
  cerebras: 'cerebras',
  perplexity: 'perplexity',
  moonshot: 'moonshotai',
};

export function litellmProviderToOurs(litellmProvider: string): string | undefined {
  if (litellmProvider.startsWith('vertex_ai')) return 'vertex';
  return LITELLM_PROVIDERS[litellmProvider];
}

/**
 * genai-prices provider → our providers. `google` covers both the Gemini API and
 * Vertex (its provider_match accepts "vertex"), so its Gemini models seed both files;
 * its `claude-*` entries are Anthropic-on-Vertex prices and go to `vertex` only.
 */
export function genaiProviderTargets(genaiProvider: string, modelId: string): string[] {
  switch (genaiProvider) {
    case 'aws':
      return ['bedrock'];
    case 'x-ai':
      return ['xai'];
    case 'google':
      return modelId.startsWith('claude') ? ['vertex'] : ['google', 'vertex'];
    case 'openai':
    case 'anthropic':
    case 'azure':
    case 'mistral':
    case 'deepseek':
    case 'groq':
    case 'together':
    case 'fireworks':
    case 'cohere':
    case 'cerebras':
    case 'perplexity':
    case 'moonshotai':
      return [genaiProvider];
    default:
      return [];
  }
}

/**
 * Heads of "head/model" ids that the resolver treats as a provider prefix and strips
 * (`openai/gpt-oss-120b` on Groq arrives as `gpt-oss-120b`), so such models also get
 * their last segment as an exact id. Organisation heads (`meta-llama/…`) are kept.
 */
export function isProviderHead(head: string): boolean {
  const h = head.toLowerCase();
  return Object.values(PROVIDERS).some((p) => p.id === h || p.aliases.includes(h));
}

/** Path prefixes LiteLLM puts in front of model ids; stripped to get the id a caller sends. */
export const LITELLM_KEY_PREFIXES = [
  'openai',
  'anthropic',
  'gemini',
  'vertex_ai',
  'bedrock_mantle',
  'azure_ai',
  'azure_text',
  'mistral',
  'codestral',
  'text-completion-codestral',
  'text-completion-openai',
  'deepseek',
  'xai',
  'groq',
  'together_ai',
  'fireworks_ai',
  'cohere',
  'cohere_chat',
  'cerebras',
  'perplexity',
  'moonshot',
];

/**
 * The convention a model needs when it differs from its provider's: Claude served by
 * Vertex or Azure Foundry reports usage the Anthropic way (input excludes cache), and
 * partner models on Vertex (Llama, Mistral, DeepSeek, gpt-oss) report the OpenAI way
 * (reasoning inside output), unlike Gemini.
 */
export function modelConventionOverride(provider: string, modelId: string): UsageConvention | undefined {
  const info = PROVIDERS[provider];
  if (!info) return undefined;
  const wanted = /claude/i.test(modelId) ? ANTHROPIC_STYLE : provider === 'vertex' && !/gemini|gemma|embedding|^text-|multimodal/i.test(modelId) ? OPENAI_STYLE : undefined;
  if (!wanted) return undefined;
  const same =
    wanted.input_includes_cache === info.convention.input_includes_cache &&
    wanted.output_includes_reasoning === info.convention.output_includes_reasoning;
  return same ? undefined : wanted;
}
