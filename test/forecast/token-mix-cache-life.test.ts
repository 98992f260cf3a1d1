// A mix's 1-hour cache writes are a part of its writes, priced at the 1-hour rate.
import { describe, expect, it } from 'vitest';
import { emptyMix, priceMix } from '../../src/forecast/token-mix.js';
import { testPricer } from '../helpers/import.js';

describe('priceMix and the cache writes of an hour', () => {
  const at = new Date('2026-11-01T00:00:00Z');

  it('prices the 1-hour part at its rate and the rest at the 5-minute one', async () => {
    const pricer = await testPricer();
    // claude-sonnet-4-5: 1M input tokens, all of them writes: 0.6M of 5 minutes at $3.75 and
    // 0.4M of an hour at $6.00 = $2.25 + $2.40 = $4.65.
    const mix = { ...emptyMix('anthropic', 'claude-sonnet-4-5'), requests: 100, input_tokens: 1_000_000, cache_write_tokens: 1_000_000, cache_write_1h_tokens: 400_000 };
    expect(priceMix(pricer, mix, at)?.toString()).toBe('4.65');
  });

  it('never counts more 1-hour writes than writes (a part clamped apart from its whole)', async () => {
    const pricer = await testPricer();
    // 1M writes said to hold 2M of an hour: 1M at $6.00, not −1M at $3.75 + 2M at $6.00 = $8.25.
    const mix = { ...emptyMix('anthropic', 'claude-sonnet-4-5'), requests: 100, input_tokens: 1_000_000, cache_write_tokens: 1_000_000, cache_write_1h_tokens: 2_000_000 };
    expect(priceMix(pricer, mix, at)?.toString()).toBe('6');
  });
});
