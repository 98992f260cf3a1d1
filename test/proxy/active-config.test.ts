// A proxy bound beyond loopback hands its upstream keys to whoever reaches the port unless
// callers need a proxy key: the start-up banner warns. Checked on the config alone: tests
// never bind anything but loopback.
import { describe, expect, it } from 'vitest';
import { activeConfig, exposureWarnings } from '../../src/proxy/active-config.js';
import { bundledPricer } from './proxy-harness.js';

const upstreams = {
  openai: { base_url: 'https://api.openai.com', dialect: 'openai' as const, api_key_env: 'OPENAI_API_KEY' },
  local: { base_url: 'http://127.0.0.1:11434/v1', dialect: 'openai' as const },
};

describe('exposure warning', () => {
  it('warns when bound beyond loopback with an upstream key and no proxy keys required', async () => {
    const { config } = activeConfig({ upstreams }, { OPENAI_API_KEY: 'sk-server-side' }, await bundledPricer());
    expect(exposureWarnings('0.0.0.0', config)).toEqual([
      'listening on 0.0.0.0, beyond this machine, without proxy.require_key: anyone who can reach this port spends through the keys of openai (OPENAI_API_KEY); set proxy.require_key: true and give callers proxy keys (proxy.keys), or bind 127.0.0.1',
    ]);
    expect(exposureWarnings('192.168.1.20', config)).toHaveLength(1);
    // The key's value is never in it.
    expect(exposureWarnings('::', config).join('')).not.toContain('sk-server-side');
  });

  it('is quiet on loopback, with require_key, or when every upstream uses the client\'s own key', async () => {
    const pricer = await bundledPricer();
    const keyed = activeConfig({ upstreams }, { OPENAI_API_KEY: 'sk-server-side' }, pricer).config;
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(exposureWarnings(address, keyed)).toEqual([]);
    const required = activeConfig({ upstreams, require_key: true }, { OPENAI_API_KEY: 'sk-server-side' }, pricer).config;
    expect(exposureWarnings('0.0.0.0', required)).toEqual([]);
    const ownKeys = activeConfig({ upstreams }, {}, pricer).config;
    expect(exposureWarnings('0.0.0.0', ownKeys)).toEqual([]);
  });
});
