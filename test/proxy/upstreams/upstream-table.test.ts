// Upstream resolution: implied provider defaults, paths under a base URL, routing rules.
import { describe, expect, it } from 'vitest';
import { buildUpstreamTable, routeRequest, upstreamPath } from '../../../src/proxy/upstreams/upstream-table.js';

const canonical = (id: string) => (['openai', 'anthropic', 'groq'].includes(id) ? id : undefined);

describe('upstream table', () => {
  it('implies the public APIs when nothing is configured, passing clients\' keys through', () => {
    const { table, warnings } = buildUpstreamTable({}, {}, canonical);
    expect(warnings).toEqual([]);
    expect(table.all.map((u) => [u.name, u.baseUrl, u.apiKey, u.implied])).toEqual([
      ['openai', 'https://api.openai.com', undefined, true],
      ['anthropic', 'https://api.anthropic.com', undefined, true],
    ]);
  });

  it('joins client paths under a base path', () => {
    const { table } = buildUpstreamTable(
      {
        root: { base_url: 'http://127.0.0.1:8000', dialect: 'openai' },
        v1: { base_url: 'https://api.openai.com/v1/', dialect: 'openai' },
        gemini: { base_url: 'https://generativelanguage.googleapis.com/v1beta/openai', dialect: 'openai' },
      },
      {},
      canonical,
    );
    const path = (name: string) => upstreamPath(table.byName.get(name)!, '/v1/chat/completions', '?x=1');
    expect(path('root')).toBe('/v1/chat/completions?x=1');
    expect(path('v1')).toBe('/v1/chat/completions?x=1');
    expect(path('gemini')).toBe('/v1beta/openai/chat/completions?x=1');
  });

  it("sends a base URL's query with every request, the client's own parameters first", () => {
    const { table } = buildUpstreamTable(
      { azure: { base_url: 'https://acme.openai.azure.com/openai/deployments/gpt-4o?api-version=2024-10-21', dialect: 'openai', provider: 'azure' } },
      {},
      canonical,
    );
    const azure = table.byName.get('azure')!;
    expect(upstreamPath(azure, '/v1/chat/completions', '')).toBe('/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21');
    expect(upstreamPath(azure, '/v1/chat/completions', '?foo=1')).toBe('/openai/deployments/gpt-4o/chat/completions?foo=1&api-version=2024-10-21');
    expect(upstreamPath(azure, '/v1/chat/completions', '?api-version=2025-01-01')).toBe('/openai/deployments/gpt-4o/chat/completions?api-version=2025-01-01');
  });

  it('knows Mistral refuses stream_options, by provider or by host', () => {
    const { table } = buildUpstreamTable(
      {
        mistral: { base_url: 'http://127.0.0.1:9000/v1', dialect: 'openai' },
        eu: { base_url: 'https://api.mistral.ai/v1', dialect: 'openai' },
        groq: { base_url: 'https://api.groq.com/openai/v1', dialect: 'openai' },
      },
      {},
      (id) => (['mistral', 'groq'].includes(id) ? id : undefined),
    );
    expect(table.all.map((u) => [u.name, u.acceptsStreamOptions])).toEqual([
      ['mistral', false],
      ['eu', false],
      ['groq', true],
      ['anthropic', true],
    ]);
  });

  it('keeps /v1 under an Anthropic-dialect base path, as the Anthropic SDK does', () => {
    const { table } = buildUpstreamTable(
      {
        deepseek: { base_url: 'https://api.deepseek.com/anthropic', dialect: 'anthropic' },
        kimi: { base_url: 'https://api.moonshot.ai/anthropic/', dialect: 'anthropic' },
        versioned: { base_url: 'http://127.0.0.1:4000/v1', dialect: 'anthropic' },
        root: { base_url: 'https://api.anthropic.com', dialect: 'anthropic' },
      },
      {},
      canonical,
    );
    const path = (name: string, p = '/v1/messages') => upstreamPath(table.byName.get(name)!, p, '');
    expect(path('deepseek')).toBe('/anthropic/v1/messages');
    expect(path('kimi', '/v1/messages/count_tokens')).toBe('/anthropic/v1/messages/count_tokens');
    expect(path('versioned')).toBe('/v1/messages');
    expect(path('root')).toBe('/v1/messages');
  });

  it('reads keys from the environment and routes by header, prefix, then dialect default', () => {
    const { table, warnings } = buildUpstreamTable(
      { groq: { base_url: 'https://api.groq.com/openai/v1', dialect: 'openai', api_key_env: 'GROQ_KEY' }, local: { base_url: 'http://localhost:11434/v1', dialect: 'openai', api_key_env: 'NOT_SET' } },
      { GROQ_KEY: 'gsk-1' },
      canonical,
    );
    expect(warnings).toEqual(["upstream local: NOT_SET is not set, so clients' own keys are passed through"]);
    expect(table.byName.get('groq')).toMatchObject({ apiKey: 'gsk-1', provider: 'groq', pricingProvider: 'groq' });
    expect(table.byName.get('local')).toMatchObject({ apiKey: undefined, provider: 'local', pricingProvider: undefined });
    expect(table.defaults.openai.name).toBe('groq');
    expect(table.defaults.anthropic).toMatchObject({ name: 'anthropic', implied: true });
    const serves = () => true;
    expect(routeRequest(table, 'openai', undefined, 'local/llama3', serves)).toMatchObject({ ok: true, upstream: { name: 'local' }, model: 'llama3' });
    expect(routeRequest(table, 'openai', 'local', 'local/llama3', serves)).toMatchObject({ ok: true, upstream: { name: 'local' }, model: 'llama3' });
    // A prefix that is not an upstream stays part of the model (OpenRouter-style ids).
    expect(routeRequest(table, 'openai', undefined, 'meta-llama/llama-3', serves)).toMatchObject({ ok: true, upstream: { name: 'groq' }, model: 'meta-llama/llama-3' });
    expect(routeRequest(table, 'anthropic', 'groq', 'x', serves)).toMatchObject({ ok: false, status: 400, code: 'wrong_dialect' });
  });

  it('a prefix naming an upstream of the other dialect: its provider in this dialect, else the default when it serves the id, else a refusal', () => {
    const build = (extra: Record<string, { base_url: string; dialect: 'openai' | 'anthropic'; provider?: string }>) =>
      buildUpstreamTable({ router: { base_url: 'https://openrouter.ai/api/v1', dialect: 'openai' }, ...extra }, {}, canonical).table;
    const asked: string[] = [];
    const servesNothing = (u: { name: string }, model: string) => (asked.push(`${u.name} ${model}`), false);
    // The implied anthropic upstream speaks anthropic: an OpenAI client's LiteLLM-style id is not for it.
    expect(routeRequest(build({}), 'openai', undefined, 'anthropic/claude-sonnet-4-5', servesNothing)).toEqual({
      ok: false,
      status: 400,
      code: 'wrong_dialect',
      message:
        'model "anthropic/claude-sonnet-4-5": upstream "anthropic" speaks anthropic, this endpoint is openai, and upstream "router" (the first openai upstream) does not serve "anthropic/claude-sonnet-4-5"; ' +
        'send it to /v1/messages, or configure an upstream with dialect: openai for anthropic under proxy.upstreams in llmfin.yaml',
    });
    expect(asked).toEqual(['router anthropic/claude-sonnet-4-5']);
    // A default that serves the whole id (an aggregator whose ids carry provider prefixes) gets it whole.
    expect(routeRequest(build({}), 'openai', undefined, 'anthropic/claude-sonnet-4-5', () => true)).toMatchObject({ ok: true, upstream: { name: 'router' }, model: 'anthropic/claude-sonnet-4-5' });
    // An OpenAI-compatible endpoint configured for the provider takes it, prefix removed.
    const compat = build({ 'claude-compat': { base_url: 'https://api.anthropic.com/v1', dialect: 'openai', provider: 'anthropic' } });
    expect(routeRequest(compat, 'openai', undefined, 'anthropic/claude-sonnet-4-5', servesNothing)).toMatchObject({ ok: true, upstream: { name: 'claude-compat' }, model: 'claude-sonnet-4-5' });
    // And the other way round: an Anthropic client's openai/ id.
    expect(routeRequest(build({}), 'anthropic', undefined, 'router/gpt-4o', servesNothing)).toMatchObject({ ok: false, status: 400, code: 'wrong_dialect', message: expect.stringContaining('send it to /v1/chat/completions') });
  });
});
