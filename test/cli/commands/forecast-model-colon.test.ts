// `forecast --model DIM=VALUE:MODEL` where the value, the model or both hold a ':' (Bedrock
// ids end in `-v1:0`): each colon is tried as the separator, and the split whose group has
// spend and whose model has a price is the one taken. Split at the first colon,
// `model=us.anthropic.claude-sonnet-4-5-20250929-v1:0:gpt-4.1-mini` named a model
// "us.anthropic.claude-sonnet-4-5-20250929-v1" with no spend and was refused.
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ledgerOf } from '../../reports/rows-ledger.js';

const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

/**
 * Fourteen days from 2026-10-01, each day 1,000 requests of 1,000 input and 100 output
 * tokens per feature: `code-review` on Bedrock's Sonnet 4.5 (regional, $3.30 and $16.50 per
 * 1M: $4.95 a day), `doc-qa` on gpt-4.1 ($2 and $8: $2.80), and `eval` and `eval:ft` on
 * gpt-4o-mini ($0.15 and $0.60: $0.21). A day's tokens on Bedrock's Haiku 4.5 ($1.10 and
 * $5.50) cost $1.65, on gpt-4.1-mini ($0.40 and $1.60) $0.56, on ft:gpt-4.1-mini ($0.80 and
 * $3.20) $1.12.
 */
function rows() {
  const groups = [
    { feature: 'code-review', provider: 'bedrock', model: SONNET, cost_usd: '4.95' },
    { feature: 'doc-qa', provider: 'openai', model: 'gpt-4.1', cost_usd: '2.8' },
    { feature: 'eval', provider: 'openai', model: 'gpt-4o-mini', cost_usd: '0.21' },
    { feature: 'eval:ft', provider: 'openai', model: 'gpt-4o-mini', cost_usd: '0.21' },
  ];
  return Array.from({ length: 14 }, (_, i) =>
    groups.map((g) => ({
      id: `${g.feature}-${i}`, source: 'proxy', ts: `2026-10-${String(1 + i).padStart(2, '0')}T00:00:00Z`, granularity: 'day', provenance: 'metered',
      requests: 1000, input_tokens: 1_000_000, output_tokens: 100_000, cost_status: 'priced', ...g,
    })),
  ).flat();
}

interface Forecast {
  what_if: { models: Array<Record<string, string | null>> };
  rows: Array<Record<string, unknown> & { what_if_factor: number; p50_cost_usd: number }>;
}

describe('forecast --model with colons in the value or the model', () => {
  let db: string;
  beforeAll(async () => {
    db = await ledgerOf(rows());
  }, 30_000);
  const run = (args: string[]) => runCli(['forecast', '--db', db, '--since', '2026-10-01', '--until', '2026-10-15', '--format', 'json', ...args], { cwd: dirname(db) });
  async function forecast(args: string[]): Promise<Forecast> {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Forecast;
  }
  const factors = (j: Forecast, dim: string) => Object.fromEntries(j.rows.map((r) => [r[dim], [r.what_if_factor, r.p50_cost_usd]]));

  it('a Bedrock group value with its colon, then a model: the split after ":0" (Sonnet $4.95 → gpt-4.1-mini $0.56 a day, ×0.1131, $16.80 in 30 days)', async () => {
    const j = await forecast(['--by', 'model', '--model', `model=${SONNET}:gpt-4.1-mini`]);
    expect(j.what_if.models).toEqual([{ dimension: 'model', value: SONNET, model: 'gpt-4.1-mini' }]);
    // 0.56 / 4.95 = 0.11313… to 4 places; a flat $4.95 a day moved is 30 × $0.56.
    expect(factors(j, 'model')).toEqual({ [SONNET]: [0.1131, 16.8], 'gpt-4.1': [1, 84], 'gpt-4o-mini': [1, 12.6] });
    // The same forecast as the value quoted, which reads one way only.
    expect(await forecast(['--by', 'model', '--model', `model="${SONNET}":gpt-4.1-mini`])).toEqual(j);
  });

  it('a group value, then a Bedrock model with its colon (gpt-4.1 $2.80 → Haiku $1.65 a day, ×0.5893, $49.50 in 30 days)', async () => {
    const j = await forecast(['--by', 'feature', '--model', `feature=doc-qa:${HAIKU}`]);
    expect(j.what_if.models).toEqual([{ dimension: 'feature', value: 'doc-qa', model: HAIKU }]);
    expect(factors(j, 'feature')).toEqual({ 'code-review': [1, 148.5], 'doc-qa': [0.5893, 49.5], eval: [1, 6.3], 'eval:ft': [1, 6.3] });
  });

  it('a Bedrock model alone moves every group (×1/3, ×0.5893, ×7.8571: $1.65 a day each, $49.50 in 30 days)', async () => {
    const j = await forecast(['--by', 'feature', '--model', HAIKU]);
    expect(j.what_if.models).toEqual([{ dimension: null, value: null, model: HAIKU }]);
    expect(factors(j, 'feature')).toEqual({ 'code-review': [0.3333, 49.5], 'doc-qa': [0.5893, 49.5], eval: [7.8571, 49.5], 'eval:ft': [7.8571, 49.5] });
  });

  it('refuses a value that reads two ways, each a feature with spend and a priced model, exit 2', async () => {
    const r = await run(['--by', 'feature', '--model', 'feature=eval:ft:gpt-4.1-mini']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--model: "feature=eval:ft:gpt-4.1-mini" reads 2 ways, each a feature with spend and a priced model: feature "eval" on ft:gpt-4.1-mini, or feature "eval:ft" on gpt-4.1-mini');
    expect(r.stderr).toContain(`hint: quote the value to say where it ends: --model 'feature="eval":ft:gpt-4.1-mini' or --model 'feature="eval:ft":gpt-4.1-mini'`);
  });

  it('takes either reading quoted: eval:ft on gpt-4.1-mini (×2.6667, $16.80), eval on ft:gpt-4.1-mini (×5.3333, $33.60)', async () => {
    const ft = await forecast(['--by', 'feature', '--model', 'feature="eval:ft":gpt-4.1-mini']);
    expect(ft.what_if.models).toEqual([{ dimension: 'feature', value: 'eval:ft', model: 'gpt-4.1-mini' }]);
    expect(factors(ft, 'feature')).toMatchObject({ eval: [1, 6.3], 'eval:ft': [2.6667, 16.8] });
    const bare = await forecast(['--by', 'feature', '--model', 'feature="eval":ft:gpt-4.1-mini']);
    expect(bare.what_if.models).toEqual([{ dimension: 'feature', value: 'eval', model: 'ft:gpt-4.1-mini' }]);
    expect(factors(bare, 'feature')).toMatchObject({ eval: [5.3333, 33.6], 'eval:ft': [1, 6.3] });
  });

  it('with no split that works, names the part that failed: the model after a value with spend, else the value before a priced model', async () => {
    const cases = [
      [`model=${SONNET}:gpt-4.1-mimi`, `--model: unpriced model "gpt-4.1-mimi" in "model=${SONNET}:gpt-4.1-mimi": the catalogue has no current price for it`],
      ['model=us.anthropic.claude-sonnet-4-5-20250929-v2:0:gpt-4.1-mini', '--model: "model=us.anthropic.claude-sonnet-4-5-20250929-v2:0:gpt-4.1-mini" names model "us.anthropic.claude-sonnet-4-5-20250929-v2:0", which has no spend in the history being forecast'],
    ] as const;
    for (const [spec, message] of cases) {
      const r = await run(['--by', 'model', '--model', spec]);
      expect(r.code, spec).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    }
  });
});
