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

describe('pricing list --at: the rates in force at that time of day', () => {
  const row = async (at: string) =>
    (JSON.parse((await runCli(['pricing', 'list', '--provider', 'deepseek', '--search', 'deepseek-chat', '--at', at, '--format', 'json'])).stdout) as { rows: Array<Record<string, unknown>> }).rows.find(
      (r) => r.model === 'deepseek-chat',
    );

  it('gives DeepSeek daytime rates inside its 00:30-16:30 UTC window and its off-peak base rates outside, as pricing cost does', async () => {
    // Before 2025-09-05 16:00 UTC: $0.27 in, $1.10 out, $0.07 cached by day; half that off-peak.
    expect(await row('2025-08-01T10:00:00Z')).toMatchObject({ input_usd_per_1m: 0.27, output_usd_per_1m: 1.1, cache_read_usd_per_1m: 0.07, time_of_day: true });
    expect(await row('2025-08-01T20:00:00Z')).toMatchObject({ input_usd_per_1m: 0.135, output_usd_per_1m: 0.55, cache_read_usd_per_1m: 0.035, time_of_day: true });
    // 1M input + 1M output at 10:00 UTC: $0.27 + $1.10.
    const cost = await runCli(['pricing', 'cost', '--model', 'deepseek-chat', '--input', '1000000', '--output', '1000000', '--at', '2025-08-01T10:00:00Z', '--format', 'json']);
    expect(JSON.parse(cost.stdout).cost_usd).toBe(1.37);
  });

  it('names the hour in the title and marks the row, since its rates change during the day', async () => {
    const r = await runCli(['pricing', 'list', '--provider', 'deepseek', '--search', 'deepseek-chat', '--at', '2025-08-01T10:00:00Z']);
    expect(r.stdout.split('\n')[0]).toContain('prices at 2025-08-01 10:00 UTC');
    expect(r.stdout).toMatch(/deepseek-chat .* 0\.27 +1\.1 +0\.07 .* time-of-day/);
  });
});
