// `pricing show` and `pricing cost` on Bedrock with a model's bare id: the catalogue
// prices it under the maker's id only, and the hint names that id.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('the unknown-model hint on Bedrock', () => {
  it('pricing show suggests anthropic.claude-sonnet-4-5 for claude-sonnet-4-5', async () => {
    const r = await runCli(['pricing', 'show', 'claude-sonnet-4-5', '--provider', 'bedrock']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'llmfin: error: unpriced model: no model "claude-sonnet-4-5" in the bedrock price catalogue\n' +
        'hint: did you mean anthropic.claude-sonnet-4-5? Or search with `llmfin pricing list --search TEXT`\n',
    );
  });

  it('pricing cost suggests it too, and the suggestion prices', async () => {
    const r = await runCli(['pricing', 'cost', '--provider', 'bedrock', '--model', 'claude-sonnet-4-5', '--input', '1000', '--output', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hint: did you mean anthropic.claude-sonnet-4-5? Or check the id');
    const ok = await runCli(['pricing', 'cost', '--provider', 'bedrock', '--model', 'anthropic.claude-sonnet-4-5', '--input', '1000', '--output', '0', '--format', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    // 1,000 input tokens at $3.30 per 1M (Bedrock regional).
    expect(JSON.parse(ok.stdout).cost_usd).toBe(0.0033);
  });
});
