// `pricing list`'s title counts the models it lists in words that agree with the count.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const title = (stdout: string) => stdout.split('\n')[0]!.replace(/ · catalogue .*/, '');

describe('pricing list: the count in its title', () => {
  it('says "1 model", not "1 models"', async () => {
    const r = await runCli(['pricing', 'list', '--provider', 'bedrock', '--search', 'anthropic.claude-sonnet-4-5', '--at', '2026-10-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(title(r.stdout)).toBe('1 model · USD per 1M tokens');
    const md = await runCli(['pricing', 'list', '--provider', 'bedrock', '--search', 'anthropic.claude-sonnet-4-5', '--at', '2026-10-01', '--format', 'markdown']);
    expect(title(md.stdout)).toBe('### 1 model · USD per 1M tokens');
  });

  it('says "0 models" and "2 models" in the plural', async () => {
    const none = await runCli(['pricing', 'list', '--search', 'no-such-model-anywhere', '--at', '2026-10-01']);
    expect(title(none.stdout)).toBe('0 models · USD per 1M tokens');
    const two = await runCli(['pricing', 'list', '--provider', 'bedrock', '--search', 'anthropic.claude-opus-4-', '--at', '2026-10-01', '--format', 'json']);
    const count = JSON.parse(two.stdout).rows.length as number;
    expect(count).toBeGreaterThan(1);
    const text = await runCli(['pricing', 'list', '--provider', 'bedrock', '--search', 'anthropic.claude-opus-4-', '--at', '2026-10-01']);
    expect(title(text.stdout)).toBe(`${count} models · USD per 1M tokens`);
  });
});

describe('pricing list --search: a whole id as pricing cost takes it', () => {
  const models = async (...args: string[]) =>
    (JSON.parse((await runCli(['pricing', 'list', ...args, '--at', '2026-10-01', '--format', 'json'])).stdout) as { rows: Array<{ provider: string; model: string; input_usd_per_1m: number }> }).rows.map(
      (r) => `${r.provider}/${r.model} ${r.input_usd_per_1m}`,
    );

  it('finds the model a Bedrock profile, a Vertex @version or a pattern-matched snapshot is priced as', async () => {
    expect(await models('--search', 'us.anthropic.claude-sonnet-4-6')).toEqual(['bedrock/anthropic.claude-sonnet-4-6 3.3']);
    expect(await models('--provider', 'vertex', '--search', 'claude-sonnet-4-5@20250929')).toEqual(['vertex/claude-sonnet-4-5 3']);
    expect(await models('--search', 'gpt-5.6-luna-2026-07-09')).toEqual(['openai/gpt-5.6-luna 0.2']);
  });
});
