// `--provider` of `pricing cost` and `pricing show` is checked as `pricing list` checks it:
// a misspelt provider is exit 2 naming the option and the providers there are, instead of
// "unpriced model: unknown provider" with a hint about model ids.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

describe('pricing --provider with a provider the catalogue does not price', () => {
  for (const argv of [
    ['pricing', 'cost', '--provider', 'opnai', '--model', 'gpt-4o', '--input', '5'],
    ['pricing', 'show', 'gpt-4o', '--provider', 'opnai'],
    ['pricing', 'list', '--provider', 'opnai'],
  ]) {
    it(`${argv.slice(0, 2).join(' ')}: exit 2, "--provider: unknown provider" and the known ones`, async () => {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^llmfin: error: --provider: unknown provider "opnai" \(known: openai, anthropic, google, .*\)\n/);
      expect(r.stderr).not.toContain('unpriced model');
    });
  }

  it('a provider of llmfin.yaml is known, and is listed: acme-llm prices 1,000 input at $1.20/1M = $0.0012', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'llmfin.yaml'), 'pricing:\n  custom_models:\n    - { provider: acme-llm, id: acme-large, input: 1.20, output: 4.80 }\n');
    const ok = await runCli(['pricing', 'cost', '--provider', 'acme-llm', '--model', 'acme-large', '--input', '1000', '--format', 'json'], { cwd });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).cost_usd_exact).toBe('0.0012');
    const bad = await runCli(['pricing', 'show', 'acme-large', '--provider', 'acme'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('acme-llm');
  });

  it('an alias of a provider is known: aws is bedrock ($3.30/1M regional input for claude-sonnet-4-6)', async () => {
    const r = await runCli(['pricing', 'cost', '--provider', 'aws', '--model', 'anthropic.claude-sonnet-4-6', '--input', '1000000', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ provider: 'bedrock', cost_usd_exact: '3.3' });
  });
});
