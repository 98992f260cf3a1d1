import { describe, expect, it } from 'vitest';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { catalogueMakers, makerModelId, withoutMaker } from '../../src/pricing/maker-prefix.js';

const at = new Date('2026-10-01T00:00:00Z');

describe('Bedrock maker prefixes (bundled catalogue)', () => {
  it('knows the makers of the Bedrock ids, and strips only those', async () => {
    const catalogue = await PriceCatalogue.load();
    const makers = catalogueMakers(catalogue);
    for (const m of ['anthropic', 'meta', 'amazon', 'ai21', 'mistral']) expect(makers.has(m)).toBe(true);
    expect(withoutMaker('anthropic.claude-sonnet-4-5', makers)).toBe('claude-sonnet-4-5');
    expect(withoutMaker('claude-sonnet-4-5', makers)).toBeUndefined();
    // A version's dot is no maker's.
    expect(withoutMaker('qwen2.5-72b', makers)).toBeUndefined();
    expect(withoutMaker('gpt-4.1', makers)).toBeUndefined();
  });

  it("finds the one Bedrock model a bare id names with its maker's prefix", async () => {
    const catalogue = await PriceCatalogue.load();
    expect(makerModelId(catalogue, 'bedrock', 'claude-sonnet-4-5', at)).toBe('anthropic.claude-sonnet-4-5');
    expect(makerModelId(catalogue, 'bedrock', 'llama3-3-70b-instruct', at)).toBe('meta.llama3-3-70b-instruct');
    expect(makerModelId(catalogue, 'bedrock', 'claude-future-9', at)).toBeUndefined();
    // Already prefixed, or a provider whose ids carry no maker: nothing to add.
    expect(makerModelId(catalogue, 'bedrock', 'anthropic.claude-future-9', at)).toBeUndefined();
    expect(makerModelId(catalogue, 'anthropic', 'claude-sonnet-4-5', at)).toBeUndefined();
  });
});
