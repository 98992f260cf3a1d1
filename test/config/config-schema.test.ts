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
