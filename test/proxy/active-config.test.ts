// A proxy bound beyond loopback hands its upstream keys to whoever reaches the port unless
// callers need a proxy key: the start-up banner warns. Checked on the config alone: tests
// never bind anything but loopback.
import { describe, expect, it } from 'vitest';
import { activeConfig, exposureWarnings } from '../../src/proxy/active-config.js';
import { bundledPricer, startHarness } from './proxy-harness.js';
import { PriceCatalogue } from '../../src/pricing/price-catalogue.js';
import { Pricer, configModelsToProviderFiles } from '../../src/pricing/pricer.js';

const LOCAL_WARNING =
  'upstream local (http://127.0.0.1:11434/v1) is a server on your machine or network: a model it serves is priced at the rates of a hosted provider that sells it (or left unpriced); to count what your hardware costs, list it under pricing.self_hosted in llmfin.yaml';

const upstreams = {
  openai: { base_url: 'https://api.openai.com', dialect: 'openai' as const, api_key_env: 'OPENAI_API_KEY' },
  local: { base_url: 'http://127.0.0.1:11434/v1', dialect: 'openai' as const },
};

describe('exposure warning', () => {
  const KEYED =
    'listening on 0.0.0.0, beyond this machine, without proxy.require_key: anyone who can reach this port spends through the keys of openai (OPENAI_API_KEY); set proxy.require_key: true and give callers proxy keys (proxy.keys), or bind 127.0.0.1';
  const keyless = (names: string) =>
    `listening on 0.0.0.0, beyond this machine, without proxy.require_key: anyone who can reach this port can call ${names} through it with their own provider key, and their spend is recorded in this ledger and counted in its budgets under whatever x-llmfin-* headers they send; ` +
    'bind 127.0.0.1, or set proxy.require_key: true, give callers proxy keys (proxy.keys) and give each upstream a key of its own (api_key_env)';

  it('warns when bound beyond loopback with an upstream key and no proxy keys required', async () => {
    const { config } = activeConfig({ upstreams }, { OPENAI_API_KEY: 'sk-server-side' }, await bundledPricer());
    // openai holds a key; local and the implied Anthropic API take the client's own.
    expect(exposureWarnings('0.0.0.0', config)).toEqual([KEYED, keyless('local, anthropic')]);
    expect(exposureWarnings('192.168.1.20', config)).toHaveLength(2);
    // The key's value is never in it.
    expect(exposureWarnings('::', config).join('')).not.toContain('sk-server-side');
  });

  it("warns when bound beyond loopback with upstreams that relay the client's own key, proxy keys configured or not", async () => {
    const pricer = await bundledPricer();
    // No config at all: the implied OpenAI and Anthropic APIs, each with the client's own key.
    expect(exposureWarnings('0.0.0.0', activeConfig({}, {}, pricer).config)).toEqual([keyless('openai, anthropic')]);
    // Proxy keys that callers may present but need not: anyone else is still served.
    const optionalKeys = activeConfig({ upstreams, keys: [{ key_env: 'LLMFIN_KEY', name: 'bot', tags: {} }] }, { LLMFIN_KEY: 'llmfin-sk-0123456789abcdef' }, pricer).config;
    expect(exposureWarnings('0.0.0.0', optionalKeys)).toEqual([keyless('openai, local, anthropic')]);
  });

  it('is quiet on loopback or with require_key', async () => {
    const pricer = await bundledPricer();
    const keyed = activeConfig({ upstreams }, { OPENAI_API_KEY: 'sk-server-side' }, pricer).config;
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(exposureWarnings(address, keyed)).toEqual([]);
    const ownKeys = activeConfig({ upstreams }, {}, pricer).config;
    for (const address of ['127.0.0.1', '::1']) expect(exposureWarnings(address, ownKeys)).toEqual([]);
    const required = activeConfig({ upstreams, require_key: true }, { OPENAI_API_KEY: 'sk-server-side' }, pricer).config;
    expect(exposureWarnings('0.0.0.0', required)).toEqual([]);
  });
});

// With proxy.require_key every caller presents a proxy key, which is never sent upstream:
// an upstream with no key of its own refuses every request. Said at start and on reload.
describe('require_key without upstream keys', () => {
  const PROXY_KEY = 'llmfin-sk-test-0123456789';

  it('warns at start and on reload, naming proxy.require_key, and the requests are indeed refused', async () => {
    const h = await startHarness({ config: { require_key: true, keys: [{ key_env: 'LLMFIN_KEY', name: 'bot', tags: {} }] }, env: { LLMFIN_KEY: PROXY_KEY } });
    try {
      const expected =
        'proxy.require_key is set but no upstream has a key of its own (openai, anthropic): a proxy key is never sent upstream, so every request will be refused; set api_key_env on the upstreams in llmfin.yaml (and the variable), or set proxy.require_key: false';
      expect(h.proxy.warnings).toEqual([expected]);
      const res = await fetch(`${h.proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PROXY_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_key_missing');
      expect(h.fake.requests).toHaveLength(0);

      // SIGHUP reload: a key variable named but not set is still no key.
      const reloaded = h.proxy.reload({
        require_key: true,
        keys: [{ key_env: 'LLMFIN_KEY', name: 'bot', tags: {} }],
        upstreams: { openai: { base_url: h.fake.url, dialect: 'openai', api_key_env: 'OPENAI_API_KEY' } },
      });
      expect(reloaded).toContain(
        'proxy.require_key is set but no upstream has a key of its own (openai (OPENAI_API_KEY is not set), anthropic): a proxy key is never sent upstream, so every request will be refused; set api_key_env on the upstreams in llmfin.yaml (and the variable), or set proxy.require_key: false',
      );
    } finally {
      await h.close();
    }
  });

  it('names a configured upstream without a key when others have one, and is quiet when all do', async () => {
    const pricer = await bundledPricer();
    const keys = [{ key_env: 'LLMFIN_KEY', name: 'bot', tags: {} }];
    const env = { LLMFIN_KEY: PROXY_KEY, OPENAI_API_KEY: 'sk-server-side' };
    expect(activeConfig({ upstreams, require_key: true, keys }, env, pricer).warnings).toEqual([
      LOCAL_WARNING,
      'proxy.require_key is set but upstream local has no key of its own: every request to it will be refused; set its api_key_env in llmfin.yaml',
    ]);
    // The implied anthropic default has no key, but openai's is usable: nothing to say.
    expect(activeConfig({ upstreams: { openai: upstreams.openai }, require_key: true, keys }, env, pricer).warnings).toEqual([]);
    // Without require_key the client's own key passes through: nothing to say of keys.
    expect(activeConfig({ upstreams: { local: upstreams.local } }, {}, pricer).warnings).toEqual([LOCAL_WARNING]);
  });
});

describe('local upstream warning', () => {
  it('says a server on this machine or network is priced at hosted rates, unless the config prices it', async () => {
    const pricer = await bundledPricer();
    expect(activeConfig({ upstreams: { local: upstreams.local } }, {}, pricer).warnings).toEqual([LOCAL_WARNING]);
    for (const url of ['http://localhost:8000/v1', 'http://10.0.3.7:8000/v1', 'http://192.168.1.50:1234/v1', 'http://172.20.0.2:8000/v1', 'http://gpu-box.local:8000/v1', 'http://[::1]:8000/v1']) {
      expect(activeConfig({ upstreams: { vllm: { base_url: url, dialect: 'openai' } } }, {}, pricer).warnings, url).toHaveLength(1);
    }
    // A hosted API, a local server with its provider named, and one whose models the config prices: nothing to say.
    expect(activeConfig({ upstreams: { together: { base_url: 'https://api.together.xyz/v1', dialect: 'openai' } } }, {}, pricer).warnings).toEqual([]);
    expect(activeConfig({ upstreams: { local: { ...upstreams.local, provider: 'self-hosted' } } }, {}, pricer).warnings).toEqual([]);
    const extra = configModelsToProviderFiles([], [{ id: 'llama-onprem', provider: 'self-hosted', match: [], gpu_usd_per_hour: '2.5', gpus: 1, tokens_per_second: 1000 } as never]);
    const priced = new Pricer(await PriceCatalogue.load(undefined, extra));
    expect(activeConfig({ upstreams: { local: upstreams.local } }, {}, priced).warnings).toEqual([]);
  });
});

// A routing pool on an upstream with no key of its own never takes requests addressed to
// another upstream (the client's key stays where it sent it): the banner says so at start.
describe('keyless routing pool warning', () => {
  const tiers: Array<{ name: string; models: Record<string, string[]> }> = [
    { name: 'small', models: { groq: ['llama-3.1-8b-instant'] } },
    { name: 'large', models: { openai: ['gpt-4o'] } },
  ];
  const routing = { config: { mode: 'enforce' as const, tiers }, priors: undefined };
  const groq = { base_url: 'https://api.groq.com/openai/v1', dialect: 'openai' as const, provider: 'groq' };
  const openai = { base_url: 'https://api.openai.com', dialect: 'openai' as const };

  it('names the pool, the keyless upstream and the upstreams whose requests it will not take', async () => {
    const { warnings } = activeConfig({ upstreams: { openai, groq } }, {}, await bundledPricer(), [], routing);
    expect(warnings).toContain(
      'routing: tier "small" lists upstream "groq", which has no key of its own (api_key_env): requests addressed to openai are served as asked, not moved there, since a client\'s own key only goes to the upstream it addressed',
    );
  });

  it('names each keyless pool upstream, and is quiet once every pool upstream has its own key', async () => {
    // groq with its key: openai (the large tier's pool) still has none, so groq's requests are not moved there.
    const half = activeConfig({ upstreams: { openai, groq: { ...groq, api_key_env: 'GROQ_API_KEY' } } }, { GROQ_API_KEY: 'gsk-x' }, await bundledPricer(), [], routing);
    expect(half.warnings.filter((w) => w.includes('no key of its own'))).toEqual([
      'routing: tier "large" lists upstream "openai", which has no key of its own (api_key_env): requests addressed to groq are served as asked, not moved there, since a client\'s own key only goes to the upstream it addressed',
    ]);
    const keyed = { openai: { ...openai, api_key_env: 'OPENAI_API_KEY' }, groq: { ...groq, api_key_env: 'GROQ_API_KEY' } };
    const both = activeConfig({ upstreams: keyed }, { GROQ_API_KEY: 'gsk-x', OPENAI_API_KEY: 'sk-x' }, await bundledPricer(), [], routing);
    expect(both.warnings.filter((w) => w.includes('no key of its own'))).toEqual([]);
  });
});
