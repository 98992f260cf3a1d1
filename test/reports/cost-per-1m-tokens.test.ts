// Cost per 1M tokens divides the cost of the rows that count their tokens by those tokens.
// Billed exports (cost exports, CUR, FOCUS…) and a bill's unattributed remainder carry
// cost but no token counts: their dollars stay in the cost and out of cost per 1M tokens.
// Prices: gpt-4o $2.50 input and $10 output per 1M; claude-sonnet-4-5 $3 input per 1M.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ledgerOf, reportJson } from './rows-ledger.js';

interface Row {
  [dim: string]: unknown;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  cost_per_1m_tokens_usd: number | null;
}
interface ReportJson {
  rows: Row[];
  total: Row;
}

const report = (db: string, args: string[]) => reportJson<ReportJson>(db, args);

/** dim value → [cost, tokens (input + output), cost per 1M tokens], in the report's order. */
const figures = (r: ReportJson, dim: string) => r.rows.map((row) => [row[dim], row.cost_usd, row.input_tokens + row.output_tokens, row.cost_per_1m_tokens_usd]);

describe('report: cost per 1M tokens counts only the spend whose tokens are counted', () => {
  let db: string;
  beforeAll(async () => {
    db = await ledgerOf([
      // Proxy rows count their tokens. search: 1M input = $2.50.
      { id: 'a', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 10, input_tokens: 1_000_000, output_tokens: 0, team: 'search' },
      // chat: 400k input = $1.00; 100k input + 25k output = $0.25 + $0.25 = $0.50.
      { id: 'd', ts: '2026-10-01T11:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 4, input_tokens: 400_000, output_tokens: 0, team: 'chat' },
      { id: 'e', ts: '2026-10-02T11:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 1, input_tokens: 100_000, output_tokens: 25_000, team: 'chat' },
      // A billed cost export's rows: cost, no tokens. search $4.50, ads $6.00.
      { id: 'b', ts: '2026-10-01T00:00:00Z', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'billed', granularity: 'day', requests: 0, cost_usd: '4.50', team: 'search' },
      { id: 'c', ts: '2026-10-02T00:00:00Z', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'billed', granularity: 'day', requests: 0, cost_usd: '6.00', team: 'ads' },
    ]);
  });

  it('a mixed group divides only the cost of its rows with tokens; a group with no tokens has none; a fully tokened group is unchanged', async () => {
    const r = await report(db, ['--by', 'team']);
    expect(figures(r, 'team')).toEqual([
      // $2.50 + $4.50 = $7.00; $2.50 / 1M tokens = $2.50 per 1M, not $7.00.
      ['search', 7, 1_000_000, 2.5],
      // No row of ads has tokens: unknown, not $0 and not infinite.
      ['ads', 6, 0, null],
      // Every row has tokens: $1.50 / 525,000 x 1M = $2.857142857142…, as before.
      ['chat', 1.5, 525_000, 2.8571428571],
    ]);
    // $14.50 in all; $2.50 + $1.50 = $4.00 over 1,525,000 tokens = $2.62295081967… per 1M
    // (not $14.50 / 1.525M = $9.51).
    expect(r.total).toMatchObject({ cost_usd: 14.5, input_tokens: 1_500_000, output_tokens: 25_000, cost_per_1m_tokens_usd: 2.6229508197 });
    // Grouped so that each group is all tokened or all not: the same per group.
    expect(figures(await report(db, ['--by', 'provider']), 'provider')).toEqual([
      ['anthropic', 10.5, 0, null],
      ['openai', 4, 1_525_000, 2.6229508197],
    ]);
  });

  it('has no figure, rather than $0, when the rows with tokens have no price', async () => {
    const unpriced = await ledgerOf([
      // 1,100 tokens of a model the catalogue does not know: their cost is unknown.
      { id: 'u', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'in-house-llm-7', requests: 5, input_tokens: 1_000, output_tokens: 100, team: 'search' },
      // $3.00 of billed spend with no tokens.
      { id: 'v', ts: '2026-10-01T00:00:00Z', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'billed', granularity: 'day', requests: 0, cost_usd: '3.00', team: 'search' },
    ]);
    const r = await runCli(['report', '--db', unpriced, '--by', 'team', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows).toMatchObject([{ team: 'search', cost_usd: 3, input_tokens: 1_000, output_tokens: 100, cost_per_1m_tokens_usd: null, unpriced_rows: 1 }]);
    // The table shows none either, and says why (the unknown model) rather than call the
    // figure the division of $0.00.
    const table = await runCli(['report', '--db', unpriced, '--by', 'team']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^total\s+\$3\.00\s.*\s–\s+–\s*$/m);
    expect(table.stderr).toBe('warning: 1 ledger row has no price: its tokens are counted, its cost is not, and cost per request and per 1M tokens leave it out — `llmfin report --by model` names its model; add a model the catalogue lacks under pricing.custom_models (rows under "(unattributed)" have none: export the usage grouped by model)\n');
  });

  it('gives the same figures from the daily rollup and from the rows (--no-rollup), per day too', async () => {
    for (const by of ['team', 'day', 'team,day', 'provider,team']) {
      expect(await report(db, ['--by', by, '--no-rollup'])).toEqual(await report(db, ['--by', by]));
    }
    expect(figures(await report(db, ['--by', 'day']), 'day')).toEqual([
      // 2026-10-01: $2.50 + $4.50 + $1.00 = $8.00; $3.50 tokened over 1.4M tokens = $2.50 per 1M.
      ['2026-10-01', 8, 1_400_000, 2.5],
      // 2026-10-02: $6.00 + $0.50 = $6.50; $0.50 over 125,000 tokens = $4.00 per 1M.
      ['2026-10-02', 6.5, 125_000, 4],
    ]);
  });

  it('keeps the (other) group of --top on the tokened figure', async () => {
    const r = await report(db, ['--by', 'team', '--top', '1']);
    // search kept; (other) = ads + chat: $7.50, $1.50 tokened over 525,000 tokens.
    expect(figures(r, 'team')).toEqual([
      ['search', 7, 1_000_000, 2.5],
      ['(other)', 7.5, 525_000, 2.8571428571],
    ]);
  });

  it('says in the table output how much spend $/1M TOK leaves out, with cost per request when it leaves out the same', async () => {
    const r = await runCli(['report', '--db', db, '--by', 'team']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^search\s+\$7\.00\s.*\$2\.50\s*$/m);
    expect(r.stdout).toMatch(/^ads\s+\$6\.00\s.*\s–\s*$/m);
    expect(r.stdout).toMatch(/^total\s+\$14\.50\s.*\$2\.62\s*$/m);
    // The billed rows count neither requests nor tokens: one note for both figures.
    expect(r.stderr).toBe(
      'cost per request and cost per 1M tokens divide the cost of the rows that count their requests and tokens ($4.00) by those requests and tokens; ' +
        "the other $10.50 has no request or token count (exports that report none, a bill's unattributed remainder) and is left out of both\n",
    );
    // Not when every dollar has its tokens and requests, nor in JSON (a script reads the rows).
    expect((await runCli(['report', '--db', db, '--by', 'team', '--where', 'team=chat'])).stderr).toBe('');
  });

  it('says what each figure leaves out when they leave out different spend', async () => {
    const apart = await ledgerOf([
      // Requests and tokens: 1M gpt-4o input = $2.50 over 10 requests.
      { id: 'a', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 10, input_tokens: 1_000_000, output_tokens: 0, team: 'search' },
      // A usage report's row: tokens, no request count. 1M input x $3 = $3.00.
      { id: 'b', ts: '2026-10-01T00:00:00Z', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'provider_usage', granularity: 'day', requests: 0, input_tokens: 1_000_000, output_tokens: 0, team: 'search' },
      // A billed row: neither. $2.00.
      { id: 'c', ts: '2026-10-01T00:00:00Z', provider: 'google', model: 'gemini-2.5-pro', provenance: 'billed', granularity: 'day', requests: 0, cost_usd: '2.00', team: 'search' },
    ]);
    const r = await runCli(['report', '--db', apart, '--by', 'team']);
    expect(r.code).toBe(0);
    // $7.50 in all: $2.50 / 10 requests = $0.25; ($2.50 + $3.00) / 2M tokens = $2.75 per 1M.
    expect(r.stdout).toMatch(/^search\s+\$7\.50\s.*\$0\.25\s+\$2\.75\s*$/m);
    expect(r.stderr).toBe(
      "cost per request divides the cost of the rows that count their requests ($2.50) by those requests; the other $5.00 has no request count (exports that report none, a bill's unattributed remainder) and is left out of it\n" +
        "cost per 1M tokens divides the cost of the rows that count their tokens ($5.50) by those tokens; the other $2.00 has no token count (exports that report none, a bill's unattributed remainder) and is left out of it\n",
    );
  });
});

describe('report: cost per 1M tokens on the default basis (the layer rule)', () => {
  const fx = (name: string) => fileURLToPath(new URL(`../fixtures/reports/layers-2026-10/${name}`, import.meta.url));

  it("leaves a bill's unattributed remainder, which has no tokens, out of the figure", async () => {
    const db = join(tempDir(), 'l.db');
    expect((await runCli(['import', '--db', db, fx('invoice.yaml'), fx('costs.json'), fx('usage.json'), fx('proxy.jsonl')])).code).toBe(0);
    // Invoice $100.00; the proxy priced $54.00: search $43.50 over 56M + 11.5M = 67.5M tokens
    // = $0.6444…, support $10.50 over 22M + 2.6M = 24.6M = $0.42682926829…
    expect(figures(await report(db, ['--by', 'team', '--month', '2026-10']), 'team')).toEqual([
      ['(unattributed)', 46, 0, null],
      ['search', 43.5, 67_500_000, 0.6444444444],
      ['support', 10.5, 24_600_000, 0.4268292683],
    ]);
    // openai holds the remainder too: $54.00 / 92.1M tokens = $0.58631921824…, not $100.00 / 92.1M = $1.09.
    const byProvider = await report(db, ['--by', 'provider', '--month', '2026-10']);
    expect(figures(byProvider, 'provider')).toEqual([['openai', 100, 92_100_000, 0.5863192182]]);
    expect(byProvider.total.cost_per_1m_tokens_usd).toBe(0.5863192182);
    expect(await report(db, ['--by', 'provider', '--month', '2026-10', '--no-rollup'])).toEqual(byProvider);
  });

  // Held as it was before the tokened cost existed: a regression guard for the allocation.
  it('keeps the figure of metered groups a smaller bill is split over: their tokens are all counted', async () => {
    const db = await ledgerOf([
      // The bill: $3.00, no tokens.
      { id: 'bill', ts: '2026-09-10T00:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'billed', granularity: 'day', requests: 0, cost_usd: '3.00' },
      // The proxy priced $4.00: x 1.2M input = $3.00, y 400k = $1.00.
      { id: 'x', ts: '2026-09-10T10:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 10, input_tokens: 1_200_000, output_tokens: 0, team: 'x' },
      { id: 'y', ts: '2026-09-10T11:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 2, input_tokens: 400_000, output_tokens: 0, team: 'y' },
    ]);
    // $3.00 split 3:1: x $2.25 / 1.2M = $1.875 per 1M, y $0.75 / 400k = $1.875; total $3.00 / 1.6M.
    const r = await report(db, ['--by', 'team']);
    expect(figures(r, 'team')).toEqual([
      ['x', 2.25, 1_200_000, 1.875],
      ['y', 0.75, 400_000, 1.875],
    ]);
    expect(r.total).toMatchObject({ cost_usd: 3, cost_per_1m_tokens_usd: 1.875 });
    // A window within the day takes the same split.
    const half = await report(db, ['--by', 'team', '--since', '2026-09-10T10:30:00Z', '--until', '2026-09-10T12:00:00Z']);
    expect(figures(half, 'team')).toEqual([['y', 0.75, 400_000, 1.875]]);
  });
});
