// Bedrock's ids carry the maker (`anthropic.claude-sonnet-4-5`) where metered rows often
// have the bare id (`claude-sonnet-4-5`): reconcile compares them as one model, instead of
// a model "absent from the estimate" beside another "not billed".
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from './rows-ledger.js';

interface Explanation {
  kind: string;
  explains: string;
  usd: number;
  detail: string;
}

const billed = (id: string, model: string, cost: string) => ({ id, ts: '2026-10-05T00:00:00Z', provider: 'bedrock', model, provenance: 'billed', cost_usd: cost, requests: 0 });
const metered = (id: string, model: string, input: number) => ({ id, ts: '2026-10-05T00:00:00Z', provider: 'bedrock', model, provenance: 'metered', input_tokens: input, output_tokens: 0, requests: 1 });

async function variance(rows: object[]): Promise<Explanation[]> {
  const db = await ledgerOf(rows);
  const r = await runCli(['reconcile', '--db', db, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  const [row] = JSON.parse(r.stdout).rows;
  return (row.explanations as Explanation[]).filter((e) => e.explains === 'variance');
}

describe('reconcile: a Bedrock model with and without its maker prefix', () => {
  it('compares anthropic.claude-sonnet-4-5 billed with claude-sonnet-4-5 metered as the same model', async () => {
    // Billed $10.00 under the Bedrock id; metered under the bare id, which the catalogue
    // does not price on Bedrock: one model whose estimate is unpriced, not two models.
    const found = await variance([billed('b1', 'anthropic.claude-sonnet-4-5', '10.00'), metered('m1', 'claude-sonnet-4-5', 1_000)]);
    expect(found.map((e) => [e.kind, e.usd, e.detail])).toEqual([
      ['unpriced_models', 10, 'anthropic.claude-sonnet-4-5: 1 metered row has no price (add it under pricing.custom_models)'],
    ]);
  });

  it('compares the bare id billed with the Bedrock id metered, as a price difference of one model', async () => {
    // 100K input tokens of anthropic.claude-sonnet-4-5 on Bedrock at $3.30 per 1M = $0.33; billed $0.40.
    const found = await variance([billed('b1', 'claude-sonnet-4-5', '0.40'), metered('m1', 'anthropic.claude-sonnet-4-5', 100_000)]);
    expect(found.map((e) => [e.kind, e.usd, e.detail.split(':')[0]])).toEqual([['price_difference', 0.07, 'anthropic.claude-sonnet-4-5']]);
  });

  it('matches a model the catalogue does not know either way, and a cross-region profile id', async () => {
    // us.anthropic.claude-future-9 (billed $4.00) is claude-future-9 (metered, unpriced).
    const found = await variance([billed('b1', 'us.anthropic.claude-future-9', '4.00'), metered('m1', 'claude-future-9', 1_000)]);
    expect(found.map((e) => [e.kind, e.usd])).toEqual([['unpriced_models', 4]]);
  });

  it('still keeps two different models apart', async () => {
    const found = await variance([billed('b1', 'anthropic.claude-sonnet-4-5', '10.00'), metered('m1', 'claude-future-9', 1_000)]);
    expect(found.map((e) => [e.kind, e.usd])).toEqual([['not_in_estimate', 10]]);
  });
});
