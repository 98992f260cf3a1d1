import { describe, expect, it } from 'vitest';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { didYouMean, editDistance, suggestModels, unknownModelHint } from '../../src/pricing/suggest-models.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions; a digit for another digit counts 2', () => {
    expect(editDistance('claude-sonet-4-5', 'claude-sonnet-4-5', 3)).toBe(1);
    expect(editDistance('gpt4o', 'gpt-4o', 3)).toBe(1);
    expect(editDistance('gpt-9', 'gpt-5', 3)).toBe(2);
    expect(editDistance('gpt-4o', 'gpt-4o', 3)).toBe(0);
  });
  it('stops past the limit', () => {
    expect(editDistance('a', 'abcdefgh', 2)).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});

describe('suggestModels (bundled catalogue)', () => {
  it('offers the nearest ids only, as they can be typed back', async () => {
    const catalogue = await PriceCatalogue.load();
    expect(suggestModels(catalogue, 'claude-sonet-4-5')).toEqual(['claude-sonnet-4-5']);
    expect(suggestModels(catalogue, 'GPT-4O-MINNI')).toEqual(['gpt-4o-mini']);
    // Aliases are ids too.
    expect(suggestModels(catalogue, 'mistral-larg-latest')).toEqual(['mistral-large-latest']);
    // Within the provider named.
    expect(suggestModels(catalogue, 'anthropic.claude-sonet-4-6', 'bedrock')).toEqual(['anthropic.claude-sonnet-4-6']);
    expect(suggestModels(catalogue, 'claude-sonet-4-5', 'nope')).toEqual([]);
  });
  it('suggests nothing for another version, a far-off id, or an id the catalogue knows', async () => {
    const catalogue = await PriceCatalogue.load();
    expect(suggestModels(catalogue, 'gpt-9')).toEqual([]);
    expect(suggestModels(catalogue, 'o5')).toEqual([]);
    expect(suggestModels(catalogue, 'totally-made-up-model')).toEqual([]);
    expect(suggestModels(catalogue, 'gpt-4o')).toEqual([]);
  });
  it('suggests nothing whose numbers differ or that is more than a typo or two away, however long the id', async () => {
    const catalogue = await PriceCatalogue.load();
    // Another version (3-7, two edits away) or another model (3-5 haiku, six edits away): neither
    // is a typo of this 24-character id.
    expect(suggestModels(catalogue, 'claude-3-5-sonnet-latest')).toEqual([]);
    // Another model of the family: Gemini 2.5 Pro's text-to-speech preview.
    expect(suggestModels(catalogue, 'gemini-2.5-pro-preview-06-05')).toEqual([]);
    // The same numbers with a typo around them still point at the id.
    expect(suggestModels(catalogue, 'claude-3-7-sonet-latest')).toEqual(['claude-3-7-sonnet-latest']);
    expect(suggestModels(catalogue, 'gpt4o-mini')).toEqual(['gpt-4o-mini']);
  });
  it('reads as a hint', () => {
    expect(didYouMean([])).toBe('');
    expect(didYouMean(['a'])).toBe('did you mean a? ');
    expect(didYouMean(['a', 'b', 'c'])).toBe('did you mean a, b or c? ');
  });
});

describe('unknownModelHint: the one hint pricing cost and pricing show give for an unknown id', () => {
  it('leads with the nearest ids, then what to do; without near ids, what to do alone', async () => {
    const catalogue = await PriceCatalogue.load();
    expect(unknownModelHint(catalogue, 'claude-sonet-4-5', undefined, 'search with `llmfin pricing list --search TEXT`')).toBe(
      'did you mean claude-sonnet-4-5? Or search with `llmfin pricing list --search TEXT`',
    );
    expect(unknownModelHint(catalogue, 'anthropic.claude-sonet-4-6', 'bedrock', 'check the id')).toBe('did you mean anthropic.claude-sonnet-4-6? Or check the id');
    expect(unknownModelHint(catalogue, 'totally-made-up-model', undefined, 'check the id')).toBe('check the id');
  });
});

describe('suggestModels: Bedrock ids and their maker prefix', () => {
  it("points a bare id on Bedrock at the maker's id, and a maker's id elsewhere at the bare one", async () => {
    const catalogue = await PriceCatalogue.load();
    expect(suggestModels(catalogue, 'claude-sonnet-4-5', 'bedrock')).toEqual(['anthropic.claude-sonnet-4-5']);
    expect(suggestModels(catalogue, 'llama3-3-70b-instruct', 'bedrock')).toEqual(['meta.llama3-3-70b-instruct']);
    // A typo too.
    expect(suggestModels(catalogue, 'claude-sonet-4-5', 'bedrock')).toEqual(['anthropic.claude-sonnet-4-5']);
    expect(suggestModels(catalogue, 'anthropic.claude-sonnet-4-5', 'anthropic')).toEqual(['claude-sonnet-4-5']);
    // Another version is still another model.
    expect(suggestModels(catalogue, 'claude-sonnet-9-9', 'bedrock')).toEqual([]);
  });
  it('gives the hint pricing show and pricing cost print', async () => {
    const catalogue = await PriceCatalogue.load();
    expect(unknownModelHint(catalogue, 'claude-sonnet-4-5', 'bedrock', 'search with `llmfin pricing list --search TEXT`')).toBe(
      'did you mean anthropic.claude-sonnet-4-5? Or search with `llmfin pricing list --search TEXT`',
    );
  });
});
