// SIGHUP applies upstreams, keys and routing; the settings read at start only are named
// when the re-read file changes them, rather than passing for applied.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { startOnlyChanges } from '../../src/proxy/start-only-changes.js';

const parse = (text: string) => parseConfigText(text, 'llmfin.yaml');
const base = 'proxy:\n  port: 8787\n  upstreams:\n    openai: { base_url: https://api.openai.com }\n';

describe('startOnlyChanges', () => {
  it('names nothing when only upstreams, keys or retries change', () => {
    const fresh = 'proxy:\n  port: 8787\n  retries: { max: 1 }\n  upstreams:\n    openai: { base_url: https://api.openai.com }\n    groq: { base_url: https://api.groq.com/openai/v1 }\n';
    expect(startOnlyChanges(parse(base), parse(fresh))).toEqual([]);
  });

  it('names a changed host, port, log format, flush interval and pricing', () => {
    const fresh =
      'proxy:\n  host: 0.0.0.0\n  port: 9999\n  log_format: json\n  flush_interval_ms: 100\n  upstreams:\n    openai: { base_url: https://api.openai.com }\n' +
      'pricing:\n  discounts:\n    - { provider: openai, percent: 10 }\n';
    expect(startOnlyChanges(parse(base), parse(fresh))).toEqual(['proxy.host', 'proxy.port', 'proxy.log_format', 'proxy.flush_interval_ms', 'pricing']);
  });

  it('leaves out what a command-line flag set at start', () => {
    const fresh = 'proxy:\n  host: 0.0.0.0\n  port: 9999\n  log_format: json\n  upstreams:\n    openai: { base_url: https://api.openai.com }\n';
    expect(startOnlyChanges(parse(base), parse(fresh), { host: true, port: true, logFormat: true })).toEqual([]);
  });
});
