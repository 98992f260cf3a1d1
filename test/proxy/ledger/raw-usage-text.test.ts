// A row's raw_usage is written around its values (attempt-entry.ts rawUsageText): it must be
// exactly the text stringifying the object gives, every optional part and escape included.
import { describe, expect, it } from 'vitest';
import { rawUsageText, type AttemptCost, type AttemptOutcome } from '../../../src/proxy/ledger/attempt-entry.js';
import type { PromptFeatures } from '../../../src/proxy/request/prompt-features.js';

function asObject(o: AttemptOutcome, cost: AttemptCost, prompt: PromptFeatures): Record<string, unknown> {
  const raw: Record<string, unknown> = {
    usage: o.usage?.raw ?? null,
    usage_source: cost.source,
    endpoint: o.endpoint,
    upstream: o.upstream.name,
    stream: o.stream,
    prompt: { chars: prompt.chars, has_code: prompt.hasCode, messages: prompt.messages, ...(prompt.text !== undefined ? { text: prompt.text } : {}) },
    output_chars: o.outputChars,
  };
  if (o.routing !== undefined) raw.routing = o.routing;
  return raw;
}

describe('rawUsageText', () => {
  const usages = [
    undefined,
    { reported: { input: 1, output: 2 }, raw: { prompt_tokens: 1200, completion_tokens: 80, prompt_tokens_details: { cached_tokens: 1024 }, note: 'ünïcode "q" \\ \u2028 😀' }, complete: true },
    { reported: { input: 1, output: 2 }, raw: [{ input_tokens: 5 }, { output_tokens: 7 }], complete: false },
    { reported: { input: 1, output: 2 }, raw: undefined, complete: true },
  ];
  const prompts: PromptFeatures[] = [
    { hash: 'h', chars: 2135, hasCode: false, messages: 2 },
    { hash: 'h', chars: 0, hasCode: true, messages: 0, text: 'line one\nline "two" \\ \u0000 ☃' },
    { hash: 'h', chars: 12, hasCode: false, messages: 1, text: '' },
  ];
  it.each(usages.flatMap((usage) => prompts.flatMap((prompt) => [undefined, { decision: 'x', scores: [0.5, 1e-7], note: 'é' }].flatMap((routing) => [true, false].map((stream) => [usage, prompt, routing, stream] as const)))))(
    'usage %# as JSON.stringify writes it',
    (usage, prompt, routing, stream) => {
      const o = { usage, endpoint: '/v1/chat/completions', upstream: { name: 'open"ai' }, stream, outputChars: 31, routing } as unknown as AttemptOutcome;
      for (const source of ['reported', 'partial', 'estimated', 'none'] as const) {
        const cost = { source } as AttemptCost;
        expect(rawUsageText(o, cost, prompt)).toBe(JSON.stringify(asObject(o, cost, prompt)));
      }
    },
  );
});
