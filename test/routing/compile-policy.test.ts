// compilePolicy's warning for a pool model the catalogue cannot price points at the id it is a typo of.
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/routing/compile-policy.js';
import { RoutingSchema } from '../../src/config/routing-config-schema.js';
import { testPricer } from '../helpers/import.js';

describe('compilePolicy: a model the catalogue cannot price', () => {
  it('names the catalogue id a misspelt pool model is a typo of', async () => {
    const pricer = await testPricer();
    const routing = RoutingSchema.parse({ tiers: [{ name: 'small', models: { openai: ['gpt-4o-mni'] } }, { name: 'large', models: { openai: ['gpt-4o'] } }] });
    expect(compilePolicy(routing, undefined, pricer).warnings).toEqual([
      'gpt-4o-mni is not in the price catalogue (no model "gpt-4o-mni" in the openai price catalogue; did you mean gpt-4o-mini?); it is tried last in its pool and its savings cannot be priced',
    ]);
  });

  it('suggests nothing for a model of its own that is close to no catalogue id', async () => {
    const pricer = await testPricer();
    const routing = RoutingSchema.parse({ tiers: [{ name: 'small', models: { openai: ['my-local-llm'] } }, { name: 'large', models: { openai: ['gpt-4o'] } }] });
    expect(compilePolicy(routing, undefined, pricer).warnings).toEqual([
      'my-local-llm is not in the price catalogue (no model "my-local-llm" in the openai price catalogue); it is tried last in its pool and its savings cannot be priced',
    ]);
  });
});
