// `llmfin pricing cost` against the bundled catalogue: the ten worked examples of
// research/pricing.md §7, then further cases hand-computed from the providers' list
// prices (pricing.md §3–4, or the raw per-token values in the source datasets where the
// research table has no row). Each expectation is written out as arithmetic in the comment.
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

interface Case {
  name: string;
  args: string[];
  usd: string;
  model?: string;
}

const WORKED: Case[] = [
  // 86×2.5 + 1,920×1.25 + 300×10
  { name: '1 gpt-4o cached tokens once', args: ['--model', 'gpt-4o', '--input', '2006', '--cache-read', '1920', '--output', '300'], usd: '0.005615' },
  // 3×3 + 12,304×3.75 + 550×15
  { name: '2 Claude 3.7 Sonnet cache write', args: ['--model', 'claude-3-7-sonnet-20250219', '--input', '3', '--cache-write-5m', '12304', '--output', '550'], usd: '0.054399' },
  // > 200K: 5,005×2.5 + 257,955×0.25 + 1,744×15
  { name: '3 Gemini 2.5 Pro long context with cache', args: ['--model', 'gemini-2.5-pro', '--input', '262960', '--cache-read', '257955', '--output', '1744'], usd: '0.10316125' },
  // 250,000×6 + 1,000×22.5
  { name: '4a Sonnet 4.5 whole request at tier', args: ['--model', 'claude-sonnet-4-5', '--input', '250000', '--output', '1000'], usd: '1.5225' },
  // exactly 200,000: 200,000×3 + 1,000×15
  { name: '4b Sonnet 4.5 at the threshold', args: ['--model', 'claude-sonnet-4-5', '--input', '200000', '--output', '1000'], usd: '0.615' },
  // 210,000 total > 200K: 150,000×6 + 60,000×0.6 + 1,000×22.5
  { name: '4c Sonnet 4.5 cache reads count toward the tier', args: ['--model', 'claude-sonnet-4-5', '--input', '150000', '--cache-read', '60000', '--output', '1000'], usd: '0.9585' },
  // 344,139×10
  { name: '5 Opus 5 one-hour writes', args: ['--model', 'claude-opus-5', '--cache-write-1h', '344139'], usd: '3.44139' },
  // 14,746×30 + 1,944×180 (reasoning inside output)
  { name: '6 gpt-5.4-pro reasoning not added twice', args: ['--model', 'gpt-5.4-pro', '--input', '14746', '--output', '1944', '--reasoning', '1360'], usd: '0.7923' },
  // 1M×3 + 1M×15
  { name: '7a Bedrock Sonnet 4.6 global', args: ['--model', 'global.anthropic.claude-sonnet-4-6', '--input', '1000000', '--output', '1000000'], usd: '18' },
  // 1M×3.3 + 1M×16.5
  { name: '7b Bedrock Sonnet 4.6 us. profile', args: ['--model', 'us.anthropic.claude-sonnet-4-6', '--input', '1000000', '--output', '1000000'], usd: '19.8' },
  { name: '7c Bedrock Sonnet 4.6 bare in-region id', args: ['--provider', 'bedrock', '--model', 'anthropic.claude-sonnet-4-6', '--input', '1000000', '--output', '1000000'], usd: '19.8' },
  // (150 + 8,000)×10
  { name: '8 Gemini thoughts billed as output', args: ['--model', 'gemini-2.5-pro', '--output', '150', '--reasoning', '8000'], usd: '0.0815' },
  // 100,000×2.5 + 10,000×15
  { name: '9a GPT-5.6 Terra before the cut', args: ['--model', 'gpt-5.6-terra', '--input', '100000', '--output', '10000', '--at', '2026-07-29'], usd: '0.4' },
  // 100,000×2 + 10,000×12
  { name: '9b GPT-5.6 Terra after the cut', args: ['--model', 'gpt-5.6-terra', '--input', '100000', '--output', '10000', '--at', '2026-07-30'], usd: '0.32' },
  // > 272K: 300,000×5 + 2,000×22.5
  { name: '10 GPT-5.4 long context', args: ['--model', 'gpt-5.4', '--input', '300000', '--output', '2000'], usd: '1.545' },
];

const AT = ['--at', '2026-10-15T12:00:00Z'];
const FURTHER: Case[] = [
  // OpenAI
  { name: 'gpt-5 cache', args: ['--model', 'gpt-5', '--input', '10000', '--cache-read', '4000', '--output', '2000'], usd: '0.028' }, // 6000×1.25 + 4000×0.125 + 2000×10
  { name: 'gpt-5 flex', args: ['--model', 'gpt-5', '--input', '10000', '--cache-read', '4000', '--output', '2000', '--service-tier', 'flex'], usd: '0.014' }, // half of the above
  { name: 'gpt-5 priority', args: ['--model', 'gpt-5', '--input', '10000', '--cache-read', '4000', '--output', '2000', '--service-tier', 'priority'], usd: '0.056' }, // 6000×2.5 + 4000×0.25 + 2000×20
  { name: 'gpt-5-mini', args: ['--model', 'gpt-5-mini', '--input', '1000000', '--output', '100000'], usd: '0.45' }, // 0.25 + 0.1×2
  { name: 'gpt-5-nano', args: ['--model', 'gpt-5-nano', '--input', '2000000', '--output', '500000'], usd: '0.3' }, // 2×0.05 + 0.5×0.4
  { name: 'gpt-4.1 batch', args: ['--model', 'gpt-4.1', '--input', '1000000', '--output', '1000000', '--service-tier', 'batch'], usd: '5' }, // 1 + 4
  { name: 'gpt-4.1-mini cache', args: ['--model', 'gpt-4.1-mini', '--input', '500000', '--cache-read', '200000', '--output', '50000'], usd: '0.22' }, // 300k×0.4 + 200k×0.1 + 50k×1.6
  { name: 'gpt-4.1-nano', args: ['--model', 'gpt-4.1-nano', '--input', '1000000', '--output', '1000000'], usd: '0.5' }, // 0.1 + 0.4
  { name: 'gpt-4o-mini small request', args: ['--model', 'gpt-4o-mini', '--input', '1000', '--output', '1000'], usd: '0.00075' }, // 1000×0.15 + 1000×0.6
  { name: 'gpt-4o batch', args: ['--model', 'gpt-4o', '--input', '1000000', '--output', '1000000', '--service-tier', 'batch'], usd: '6.25' }, // 1.25 + 5
  { name: 'gpt-4o dated snapshot', args: ['--model', 'gpt-4o-2024-08-06', '--input', '1000000', '--output', '1000000'], usd: '12.5' }, // 2.5 + 10
  { name: 'gpt-4o-2024-05-13 has its own price', args: ['--model', 'gpt-4o-2024-05-13', '--input', '1000000', '--output', '1000000'], usd: '20' }, // 5 + 15
  { name: 'openai/ prefix', args: ['--model', 'openai/gpt-4.1-mini', '--input', '1000000'], usd: '0.4' },
  { name: 'o3 before its cut', args: ['--model', 'o3', '--input', '1000', '--output', '1000', '--at', '2025-06-01'], usd: '0.05' }, // 1000×10 + 1000×40
  { name: 'o3 after its cut', args: ['--model', 'o3', '--input', '1000', '--output', '1000', '--at', '2025-07-01'], usd: '0.01' }, // 1000×2 + 1000×8
  { name: 'o4-mini cache', args: ['--model', 'o4-mini', '--input', '100000', '--cache-read', '40000', '--output', '10000'], usd: '0.121' }, // 60k×1.1 + 40k×0.275 + 10k×4.4
  { name: 'gpt-5.4 EU data residency', args: ['--model', 'gpt-5.4', '--input', '100000', '--output', '10000', '--region', 'eu'], usd: '0.44' }, // (100k×2.5 + 10k×15)×1.1
  { name: 'gpt-5 batch costs what its flex does', args: ['--model', 'gpt-5', '--input', '1000000', '--cache-read', '200000', '--output', '100000', '--service-tier', 'batch'], usd: '1.0125' }, // 800k×0.625 + 200k×0.0625 + 100k×5 = 0.5 + 0.0125 + 0.5
  { name: 'o4-mini batch', args: ['--model', 'o4-mini', '--input', '1000000', '--output', '100000', '--service-tier', 'batch'], usd: '0.77' }, // 1M×0.55 + 100k×2.2
  { name: 'gpt-5.4 flex', args: ['--model', 'gpt-5.4', '--input', '100000', '--cache-read', '50000', '--output', '1000', '--service-tier', 'flex'], usd: '0.07625' }, // 50k×1.25 + 50k×0.125 + 1k×7.5
  { name: 'gpt-5.4 flex keeps the long-context tier', args: ['--model', 'gpt-5.4', '--input', '300000', '--cache-read', '100000', '--output', '2000', '--service-tier', 'flex'], usd: '0.5475' }, // > 272K, half the tier: 200k×2.5 + 100k×0.25 + 2k×11.25
  { name: 'gpt-5.4 at exactly 272K stays base', args: ['--model', 'gpt-5.4', '--input', '272000'], usd: '0.68' }, // 272k×2.5
  { name: 'gpt-5.6-luna before its cut', args: ['--model', 'gpt-5.6-luna', '--input', '100000', '--output', '10000', '--at', '2026-07-01'], usd: '0.16' }, // 100k×1 + 10k×6
  { name: 'gpt-5.6-luna after its cut', args: ['--model', 'gpt-5.6-luna-2026-07-09', '--input', '100000', '--output', '10000', '--at', '2026-08-01'], usd: '0.032' }, // 100k×0.2 + 10k×1.2
  { name: 'gpt-5.6-luna long context', args: ['--model', 'gpt-5.6-luna', '--input', '1000000', '--output', '100000', '--at', '2026-08-01'], usd: '0.58' }, // > 272K: 1M×0.4 + 100k×1.8
  { name: 'gpt-5.6-sol cache write 1.25x', args: ['--model', 'gpt-5.6-sol', '--input', '100000', '--cache-write-5m', '20000', '--output', '1000'], usd: '0.555' }, // 80k×5 + 20k×6.25 + 1k×30
  // Anthropic
  { name: 'opus 4.1', args: ['--model', 'claude-opus-4-1', '--input', '1000', '--output', '1000'], usd: '0.09' }, // 1000×15 + 1000×75
  { name: 'opus 4.1 5m write', args: ['--model', 'claude-opus-4-1', '--cache-write-5m', '10000'], usd: '0.1875' }, // 10k×18.75
  { name: 'haiku 4.5 every bucket', args: ['--model', 'claude-haiku-4-5', '--input', '2000', '--cache-read', '50000', '--cache-write-5m', '3000', '--cache-write-1h', '1000', '--output', '500'], usd: '0.01525' }, // 2000×1 + 50k×0.1 + 3000×1.25 + 1000×2 + 500×5
  // 1,000,100 total input > 200K, so the tier: 100×6 + 1,000,000×12 (1h write = 2× the tier input) + 1,000×22.5
  { name: 'sonnet 4.5 1h writes push the request to the long-context tier', args: ['--model', 'claude-sonnet-4-5', '--input', '100', '--cache-write-1h', '1000000', '--output', '1000'], usd: '12.0231' },
  // the same at batch, half of every tier rate: 100×3 + 1,000,000×6 + 1,000×11.25
  { name: 'sonnet 4.5 long context at batch', args: ['--model', 'claude-sonnet-4-5', '--input', '100', '--cache-write-1h', '1000000', '--output', '1000', '--service-tier', 'batch'], usd: '6.01155' },
  { name: 'haiku 4.5 batch keeps cache discounts', args: ['--model', 'claude-haiku-4-5', '--input', '2000', '--cache-read', '50000', '--cache-write-5m', '3000', '--cache-write-1h', '1000', '--output', '500', '--service-tier', 'batch'], usd: '0.007625' },
  { name: 'opus 4.6 US-only inference', args: ['--model', 'claude-opus-4-6', '--input', '100000', '--region', 'us'], usd: '0.55' }, // 100k×5×1.1
  { name: 'sonnet 5 introductory price', args: ['--model', 'claude-sonnet-5', '--input', '1000000', '--at', '2026-08-15'], usd: '2' },
  { name: 'sonnet 5 after the introduction', args: ['--model', 'claude-sonnet-5', '--input', '1000000', '--at', '2026-09-01'], usd: '3' },
  { name: 'opus 4.6 flat 1M after 2026-03-13', args: ['--model', 'claude-opus-4-6', '--input', '250000', '--at', '2026-04-01'], usd: '1.25' }, // 250k×5, no surcharge
  { name: 'opus 4.7 fast mode 6x', args: ['--model', 'claude-opus-4-7', '--input', '1000', '--output', '1000', '--service-tier', 'fast'], usd: '0.18' }, // (1000×5 + 1000×25)×6
  { name: 'opus 5 fast mode 2x', args: ['--model', 'claude-opus-5', '--input', '1000', '--output', '1000', '--service-tier', 'fast'], usd: '0.06' },
  { name: 'dated sonnet 4.5', args: ['--model', 'claude-sonnet-4-5-20250929', '--input', '1000'], usd: '0.003' },
  { name: 'claude 3 haiku 1h write corrected', args: ['--model', 'claude-3-haiku-20240307', '--cache-write-1h', '100000'], usd: '0.05' }, // 100k×0.50, not 6.0
  { name: 'claude 3 opus 1h write corrected', args: ['--model', 'claude-3-opus-20240229', '--cache-write-1h', '10000'], usd: '0.3' }, // 10k×30
  { name: 'dotted anthropic id with prefix', args: ['--model', 'anthropic/claude-haiku-4.5', '--input', '1000000'], usd: '1' },
  // Google
  { name: 'gemini 2.5 flash with thoughts', args: ['--model', 'gemini-2.5-flash', '--input', '10000', '--cache-read', '4000', '--output', '1000', '--reasoning', '500'], usd: '0.00567' }, // 6000×0.3 + 4000×0.03 + 1500×2.5
  { name: 'gemini 2.5 flash-lite', args: ['--model', 'gemini-2.5-flash-lite', '--input', '1000000', '--output', '1000000'], usd: '0.5' },
  { name: 'gemini 2.5 pro at exactly 200K', args: ['--model', 'gemini-2.5-pro', '--input', '200000'], usd: '0.25' }, // 200k×1.25
  { name: 'gemini 3.1 pro long context', args: ['--model', 'gemini-3.1-pro-preview', '--input', '300000', '--output', '1000'], usd: '1.218' }, // 300k×4 + 1k×18
  { name: 'gemini 3.1 pro batch', args: ['--model', 'gemini-3.1-pro-preview', '--input', '100000', '--output', '1000', '--service-tier', 'batch'], usd: '0.106' }, // 100k×1 + 1k×6
  { name: 'gemini 3.6 flash introductory', args: ['--model', 'gemini-3.6-flash', '--input', '1000000', '--output', '1000000', '--at', '2026-11-01'], usd: '4.5' }, // 0.75 + 3.75
  { name: 'gemini API resource name', args: ['--model', 'models/gemini-2.5-flash-lite', '--input', '1000000'], usd: '0.1' },
  // Bedrock
  { name: 'bedrock opus 4.5 global', args: ['--model', 'global.anthropic.claude-opus-4-5-20251101-v1:0', '--input', '1000000'], usd: '5' },
  { name: 'bedrock opus 4.5 regional', args: ['--model', 'us.anthropic.claude-opus-4-5-20251101-v1:0', '--input', '1000000'], usd: '5.5' },
  { name: 'bedrock llama 3.3 70b', args: ['--model', 'meta.llama3-3-70b-instruct-v1:0', '--input', '1000000', '--output', '1000000'], usd: '1.44' }, // 0.72 + 0.72
  { name: 'bedrock ARN', args: ['--model', 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6', '--input', '1000000'], usd: '3.3' },
  // A us-gov region lists its own rates (3.6/18, not one multiple of the regional 3.3/16.5): they scale with the tier.
  { name: 'bedrock sonnet 4.5 us-gov region', args: ['--model', 'bedrock/us-gov-east-1/anthropic.claude-sonnet-4-5-20250929-v1:0', '--input', '100000', '--output', '1000'], usd: '0.378' }, // 100k×3.6 + 1k×18
  { name: 'bedrock sonnet 4.5 us-gov region long context', args: ['--model', 'bedrock/us-gov-east-1/anthropic.claude-sonnet-4-5-20250929-v1:0', '--input', '300000', '--output', '1000'], usd: '2.187' }, // > 200K, LiteLLM us-gov. tier: 300k×7.2 + 1k×27
  { name: 'bedrock nova pro', args: ['--model', 'amazon.nova-pro-v1:0', '--input', '1000000', '--output', '1000000'], usd: '4' }, // 0.8 + 3.2
  // Azure
  { name: 'azure gpt-5.1 global standard', args: ['--model', 'azure/gpt-5.1', '--input', '1000000'], usd: '1.25' },
  { name: 'azure gpt-5.1 EU data zone (1.38 corrected)', args: ['--model', 'azure/eu/gpt-5.1', '--input', '1000000'], usd: '1.375' }, // 1.25×1.1
  { name: 'azure gpt-5.4 EU data zone cache read (0.28 corrected)', args: ['--model', 'azure/eu/gpt-5.4', '--input', '100000', '--cache-read', '40000', '--output', '1000'], usd: '0.1925' }, // 60k×2.75 + 40k×0.275 + 1k×16.5
  // Others
  { name: 'mistral large latest', args: ['--model', 'mistral/mistral-large-latest', '--input', '1000000', '--output', '1000000'], usd: '2' }, // 0.5 + 1.5
  { name: 'deepseek chat cache hit', args: ['--model', 'deepseek-chat', '--input', '1000000', '--cache-read', '500000', '--output', '1000000', ...AT], usd: '0.574' }, // 500k×0.28 + 500k×0.028 + 1M×0.42
  { name: 'deepseek v4 pro all cached', args: ['--model', 'deepseek-v4-pro', '--input', '1000000', '--cache-read', '1000000'], usd: '0.003625' },
  { name: 'xai grok-4', args: ['--model', 'xai/grok-4', '--input', '100000', '--output', '10000'], usd: '0.45' }, // 100k×3 + 10k×15 (below its 128K tier)
  { name: 'xai tier is inclusive (>=)', args: ['--model', 'grok-4-fast-reasoning', '--input', '128000'], usd: '0.0512' }, // 128k×0.4
  { name: 'xai just below the tier', args: ['--model', 'grok-4-fast-reasoning', '--input', '127999'], usd: '0.0255998' }, // 127,999×0.2
  { name: 'groq llama 3.3 70b', args: ['--provider', 'groq', '--model', 'llama-3.3-70b-versatile', '--input', '1000000', '--output', '1000000'], usd: '1.38' }, // 0.59 + 0.79
  { name: 'groq gpt-oss-120b', args: ['--provider', 'groq', '--model', 'openai/gpt-oss-120b', '--input', '1000000', '--output', '1000000'], usd: '0.75' }, // 0.15 + 0.6
  { name: 'together llama 3.3 70b', args: ['--provider', 'together', '--model', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', '--input', '1000000', '--output', '1000000'], usd: '1.76' },
  { name: 'fireworks llama 3.1 8b', args: ['--provider', 'fireworks', '--model', 'accounts/fireworks/models/llama-v3p1-8b-instruct', '--input', '1000000', '--output', '1000000'], usd: '0.4' }, // 0.2 + 0.2 (Fireworks' 4B–16B band; genai-prices, LiteLLM's 0.1 is stale)
];

const cwd = tempDir();
async function costOf(args: string[]): Promise<{ cost_usd: number; cost_usd_exact: string; matched_model: string }> {
  const r = await runCli(['pricing', 'cost', ...args, '--format', 'json'], { cwd });
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('pricing cost: the ten worked examples (pricing.md §7)', () => {
  it.each(WORKED)('$name → $usd', async ({ args, usd }) => {
    const json = await costOf(args);
    expect(json.cost_usd_exact).toBe(usd);
    expect(json.cost_usd).toBe(Number(usd));
  });
});

describe(`pricing cost: ${FURTHER.length} further hand-computed cases`, () => {
  it.each(FURTHER)('$name → $usd', async ({ args, usd }) => {
    expect((await costOf(args)).cost_usd_exact).toBe(usd);
  });
});

describe('pricing cost: bad input', () => {
  it('an unknown model is exit 2 "unpriced model", never $0', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-9-imaginary', '--input', '100', '--format', 'json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unpriced model: no model "gpt-9-imaginary"');
  });
  it('a malformed --at is exit 2 naming the option and the expected form', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '1', '--at', 'yesterday'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--at: expected an ISO 8601 date or UTC time such as 2026-07-30 or 2026-07-30T12:00:00Z, got "yesterday"');
  });
  it('an impossible date is rejected too', async () => {
    expect((await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--at', '2026-13-45'], { cwd })).code).toBe(2);
  });
  it('a token count that is not a whole number is exit 2', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '1.5'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--input: expected a whole number of tokens >= 0, got "1.5"');
    for (const bad of ['-5', '1e3', '0x10', '']) {
      expect((await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--cache-read', bad], { cwd })).stderr).toContain(`--cache-read: expected a whole number of tokens >= 0, got "${bad}"`);
    }
    // --requests counts requests, not tokens.
    const requests = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '1', '--requests', '-1'], { cwd });
    expect(requests.code).toBe(2);
    expect(requests.stderr).toContain('--requests: expected a whole number of requests >= 0, got "-1"');
  });
  it('cached tokens above the reported input are refused with the reason, as counts that do not add up, not an unknown model', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '10', '--cache-read', '20'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('llmfin: error: the token counts do not add up: input (10) is smaller than');
    expect(r.stderr).toContain('--uncached-input gives the uncached part alone');
    expect(r.stderr).not.toContain('unpriced model');
    expect(r.stderr).not.toContain('pricing.custom_models');
  });
  it('reasoning above output is refused the same way', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'o3', '--input', '10', '--output', '5', '--reasoning', '50'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the token counts do not add up: reasoning (50) exceeds output (5)');
    expect(r.stderr).toContain('--output includes --reasoning');
  });
  it('an unknown model with a near miss in the catalogue suggests it, and never a different version', async () => {
    const typo = await runCli(['pricing', 'cost', '--model', 'claude-sonet-4-5', '--input', '1'], { cwd });
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain('unpriced model: no model "claude-sonet-4-5"');
    expect(typo.stderr).toContain('hint: did you mean claude-sonnet-4-5? Or check the id with `llmfin pricing list --search TEXT`');
    const inProvider = await runCli(['pricing', 'cost', '--provider', 'bedrock', '--model', 'anthropic.claude-sonet-4-6', '--input', '1'], { cwd });
    expect(inProvider.stderr).toContain('did you mean anthropic.claude-sonnet-4-6?');
    // gpt-9 is not a typo of gpt-5: a new model is not pointed at an old one's price.
    const unknown = await runCli(['pricing', 'cost', '--model', 'gpt-9', '--input', '1'], { cwd });
    expect(unknown.stderr).toContain('hint: check the id with `llmfin pricing list --search TEXT`');
    expect(unknown.stderr).not.toContain('did you mean');
    const show = await runCli(['pricing', 'show', 'gemini-2.5-flsh'], { cwd });
    expect(show.code).toBe(2);
    expect(show.stderr).toContain('hint: did you mean gemini-2.5-flash? Or search with');
  });
  it('an --offering the model is not sold under is refused, not priced at the one it has', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '1000000', '--offering', 'global'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--offering: openai/gpt-4o has no "global" offering (known: default)');
    // The offering it has is accepted by name; Bedrock's two offerings as before.
    expect((await costOf(['--model', 'gpt-4o', '--input', '1000000', '--offering', 'default'])).cost_usd_exact).toBe('2.5');
    expect((await costOf(['--provider', 'bedrock', '--model', 'anthropic.claude-sonnet-4-6', '--input', '1000000', '--offering', 'global'])).cost_usd_exact).toBe('3');
  });
  it('a cache write the model has no price for is billed at the rate it falls back to, and the note names that rate', async () => {
    // gpt-4o has neither cache-write rate: 1h falls back to 5m, which falls back to input. 500×2.5 + 500×2.5
    const r = await costOf(['--model', 'gpt-4o', '--input', '1000', '--cache-write-1h', '500']);
    expect(r.cost_usd_exact).toBe('0.0025');
    expect((r as unknown as { notes: string[] }).notes).toEqual(['no cache_write_1h price; 500 tokens billed at the input rate']);
    // claude-3-5-sonnet on Bedrock has a 5m rate and no 1h one: 100,000×3.75
    const bedrock = await costOf(['--provider', 'bedrock', '--model', 'anthropic.claude-3-5-sonnet-20240620', '--cache-write-1h', '100000']);
    expect(bedrock.cost_usd_exact).toBe('0.375');
    expect((bedrock as unknown as { notes: string[] }).notes).toEqual(['no cache_write_1h price; 100000 tokens billed at the cache_write_5m rate']);
  });
  it('a service tier the model has no price for is refused, pointing at the prices it has', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'claude-opus-4-1', '--input', '1', '--service-tier', 'flex'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no "flex" service-tier price/);
    expect(r.stderr).toContain('hint: see the prices this model has with `llmfin pricing show claude-opus-4-1`');
  });
});
