// A LiteLLM-style model prefix naming an upstream of the other dialect: an OpenAI SDK
// sending `anthropic/claude-sonnet-4-5`. The first OpenAI upstream (OpenAI itself) has no
// such model, so the proxy refuses it in the client's error shape, naming the upstream and
// why, rather than forwarding a model id that upstream cannot serve; an OpenAI-compatible
// endpoint configured for Anthropic takes it instead.
//
// claude-sonnet-4-5 with the fake's usage in OpenAI's convention (1,200 prompt tokens of
// which 1,024 cached, 80 out) at $3 / $0.30 cache read / $15 per 1M:
// 176 x 3e-6 + 1,024 x 0.30e-6 + 80 x 15e-6 = 0.000528 + 0.0003072 + 0.0012 = 0.0020352.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../proxy-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('a model prefix naming an upstream of the other dialect', () => {
  it('is refused with a 400 in the OpenAI shape, naming the upstream, and never forwarded', async () => {
    h = await startHarness();
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
    const error = await openai.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const e = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.code).toBe('wrong_dialect');
    expect(e.message).toBe(
      '400 model "anthropic/claude-sonnet-4-5": upstream "anthropic" speaks anthropic, this endpoint is openai, and upstream "openai" (the first openai upstream) does not serve "anthropic/claude-sonnet-4-5"; ' +
        'send it to /v1/messages, or configure an upstream with dialect: openai for anthropic under proxy.upstreams in llmfin.yaml',
    );
    expect(h.fake.requests).toHaveLength(0);
    expect(await h.rows()).toHaveLength(0);
  });

  it('is refused in the Anthropic shape for an Anthropic client', async () => {
    h = await startHarness();
    const anthropic = new Anthropic({ baseURL: h.proxy.url, apiKey: 'sk-ant-client', maxRetries: 0 });
    const error = await anthropic.messages.create({ model: 'openai/gpt-4o', max_tokens: 10, messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const e = error as InstanceType<typeof Anthropic.BadRequestError>;
    expect(e.error).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message:
          'model "openai/gpt-4o": upstream "openai" speaks openai, this endpoint is anthropic, and upstream "anthropic" (the first anthropic upstream) does not serve "openai/gpt-4o"; ' +
          'send it to /v1/chat/completions, or configure an upstream with dialect: anthropic for openai under proxy.upstreams in llmfin.yaml [llmfin: wrong_dialect]',
      },
    });
    expect(h.fake.requests).toHaveLength(0);
  });

  it("goes to an upstream of the client's dialect for the same provider, prefix removed", async () => {
    h = await startHarness({ extraUpstreams: (url) => ({ 'claude-compat': { base_url: `${url}/v1`, dialect: 'openai', provider: 'anthropic' } }) });
    const openai = new OpenAI({ baseURL: `${h.proxy.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
    const { data } = await openai.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 10, messages }).withResponse();
    expect(data.model).toBe('claude-sonnet-4-5');
    expect(h.fake.requests.map((r) => [r.path, (r.body as { model?: string }).model])).toEqual([['/v1/chat/completions', 'claude-sonnet-4-5']]);
    expect((await h.rows()).map((r) => [r.provider, r.model, r.cost_usd, r.cost_status])).toEqual([['anthropic', 'claude-sonnet-4-5', '0.0020352', 'priced']]);
  });
});
