// --prompt-growth and --headroom take a percentage (30%) or a fraction (0.3); a bare 30
// would be 3,000% and is refused rather than forecast.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMultiplier, parsePercent, pickSwap, swapReadings } from '../../../src/cli/commands/forecast-options.js';
import { UsageError } from '../../../src/shared/errors.js';
import { runCli, tempDir } from '../../helpers/cli.js';

describe('parsePercent', () => {
  it('reads 30%, -50% and the fraction 0.3', () => {
    expect(parsePercent('--prompt-growth', '30%')).toBe(0.3);
    expect(parsePercent('--prompt-growth', '-50%')).toBe(-0.5);
    expect(parsePercent('--prompt-growth', '0.3')).toBe(0.3);
    expect(parsePercent('--prompt-growth', '150%')).toBe(1.5);
  });

  it('refuses a bare number of 1 or more, which as a fraction would be 100% or more', () => {
    for (const v of ['30', '1', '-5', '2.5']) {
      expect(() => parsePercent('--prompt-growth', v)).toThrow(UsageError);
    }
    expect(() => parsePercent('--headroom', '20')).toThrow('--headroom: expected a percentage such as 30% (or a fraction such as 0.3), got "20", which as a fraction would be 2,000%');
  });
});

describe('parseMultiplier', () => {
  it('reads x2, 1.5 and 50% (half the traffic) as multipliers', () => {
    expect(parseMultiplier('--traffic', 'x2')).toBe(2);
    expect(parseMultiplier('--traffic', '1.5')).toBe(1.5);
    expect(parseMultiplier('--traffic', '50%')).toBe(0.5);
  });

  it('refuses a growth (+50%, -20%) and says how to write it as a multiplier', () => {
    expect(() => parseMultiplier('--traffic', '+50%')).toThrow('--traffic: expected a multiplier such as x2, 1.5 or 150%, got "+50%"; for 50% more, write 150% or x1.5');
    expect(() => parseMultiplier('--traffic', '-20%')).toThrow('got "-20%"; for 20% less, write 80% or x0.8');
    expect(() => parseMultiplier('--traffic', 'lots')).toThrow('--traffic: expected a multiplier such as x2, 1.5 or 150%, got "lots"');
  });
});

describe('llmfin forecast --prompt-growth 30', () => {
  it('exits 2 naming the option and the likely meaning', async () => {
    const dir = tempDir();
    const r = await runCli(['forecast', '--db', join(dir, 'none.db'), '--prompt-growth', '30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--prompt-growth: expected a percentage such as 30% (or a fraction such as 0.3), got "30", which as a fraction would be 3,000%');
    expect(r.stderr).toContain('write 30% if you mean 30 percent');
  });
});

describe('llmfin forecast --new-feature with a what-if meant for history', () => {
  const nf = ['--new-feature', '--requests-per-day', '5000', '--input-tokens', '1200', '--output-tokens', '300', '--model', 'gpt-4.1-mini'];

  it('refuses --traffic and --prompt-growth, exit 2, saying what to change instead', async () => {
    const dir = tempDir();
    for (const [args, message, hint] of [
      [['--traffic', 'x2'], '--traffic: not with --new-feature, which has no history to apply it to', 'scale --requests-per-day instead'],
      [['--prompt-growth', '30%'], '--prompt-growth: not with --new-feature, which has no history to apply it to', 'set --input-tokens to the grown size instead'],
      [['--backtest'], '--backtest: not with --new-feature', 'drop it'],
    ] as const) {
      const r = await runCli(['forecast', '--db', join(dir, 'none.db'), ...nf, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain(hint);
    }
  });

  it('refuses the options that read history, given on the command line, though their defaults are fine', async () => {
    const dir = tempDir();
    for (const [args, option] of [
      [['--by', 'team'], '--by'],
      [['--by', 'feature'], '--by'],
      [['--since', '30d'], '--since'],
      [['--until', '2026-10-01'], '--until'],
      [['--basis', 'metered'], '--basis'],
      [['--top', '3'], '--top'],
      [['--chart'], '--chart'],
      [['--where', 'team=search'], '--where'],
    ] as const) {
      const r = await runCli(['forecast', '--db', join(dir, 'none.db'), ...nf, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`llmfin: error: ${option}: not with --new-feature, which has no history to apply it to`);
    }
  });

  it('takes its own refinements: --headroom 50% on a $230.40 P90 recommends $345.60; --provider and --cache-read-tokens are read', async () => {
    const r = await runCli(['forecast', ...nf, '--headroom', '50%', '--provider', 'openai', '--cache-read-tokens', '0', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ provider: 'openai', p90_cost_usd: 230.4, headroom: 0.5, recommended_budget_usd: 345.6 });
  });

  it('a misspelt --provider is exit 2 naming --provider and the known providers, not the model', async () => {
    const r = await runCli(['forecast', ...nf, '--provider', 'opnai']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^llmfin: error: --provider: unknown provider "opnai" \(known: openai, anthropic, .*\)\n/);
  });

  it('still estimates without them: 5,000 × (1,200 × $0.40 + 300 × $1.60 per 1M) = $4.80 a day, $144.00 in 30 days', async () => {
    const r = await runCli(['forecast', ...nf, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ cost_per_day_usd: 4.8, p50_cost_usd: 144 });
  });
});

describe('swapReadings', () => {
  it('reads a bare model id with a colon (Bedrock) as the model for every group, one reading', () => {
    expect(swapReadings('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toEqual([{ model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }]);
    expect(swapReadings('claude-haiku-4-5')).toEqual([{ model: 'claude-haiku-4-5' }]);
  });

  it('reads DIM=VALUE:MODEL with one colon one way', () => {
    expect(swapReadings('feature=doc-qa:claude-haiku-4-5')).toEqual([{ dimension: 'feature', value: 'doc-qa', model: 'claude-haiku-4-5' }]);
  });

  it('splits DIM=VALUE:MODEL at each colon in turn, the first first: a value and a model may both hold one', () => {
    expect(swapReadings('model=us.anthropic.claude-sonnet-4-5-20250929-v1:0:gpt-4.1-mini')).toEqual([
      { dimension: 'model', value: 'us.anthropic.claude-sonnet-4-5-20250929-v1', model: '0:gpt-4.1-mini' },
      { dimension: 'model', value: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', model: 'gpt-4.1-mini' },
    ]);
  });

  it('reads a value in double quotes up to its closing quote, one way', () => {
    expect(swapReadings('feature="eval:ft":gpt-4.1-mini')).toEqual([{ dimension: 'feature', value: 'eval:ft', model: 'gpt-4.1-mini' }]);
    expect(swapReadings('feature="eval":ft:gpt-4.1-mini')).toEqual([{ dimension: 'feature', value: 'eval', model: 'ft:gpt-4.1-mini' }]);
  });

  it('still refuses a group with no model, a quoted value with none, and an empty value', () => {
    for (const bad of ['feature=doc-qa', 'feature="doc-qa"', 'feature="doc-qa":', 'feature="doc-qa"gpt-4o', 'feature=:gpt-4o', 'feature=doc-qa:']) {
      expect(() => swapReadings(bad), bad).toThrow(`--model: expected DIM=VALUE:MODEL such as feature=checkout:claude-haiku-4-5, or a model, got "${bad}"`);
    }
  });
});

describe('pickSwap', () => {
  /**
   * A history with features `eval`, `eval:ft` and `doc-qa`; a catalogue pricing gpt-4.1-mini,
   * ft:gpt-4.1-mini and Bedrock's us.anthropic.claude-haiku-4-5-20251001-v1:0.
   */
  const checks = {
    hasValue: (d: string, v: string) => d === 'feature' && ['eval', 'eval:ft', 'doc-qa'].includes(v),
    prices: (m: string) => ['gpt-4.1-mini', 'ft:gpt-4.1-mini', 'us.anthropic.claude-haiku-4-5-20251001-v1:0'].includes(m),
  };
  const pick = (spec: string) => pickSwap(spec, swapReadings(spec), checks);
  const refusal = (spec: string) => {
    try {
      pick(spec);
    } catch (e) {
      return e as UsageError;
    }
    throw new Error(`${spec} was not refused`);
  };

  it('takes the one reading whose value has spend and whose model has a price, wherever its colon is', () => {
    expect(pick('feature=doc-qa:us.anthropic.claude-haiku-4-5-20251001-v1:0')).toEqual({ dimension: 'feature', value: 'doc-qa', model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' });
    // (eval, ft:ft:gpt-4.1-mini) has no price, (eval:ft:ft, gpt-4.1-mini) no spend.
    expect(pick('feature=eval:ft:ft:gpt-4.1-mini')).toEqual({ dimension: 'feature', value: 'eval:ft', model: 'ft:gpt-4.1-mini' });
  });

  it('refuses two such readings (exit 2), naming both and the quoted spelling of each', () => {
    const e = refusal('feature=eval:ft:gpt-4.1-mini');
    expect(e).toBeInstanceOf(UsageError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('--model: "feature=eval:ft:gpt-4.1-mini" reads 2 ways, each a feature with spend and a priced model: feature "eval" on ft:gpt-4.1-mini, or feature "eval:ft" on gpt-4.1-mini');
    expect(e.hint).toBe(`quote the value to say where it ends: --model 'feature="eval":ft:gpt-4.1-mini' or --model 'feature="eval:ft":gpt-4.1-mini'`);
  });

  it('with none, keeps the reading whose value has spend (the model is the mistake), else one whose model has a price, else the first', () => {
    expect(pick('feature=eval:ft:gpt-4.1-mimi')).toEqual({ dimension: 'feature', value: 'eval', model: 'ft:gpt-4.1-mimi' });
    expect(pick('feature=evil:ft:gpt-4.1-mini')).toEqual({ dimension: 'feature', value: 'evil', model: 'ft:gpt-4.1-mini' });
    expect(pick('feature=evil:ft:gpt-4.1-mimi')).toEqual({ dimension: 'feature', value: 'evil', model: 'ft:gpt-4.1-mimi' });
  });
});

describe('llmfin forecast --new-feature with a misspelt model', () => {
  it('exits 2 and suggests the catalogue id it is closest to', async () => {
    const r = await runCli(['forecast', '--new-feature', '--requests-per-day', '100', '--input-tokens', '1000', '--output-tokens', '100', '--model', 'gpt-4.1-mimi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--model: unpriced model "gpt-4.1-mimi"');
    expect(r.stderr).toContain('did you mean gpt-4.1-mini?');
  });
});

describe('llmfin forecast from history with a new feature\'s option', () => {
  it('refuses each one, exit 2, rather than ignore it (--headroom even at its default value)', async () => {
    const dir = tempDir();
    for (const [args, option] of [
      [['--requests-per-day', '5000'], '--requests-per-day'],
      [['--input-tokens', '1200'], '--input-tokens'],
      [['--output-tokens', '300'], '--output-tokens'],
      [['--cache-read-tokens', '500'], '--cache-read-tokens'],
      [['--provider', 'openai'], '--provider'],
      [['--headroom', '20%'], '--headroom'],
    ] as const) {
      const r = await runCli(['forecast', '--db', join(dir, 'none.db'), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`llmfin: error: ${option}: only with --new-feature`);
      expect(r.stderr).toContain('hint: add --new-feature for a pre-launch estimate, or drop it');
    }
  });
});

describe('llmfin forecast --model naming something that is not a dimension', () => {
  it('exits 2 saying so, not suggesting a --by that would be refused in turn', async () => {
    const dir = tempDir();
    const r = await runCli(['forecast', '--db', join(dir, 'none.db'), '--model', 'bogus=x:claude-haiku-4-5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--model: expected a dimension (');
    expect(r.stderr).toContain('got "bogus"');
    expect(r.stderr).not.toContain('add it: --by');
    // A time bucket is a dimension of reports, not a group the forecast can switch.
    const day = await runCli(['forecast', '--db', join(dir, 'none.db'), '--model', 'day=2026-10-01:claude-haiku-4-5']);
    expect(day.code).toBe(2);
    expect(day.stderr).toContain('got "day"');
    expect(day.stderr).not.toContain('add it: --by');
  });
});

describe('llmfin forecast --horizon 1', () => {
  it('says one day, not "1 days"', async () => {
    const dir = tempDir();
    const r = await runCli(['forecast', '--new-feature', '--requests-per-day', '5000', '--input-tokens', '1200', '--output-tokens', '300', '--model', 'gpt-4.1-mini', '--horizon', '1'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    // 5,000 × (1,200 × $0.40 + 300 × $1.60 per 1M) = $4.80 for the one day.
    expect(r.stdout).toContain('New feature on openai/gpt-4.1-mini · 1 day · no history');
    expect(r.stdout).toMatch(/^ {2}1 day {14}P10 \$2\.88 · P50 \$4\.80 · P90 \$7\.68/m);
    expect(r.stdout).not.toContain('1 days');
  });
});
