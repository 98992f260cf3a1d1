import { describe, expect, it } from 'vitest';
import { countTokens, tokenizerFor } from '../../src/check/prompt-tokens.js';

describe('tokenizerFor', () => {
  it('uses o200k for the GPT-4o generation onwards and cl100k for older OpenAI models', () => {
    for (const m of ['gpt-4o', 'gpt-4o-mini', 'openai/gpt-4o-2024-08-06', 'gpt-4.1-mini', 'gpt-5', 'o3-mini', 'o4-mini', 'gpt-oss-120b']) expect(tokenizerFor(m)).toBe('o200k_base');
    for (const m of ['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo', 'text-embedding-3-small']) expect(tokenizerFor(m)).toBe('cl100k_base');
  });

  it('approximates every other model with four characters per token', () => {
    for (const m of ['claude-sonnet-4-5', 'gemini-2.5-pro', 'mistral-large-latest']) expect(tokenizerFor(m)).toBe('chars/4');
  });
});

describe('countTokens', () => {
  // Counts verified by running gpt-tokenizer 3.4 on these exact strings.
  it('counts with the real tokenizers', async () => {
    expect(await countTokens('gpt-4o', 'Hello, world!')).toEqual({ tokens: 4, tokenizer: 'o200k_base' });
    expect(await countTokens('gpt-4o', 'You are a helpful assistant. Answer in one sentence.')).toEqual({ tokens: 11, tokenizer: 'o200k_base' });
    // o200k's larger vocabulary shows on non-English text: 13 tokens against cl100k's 20.
    expect(await countTokens('gpt-4o', 'Résumé: naïve café — 東京で会いましょう。')).toEqual({ tokens: 13, tokenizer: 'o200k_base' });
    expect(await countTokens('gpt-4', 'Résumé: naïve café — 東京で会いましょう。')).toEqual({ tokens: 20, tokenizer: 'cl100k_base' });
    expect(await countTokens('gpt-4o', "Summarize the customer's order {{order}} in three bullet points.\n")).toEqual({ tokens: 14, tokenizer: 'o200k_base' });
  });

  it('counts a special-token string in a template as text instead of failing', async () => {
    expect(await countTokens('gpt-4o', '<|endoftext|>')).toEqual({ tokens: 7, tokenizer: 'o200k_base' });
  });

  it('approximates by characters (code points), rounded up', async () => {
    expect(await countTokens('claude-sonnet-4-5', 'Hello, world!')).toEqual({ tokens: 4, tokenizer: 'chars/4' });
    expect(await countTokens('claude-sonnet-4-5', 'x'.repeat(400))).toEqual({ tokens: 100, tokenizer: 'chars/4' });
    expect(await countTokens('claude-sonnet-4-5', '東京')).toEqual({ tokens: 1, tokenizer: 'chars/4' });
  });
});
