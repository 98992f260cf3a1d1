// A SIGHUP reload (here: a proxy key added) builds a new router; a trace that had reached
// the large tier must stay there, as it would without the reload ("only upwards within a trace").
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RoutingConfig } from '../../../src/config/routing-config-schema.js';
import { startHarness, type Harness } from '../proxy-harness.js';

const routing: RoutingConfig = {
  mode: 'enforce',
  default_tier: 'small',
  tiers: [
    { name: 'small', models: { openai: ['gpt-4o-mini'] } },
    { name: 'large', models: { openai: ['gpt-4o'] } },
  ],
};
const HARD = `Write a complete implementation in TypeScript of a function that must parse JSON exactly. First validate, then transform, finally return a table.\n\`\`\`ts\nfunction f(x: number) { return x * 2; }\n\`\`\`\n${'Context paragraph with details. '.repeat(300)}`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ routing, env: { LLMFIN_KEY: 'llmfin-sk-new-0001' } });
});
afterAll(() => h.close());

it('a trace keeps the tier it reached across a reload', async () => {
  const client = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0, defaultHeaders: { 'x-llmfin-trace-id': 'run-7' } });
  const ask = async (content: string) => (await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content }] })).model;
  expect(await ask(HARD)).toBe('gpt-4o');
  expect(await ask('thanks')).toBe('gpt-4o');
  h.proxy.reload(
    { upstreams: { openai: { base_url: h.fake.url, dialect: 'openai' }, anthropic: { base_url: h.fake.url, dialect: 'anthropic' } }, keys: [{ key_env: 'LLMFIN_KEY', name: 'new-bot', tags: {} }] },
    routing,
  );
  expect(await ask('thanks again')).toBe('gpt-4o');
  // A trace the reload never saw starts where routing puts it.
  const other = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0, defaultHeaders: { 'x-llmfin-trace-id': 'run-8' } });
  expect((await other.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'thanks' }] })).model).toBe('gpt-4o-mini');
});
