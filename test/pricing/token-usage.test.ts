import { describe, expect, it } from 'vitest';
import { normaliseUsage, totalInputTokens, UsageInconsistencyError } from '../../src/pricing/token-usage.js';

const openai = { input_includes_cache: true, output_includes_reasoning: true };
const anthropic = { input_includes_cache: false, output_includes_reasoning: true };
const gemini = { input_includes_cache: true, output_includes_reasoning: false };

describe('normaliseUsage', () => {
  it('OpenAI: cached tokens come out of input', () => {
    const u = normaliseUsage({ input: 2006, cacheRead: 1920, output: 300, reasoning: 120 }, openai);
    expect(u).toMatchObject({ uncachedInput: 86, cacheRead: 1920, output: 300, reasoning: 120 });
    expect(totalInputTokens(u)).toBe(2006);
  });
  it('Anthropic: cache reads and writes are on top of input', () => {
    const u = normaliseUsage({ input: 3, cacheWrite5m: 12304, cacheRead: 100, output: 550 }, anthropic);
    expect(u).toMatchObject({ uncachedInput: 3, cacheWrite5m: 12304, cacheRead: 100 });
    expect(totalInputTokens(u)).toBe(12407);
  });
  it("Gemini: thoughts are added to output, not inside it (deepeval #2943)", () => {
    const u = normaliseUsage({ input: 1000, output: 150, reasoning: 8000 }, gemini);
    expect(u.output).toBe(8150);
    expect(u.reasoning).toBe(8000);
  });
  it('rejects reasoning larger than output where it is a subset', () => {
    expect(() => normaliseUsage({ input: 1, output: 10, reasoning: 11 }, openai)).toThrow(UsageInconsistencyError);
  });
  it('rejects negative or fractional counts', () => {
    expect(() => normaliseUsage({ input: -1, output: 0 }, openai)).toThrow(/whole number/);
    expect(() => normaliseUsage({ input: 1.5, output: 0 }, openai)).toThrow(/whole number/);
  });
  it('modality tokens are parts of input and output', () => {
    const u = normaliseUsage({ input: 1000, inputAudio: 400, output: 500, outputAudio: 200 }, openai);
    expect(u).toMatchObject({ uncachedInput: 600, inputAudio: 400, output: 300, outputAudio: 200 });
  });
});
