// Reading x-llmfin-tags: every tag the header gives that is not stored is named with why,
// since its rows then go without it; empty items between commas are not tags.
import { describe, expect, it } from 'vitest';
import { readAttribution } from '../../../src/proxy/request/attribution-headers.js';

describe('readAttribution x-llmfin-tags', () => {
  it('names a tag given without "=" instead of leaving it out silently', () => {
    const a = readAttribution({ 'x-llmfin-tags': 'experiment, tier=gold' }, undefined, undefined);
    expect(a.tags).toEqual({ tier: 'gold' });
    expect(a.dropped).toEqual([{ header: 'x-llmfin-tags', reason: 'tag "experiment": expected key=value' }]);
  });

  it('names a tag with an empty key', () => {
    const a = readAttribution({ 'x-llmfin-tags': '=b,tier=gold' }, undefined, undefined);
    expect(a.tags).toEqual({ tier: 'gold' });
    expect(a.dropped).toHaveLength(1);
    expect(a.dropped![0]!.reason).toMatch(/^tag "": expected a key of letters/);
  });

  it('takes empty items between commas for separators, not tags', () => {
    const a = readAttribution({ 'x-llmfin-tags': 'a=1,, b=2 , ' }, undefined, undefined);
    expect(a.tags).toEqual({ a: '1', b: '2' });
    expect(a.dropped).toBeUndefined();
  });

  it("leaves out the tags only llmfin sets: a client cannot pass its request off as routed, or as a loop", () => {
    const a = readAttribution({ 'x-llmfin-tags': 'routed_from=gpt-5,route_tier=large,loop=repeat,llmfin_key=k,run_id=r,tier=gold' }, undefined, undefined);
    expect(a.tags).toEqual({ tier: 'gold' });
  });
});
