// A what-if re-prices a group's tokens; a group whose history is billed money only has no
// tokens to grow or move to another model. The forecast says so instead of printing the
// group unchanged under "what-if applied".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('what-ifs on groups with no token counts', () => {
  const dir = tempDir();
  const db = join(dir, 'mixed.db');
  beforeAll(async () => {
    // 2026-10-01 to 2026-10-03: team a billed $10.00 a day on openai (money, no tokens);
    // team b metered on anthropic claude-haiku-4-5, 1,000,000 input and 100,000 output
    // tokens a day ($1 and $5 per 1M: $1.00 + $0.50 = $1.50 a day).
    const lines: string[] = [];
    for (const day of ['01', '02', '03']) {
      lines.push(JSON.stringify({ id: `a-${day}`, ts: `2026-10-${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '10.00', requests: 100, team: 'a' }));
      lines.push(JSON.stringify({ id: `b-${day}`, ts: `2026-10-${day}T00:00:00Z`, provider: 'anthropic', model: 'claude-haiku-4-5', provenance: 'metered', requests: 100, input_tokens: 1_000_000, output_tokens: 100_000, team: 'b' }));
    }
    writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['import', '--db', db, join(dir, 'usage.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('--prompt-growth grows the group with tokens and names the one it leaves as forecast', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--prompt-growth', '30%', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // Run rate × 30 days. a: $10.00 × 30 = $300.00, unchanged. b: $1.50 × 30 = $45.00; 30% more
    // input is $1.30 + $0.50 = $1.80 a day, ×1.2 → $54.00.
    expect(j.rows.map((x: { team: string; what_if_factor: number; p50_cost_usd: number }) => [x.team, x.what_if_factor, x.p50_cost_usd])).toEqual([
      ['a', 1, 300],
      ['b', 1.2, 54],
    ]);
    expect(j.notes).toContain('what-if: --prompt-growth leaves 1 group as forecast (a): no token counts in their last 28 days, only billed money');
  });

  it('--model for a group with no tokens is refused, exit 2, naming the group', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--model', 'team=a:claude-haiku-4-5']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--model: "team=a:claude-haiku-4-5" changes nothing: team "a" has no token counts in the last 28 days of history (billed rows carry money only)');
  });

  it('--prompt-growth where no group has tokens is refused, exit 2', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--where', 'team=a', '--since', '2026-10-01', '--prompt-growth', '30%']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--prompt-growth: changes nothing: no group has token counts in the last 28 days of history (billed rows carry money only)');
  });

  it('--model with a misspelt model is refused with the catalogue id it is closest to', async () => {
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--model', 'team=b:claude-sonet-4-5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--model: unpriced model "claude-sonet-4-5" in "team=b:claude-sonet-4-5": the catalogue has no current price for it');
    expect(r.stderr).toContain('did you mean claude-sonnet-4-5?');
  });
});

describe('a what-if on a group with tokens on one model and billed money on another', () => {
  it('re-prices the tokened model and gives a number, not NaN (an internal error, exit 3)', async () => {
    const dir = tempDir();
    const db = join(dir, 'one-team.db');
    // Team c, 2026-10-01 to 2026-10-03: $10.00 a day billed on openai gpt-4o (no tokens), and
    // claude-haiku-4-5 metered, 1,000,000 input and 100,000 output tokens a day ($1.50).
    const lines: string[] = [];
    for (const day of ['01', '02', '03']) {
      lines.push(JSON.stringify({ id: `c-billed-${day}`, ts: `2026-10-${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '10.00', requests: 100, team: 'c' }));
      lines.push(JSON.stringify({ id: `c-metered-${day}`, ts: `2026-10-${day}T00:00:00Z`, provider: 'anthropic', model: 'claude-haiku-4-5', provenance: 'metered', requests: 100, input_tokens: 1_000_000, output_tokens: 100_000, team: 'c' }));
    }
    writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
    expect((await runCli(['import', '--db', db, join(dir, 'usage.jsonl')])).code).toBe(0);
    const r = await runCli(['forecast', '--db', db, '--by', 'team', '--since', '2026-10-01', '--until', '2026-10-04', '--prompt-growth', '30%', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    // gpt-4o's mix has no tokens: it weighs nothing (its 0 / 0 made the factor NaN). Haiku's
    // 30% more input is $1.30 + $0.50 = $1.80 a day against $1.50; the $10.00 billed on gpt-4o
    // stays (what-if-billed-kept.test.ts): $11.80 a day against $11.50, ×1.0261 (1.026086…),
    // 30 × $11.80 = $354.00.
    expect(JSON.parse(r.stdout).rows[0]).toMatchObject({ team: 'c', what_if_factor: 1.0261, p50_cost_usd: 354 });
  });
});
