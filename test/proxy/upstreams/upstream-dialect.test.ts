// An upstream configured in llmfin.yaml as `anthropic: { base_url: … }`, without
// `dialect:`, speaks Anthropic's API: the Anthropic SDK's requests go to it (and are
// priced as Claude's), not to api.anthropic.com as an unconfigured dialect would.
//
// claude-sonnet-4-5 with the fake's usage: 1200 x 3e-6 + 1024 x 0.3e-6 + 80 x 15e-6 = 0.0051072.
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/parse-config-text.js';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('an upstream named anthropic with no dialect', () => {
  it('serves the Anthropic SDK', async () => {
    h = await startHarness({
      extraUpstreams: (url) => parseConfigText(['proxy:', '  upstreams:', `    anthropic: { base_url: "${url}", api_key_env: ANTHROPIC_KEY }`, ''].join('\n'), 'llmfin.yaml').proxy.upstreams,
      env: { ANTHROPIC_KEY: 'sk-ant-upstream-0001' },
    });
    const anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client-0002', maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 80, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.usage.output_tokens).toBe(80);
    expect(h.fake.requests.map((r) => [r.path, r.headers['x-api-key']])).toEqual([['/v1/messages', 'sk-ant-upstream-0001']]);
    expect((await h.rows()).map((r) => [r.provider, r.model, r.cost_usd, r.cost_status])).toEqual([['anthropic', 'claude-sonnet-4-5', '0.0051072', 'priced']]);
  });
});
