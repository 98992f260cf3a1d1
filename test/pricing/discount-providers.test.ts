import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

function configDir(yaml: string): string {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'llmfin.yaml'), yaml);
  return cwd;
}

describe('pricing.discounts naming a provider', () => {
  it('refuses a provider no catalogue has, exit 2 at its line with the provider meant, rather than a discount that never applies', async () => {
    const cwd = configDir(['pricing:', '  discounts:', '    - provider: openai', '      percent: 10', '    - provider: opnai', '      percent: 10', ''].join('\n'));
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '1000000'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('llmfin.yaml:5: pricing.discounts.1.provider: no provider "opnai" in the price catalogue, so this discount would apply to nothing (did you mean "openai"?)');
    expect(r.stdout).toBe('');
  });

  it('takes a provider alias, any case, and a provider of pricing.custom_models', async () => {
    const cwd = configDir(
      [
        'pricing:',
        '  discounts:',
        '    - { provider: aws, percent: 5 }',
        '    - { provider: OpenAI, percent: 10 }',
        '    - { provider: acme, percent: 20 }',
        '  custom_models:',
        '    - { provider: Acme, id: acme-large, input: 1, output: 2 }',
        '',
      ].join('\n'),
    );
    const cost = async (...args: string[]) => JSON.parse((await runCli(['pricing', 'cost', ...args, '--format', 'json'], { cwd })).stdout) as { cost_usd_exact: string };
    // 1M × 3.3 (Bedrock regional) − 5%
    expect((await cost('--model', 'us.anthropic.claude-sonnet-4-6', '--input', '1000000')).cost_usd_exact).toBe('3.135');
    // 1M × 2.5 − 10%
    expect((await cost('--model', 'gpt-4o', '--input', '1000000')).cost_usd_exact).toBe('2.25');
    // 1M × 1 − 20%
    expect((await cost('--model', 'acme-large', '--input', '1000000')).cost_usd_exact).toBe('0.8');
  });
});
