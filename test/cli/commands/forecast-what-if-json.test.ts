// The JSON `what_if.models` names each `--model` switch's group as the option does
// (DIM=VALUE:MODEL), whatever the dimension: grouped by model, `model=gpt-4.1:gpt-4.1-mini`
// was emitted as { model: "gpt-4.1-mini" }, the group lost and the switch read as one for
// every group. The forecast itself re-priced the right group all along.
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ledgerOf } from '../../reports/rows-ledger.js';

/**
 * Fourteen days from 2026-10-01 of two features: `big` on gpt-4.1 ($2 and $8 per 1M:
 * 1,000,000 input and 100,000 output tokens a day is $2.80) and `small` on gpt-4o-mini
 * ($0.15 and $0.60: $0.21 a day).
 */
function rows() {
  return Array.from({ length: 14 }, (_, i) => [
    { feature: 'big', model: 'gpt-4.1', cost_usd: '2.8' },
    { feature: 'small', model: 'gpt-4o-mini', cost_usd: '0.21' },
  ].map((r) => ({
    id: `${r.feature}-${i}`, source: 'proxy', ts: `2026-10-${String(1 + i).padStart(2, '0')}T00:00:00Z`, granularity: 'day', provenance: 'metered',
    provider: 'openai', model: r.model, requests: 1000, input_tokens: 1_000_000, output_tokens: 100_000, cost_status: 'priced', cost_usd: r.cost_usd, feature: r.feature,
  }))).flat();
}

interface Forecast {
  what_if: { models: Array<Record<string, string | null>> };
  rows: Array<Record<string, unknown>>;
}

async function forecast(db: string, args: string[]): Promise<Forecast> {
  const r = await runCli(['forecast', '--db', db, '--since', '2026-10-01', '--until', '2026-10-15', '--format', 'json', ...args], { cwd: dirname(db) });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Forecast;
}

describe('forecast --format json: what_if.models', () => {
  it('grouped by model, a switch of one model keeps the model it moves (gpt-4.1 → gpt-4.1-mini, ×0.2)', async () => {
    const db = await ledgerOf(rows());
    const j = await forecast(db, ['--by', 'model', '--model', 'model=gpt-4.1:gpt-4.1-mini']);
    expect(j.what_if.models).toEqual([{ dimension: 'model', value: 'gpt-4.1', model: 'gpt-4.1-mini' }]);
    // gpt-4.1-mini's $0.40 and $1.60 are a fifth of gpt-4.1's $2 and $8; gpt-4o-mini is not moved.
    expect(j.rows.map((r) => [r.model, r.what_if_factor])).toEqual([['gpt-4.1', 0.2], ['gpt-4o-mini', 1]]);
  });

  it('grouped by feature, the same shape; a switch for every group has the same keys, naming no group', async () => {
    const db = await ledgerOf(rows());
    const j = await forecast(db, ['--by', 'feature', '--model', 'feature=big:gpt-4.1-mini', '--model', 'gpt-4o']);
    // Before: { model: "gpt-4o" } alone, a switch whose keys were not the others'.
    expect(j.what_if.models).toEqual([{ dimension: 'feature', value: 'big', model: 'gpt-4.1-mini' }, { dimension: null, value: null, model: 'gpt-4o' }]);
    expect(j.rows.find((r) => r.feature === 'big')!.what_if_factor).toBe(0.2);
  });
});
