import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config-text.js';

describe('decimal options written as YAML numbers', () => {
  it('keep the decimal as written, however small: 0.0000005 is not refused as "5e-7"', () => {
    const text = [
      'pricing:',
      '  custom_models:',
      '    - provider: acme',
      '      id: tiny',
      '      input: 0.0000005',
      '      output: 2',
      '      per_request: 0.0000001',
      '  self_hosted:',
      '    - id: cheap-gpu',
      '      gpu_usd_per_hour: 0.0000009',
      '      tokens_per_second: 5',
      'check:',
      '  max_increase: 0.0000001',
      '',
    ].join('\n');
    const config = parseConfigText(text, 'llmfin.yaml');
    expect(config.pricing.custom_models[0]!.input).toBe('0.0000005');
    expect(config.pricing.custom_models[0]!.per_request).toBe('0.0000001');
    expect(config.pricing.self_hosted[0]!.gpu_usd_per_hour).toBe('0.0000009');
    expect(config.check.max_increase).toBe('0.0000001');
  });

  it('still refuses a negative price, quoting it', () => {
    const text = 'pricing:\n  custom_models:\n    - { provider: acme, id: x, input: -0.0000005, output: 1 }\n';
    expect(() => parseConfigText(text, 'llmfin.yaml')).toThrow('llmfin.yaml:3: pricing.custom_models.0.input: expected a non-negative decimal such as 0.30, got string "-0.0000005"');
  });
});

describe('environment variable references', () => {
  const message = (text: string) => {
    try {
      parseConfigText(text, 'llmfin.yaml');
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('are refused in a path, which would otherwise name a folder called "$HOME"', () => {
    expect(message('ledger:\n  path: $HOME/ledger.db\n')).toBe(
      'llmfin.yaml:2: ledger.path: expected a path; environment variables are not expanded in llmfin.yaml (use ~ for the home folder, or LLMFIN_DB for the ledger), got string "$HOME/ledger.db"',
    );
    expect(message('pricing:\n  catalogue: ${CATALOGUE}\n')).toMatch(/^llmfin\.yaml:2: pricing\.catalogue: expected a path; environment variables are not expanded/);
    expect(message('check:\n  baseline: $CI_DIR/base.json\n')).toMatch(/^llmfin\.yaml:2: check\.baseline: expected a path;/);
    // A dollar sign that is no reference is a path like any other.
    expect(message('ledger:\n  path: ~/costs$/ledger.db\n')).toBe('accepted');
  });

  it('in api_key_env and key_env say that the name goes there, without $', () => {
    const upstream = 'proxy:\n  upstreams:\n    openai:\n      base_url: https://api.openai.com\n      api_key_env: ${OPENAI_API_KEY}\n';
    expect(message(upstream)).toBe(
      'llmfin.yaml:5: proxy.upstreams.openai.api_key_env: expected the name of an environment variable such as OPENAI_API_KEY (the name alone, without $), got string "${OPENAI_API_KEY}"',
    );
    expect(message('proxy:\n  keys:\n    - key_env: $LLMFIN_KEY_SEARCH\n')).toMatch(/^llmfin\.yaml:3: proxy\.keys\.0\.key_env: expected the name of an environment variable/);
  });
});
