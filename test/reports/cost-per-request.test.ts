// Cost per request divides the cost of the rows that count their requests by those
// requests. Aggregated exports that report no request count (Anthropic usage reports,
// billed cost exports, FOCUS…) hold requests = 0: their dollars stay in the cost and out
// of cost per request. Prices: gpt-4o $2.50 input per 1M; claude-sonnet-4-5 $3 input and
// $15 output per 1M.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ledgerOf, reportJson } from './rows-ledger.js';

interface Row {
  [dim: string]: unknown;
  cost_usd: number;
  requests: number;
  cost_per_request_usd: number | null;
}
interface ReportJson {
  rows: Row[];
  total: Row;
}

const report = (db: string, args: string[]) => reportJson<ReportJson>(db, args);

/** dim value → [cost, requests, cost per request], in the report's order. */
const figures = (r: ReportJson, dim: string) => r.rows.map((row) => [row[dim], row.cost_usd, row.requests, row.cost_per_request_usd]);

describe('report: cost per request counts only the spend whose requests are counted', () => {
  let db: string;
  beforeAll(async () => {
    db = await ledgerOf([
      // Proxy rows count their requests. search: 1M input on gpt-4o = $2.50 over 10 requests.
      { id: 'a', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 10, input_tokens: 1_000_000, output_tokens: 0, team: 'search' },
      // chat: 400k = $1.00 over 4 requests, 200k = $0.50 over 1: $1.50 over 5 requests.
      { id: 'd', ts: '2026-10-01T11:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 4, input_tokens: 400_000, output_tokens: 0, team: 'chat' },
      { id: 'e', ts: '2026-10-02T11:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 1, input_tokens: 200_000, output_tokens: 0, team: 'chat' },
      // An Anthropic usage report's rows, which count no requests. search: 1M in x $3 +
      // 100k out x $15 = $3.00 + $1.50 = $4.50; ads: 2M in x $3 = $6.00.
      { id: 'b', ts: '2026-10-01T00:00:00Z', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'provider_usage', granularity: 'day', requests: 0, input_tokens: 1_000_000, output_tokens: 100_000, team: 'search' },
      { id: 'c', ts: '2026-10-02T00:00:00Z', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'provider_usage', granularity: 'day', requests: 0, input_tokens: 2_000_000, output_tokens: 0, team: 'ads' },
    ]);
  });

  it('a mixed group divides only its counted cost; a group with no counted request has none; a fully counted group is unchanged', async () => {
    const r = await report(db, ['--by', 'team']);
    expect(figures(r, 'team')).toEqual([
      // $2.50 + $4.50 = $7.00; $2.50 / 10 = $0.25, not $7.00 / 10 = $0.70.
      ['search', 7, 10, 0.25],
      // No row of ads counts its requests: unknown, not $0 and not infinite.
      ['ads', 6, 0, null],
      // Every row counts: $1.50 / 5 = $0.30, as before.
      ['chat', 1.5, 5, 0.3],
    ]);
    // $14.50 in all; the counted $2.50 + $1.50 = $4.00 over 15 requests = $0.2666666667.
    expect(r.total).toMatchObject({ cost_usd: 14.5, requests: 15, cost_per_request_usd: 0.2666666667 });
    // Grouped so that each group is all counted or all uncounted: the same per group.
    expect(figures(await report(db, ['--by', 'provider']), 'provider')).toEqual([
      ['anthropic', 10.5, 0, null],
      ['openai', 4, 15, 0.2666666667],
    ]);
  });

  it('has no figure, rather than $0, when the rows that count requests have no price', async () => {
    const unpriced = await ledgerOf([
      // 5 requests of a model the catalogue does not know: their cost is unknown.
      { id: 'u', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'in-house-llm-7', requests: 5, input_tokens: 1_000, output_tokens: 100, team: 'search' },
      // $3.00 of priced spend whose requests are not counted (1M input at $3).
      { id: 'v', ts: '2026-10-01T00:00:00Z', provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'provider_usage', granularity: 'day', requests: 0, input_tokens: 1_000_000, output_tokens: 0, team: 'search' },
    ]);
    const r = await runCli(['report', '--db', unpriced, '--by', 'team', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows).toMatchObject([{ team: 'search', cost_usd: 3, requests: 5, cost_per_request_usd: null, unpriced_rows: 1 }]);
  });

  it('sorts by the counted figure, groups with none last', async () => {
    const r = await report(db, ['--by', 'team', '--sort', 'cost_per_request']);
    // chat $0.30, search $0.25 (it was first at $0.70), ads unknown.
    expect(r.rows.map((row) => row.team)).toEqual(['chat', 'search', 'ads']);
  });

  it('gives the same figures from the daily rollup and from the rows (--no-rollup), per day too', async () => {
    for (const by of ['team', 'day', 'team,day', 'provider,team']) {
      expect(await report(db, ['--by', by, '--no-rollup'])).toEqual(await report(db, ['--by', by]));
    }
    // 2026-10-01: search $2.50 + $4.50 and chat $1.00, counted $3.50 over 14 requests = $0.25.
    expect(figures(await report(db, ['--by', 'day']), 'day')).toEqual([
      ['2026-10-01', 8, 14, 0.25],
      // 2026-10-02: ads $6.00 and chat $0.50, counted $0.50 over 1 request.
      ['2026-10-02', 6.5, 1, 0.5],
    ]);
  });

  it('keeps the (other) group of --top on the counted figure', async () => {
    const r = await report(db, ['--by', 'team', '--top', '1']);
    // search kept; (other) = ads + chat: $7.50, counted $1.50 over 5 requests = $0.30.
    expect(figures(r, 'team')).toEqual([
      ['search', 7, 10, 0.25],
      ['(other)', 7.5, 5, 0.3],
    ]);
  });

  it('says in the table output how much spend $/REQUEST leaves out', async () => {
    const r = await runCli(['report', '--db', db, '--by', 'team']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^search\s+\$7\.00\s.*\$0\.25\s/m);
    expect(r.stdout).toMatch(/^ads\s+\$6\.00\s.*\s–\s/m);
    expect(r.stderr).toContain('cost per request divides the cost of the rows that count their requests ($4.00) by those requests; the other $10.50 has no request count');
    // Not when every dollar counts its requests, nor in JSON (a script reads the rows).
    expect((await runCli(['report', '--db', db, '--by', 'team', '--where', 'team=chat'])).stderr).toBe('');
  });

  it('shares the figure with report --metrics units', async () => {
    const r = await runCli(['report', '--db', db, '--metrics', 'units', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const units = JSON.parse(r.stdout) as { cost_per_customer_feature: Array<{ cost_usd: number; requests: number; cost_per_request_usd: number | null }> };
    // One (unattributed) customer and feature: $14.50, counted $4.00 over 15 requests.
    expect(units.cost_per_customer_feature).toEqual([{ customer: '(unattributed)', feature: '(unattributed)', cost_usd: 14.5, requests: 15, cost_per_request_usd: 0.2666666667, unpriced_rows: 0 }]);
  });
});

describe('report: cost per request on the default basis (the layer rule)', () => {
  const fx = (name: string) => fileURLToPath(new URL(`../fixtures/reports/layers-2026-10/${name}`, import.meta.url));

  it('leaves a bill\'s unattributed remainder, which no request was counted for, out of the figure', async () => {
    const db = join(tempDir(), 'l.db');
    expect((await runCli(['import', '--db', db, fx('invoice.yaml'), fx('proxy.jsonl')])).code).toBe(0);
    // Invoice $100.00; the proxy priced $54.00 over 1000 + 5000 + 200 + 2000 = 8200 requests.
    // search $43.50 / 6000 = $0.00725; support $10.50 / 2200 = $0.00477272727…
    expect(figures(await report(db, ['--by', 'team', '--month', '2026-10']), 'team')).toEqual([
      ['(unattributed)', 46, 0, null],
      ['search', 43.5, 6000, 0.00725],
      ['support', 10.5, 2200, 0.0047727273],
    ]);
    // openai holds the remainder too: $54.00 / 8200 = $0.00658536585…, not $100.00 / 8200.
    expect(figures(await report(db, ['--by', 'provider', '--month', '2026-10']), 'provider')).toEqual([['openai', 100, 8200, 0.0065853659]]);
    expect((await report(db, ['--by', 'provider', '--month', '2026-10'])).total.cost_per_request_usd).toBe(0.0065853659);
  });

  // Held as it was before counted cost existed: a regression guard for the allocation.
  it('keeps the figure of metered groups a smaller bill is split over: their requests are all counted', async () => {
    const db = await ledgerOf([
      // The bill: $3.00, counting no requests.
      { id: 'bill', ts: '2026-09-10T00:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'billed', granularity: 'day', requests: 0, cost_usd: '3.00' },
      // The proxy priced $4.00: x 1.2M input = $3.00 over 10 requests, y 400k = $1.00 over 2.
      { id: 'x', ts: '2026-09-10T10:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 10, input_tokens: 1_200_000, output_tokens: 0, team: 'x' },
      { id: 'y', ts: '2026-09-10T11:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 2, input_tokens: 400_000, output_tokens: 0, team: 'y' },
    ]);
    // $3.00 split 3:1: x $2.25 / 10 = $0.225, y $0.75 / 2 = $0.375; total $3.00 / 12 = $0.25.
    const r = await report(db, ['--by', 'team']);
    expect(figures(r, 'team')).toEqual([
      ['x', 2.25, 10, 0.225],
      ['y', 0.75, 2, 0.375],
    ]);
    expect(r.total).toMatchObject({ cost_usd: 3, requests: 12, cost_per_request_usd: 0.25 });
    // A window within the day takes the same split.
    const half = await report(db, ['--by', 'team', '--since', '2026-09-10T10:30:00Z', '--until', '2026-09-10T12:00:00Z']);
    expect(figures(half, 'team')).toEqual([['y', 0.75, 2, 0.375]]);
  });
});
