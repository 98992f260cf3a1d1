// Every metric of a report row, hand-computed. gpt-4o: $2.50 input, $1.25 cached input,
// $10 output per 1M tokens; OpenAI counts cache reads inside input_tokens.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from './rows-ledger.js';

describe('report metrics', () => {
  it('computes cost, share, tokens by class, cost per request, per 1M tokens and the cache hit ratio', async () => {
    const db = await ledgerOf([
      // 600k uncached x 2.50 + 400k cached x 1.25 + 100k output x 10 = 1.50 + 0.50 + 1.00 = $3.00
      { id: 'a', ts: '2026-09-10T10:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 10, input_tokens: 1_000_000, cache_read_tokens: 400_000, output_tokens: 100_000, reasoning_tokens: 20_000, feature: 'chat' },
      // 100k x 2.50 + 0 = $0.25 + 10k x 10 = $0.10 -> $0.35; no cache.
      { id: 'b', ts: '2026-09-11T10:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 1, input_tokens: 100_000, output_tokens: 10_000, feature: 'search' },
    ]);
    const r = await runCli(['report', '--db', db, '--by', 'feature', '--format', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json.rows[0]).toEqual({
      feature: 'chat',
      cost_usd: 3,
      share: 0.895522, // 3.00 / 3.35 = 0.8955223…, to 6 places (largest remainder)
      requests: 10,
      input_tokens: 1_000_000,
      output_tokens: 100_000,
      cache_read_tokens: 400_000,
      cache_write_tokens: 0,
      reasoning_tokens: 20_000,
      cost_per_request_usd: 0.3,
      cost_per_1m_tokens_usd: 2.7272727273, // 3.00 / 1.1M tokens x 1M
      cache_hit_ratio: 0.4,
      unpriced_rows: 0,
    });
    expect(json.total).toMatchObject({ cost_usd: 3.35, requests: 11, input_tokens: 1_100_000, cache_read_tokens: 400_000, share: 1, cost_per_request_usd: 0.3045454545 });
    // 400k / 1.1M = 0.363636...
    expect(json.total.cache_hit_ratio).toBe(0.363636);
    // 0.35 / 3.35 = 0.1044776…: the floors 0.895522 + 0.104477 leave one millionth, which
    // goes to the larger remainder (search's .76 over chat's .39), so the shares add up to 1.
    expect(json.rows[1]).toMatchObject({ feature: 'search', share: 0.104478 });
    expect(Math.round((json.rows[0].share + json.rows[1].share) * 1e6)).toBe(1_000_000);
    const sorted = await runCli(['report', '--db', db, '--by', 'feature', '--sort', 'name', '--format', 'json']);
    expect(JSON.parse(sorted.stdout).rows.map((x: { feature: string }) => x.feature)).toEqual(['chat', 'search']);
    const byRequests = await runCli(['report', '--db', db, '--by', 'feature', '--sort', 'cost_per_request', '--format', 'json']);
    // search $0.35 / 1 request beats chat $0.30.
    expect(JSON.parse(byRequests.stdout).rows.map((x: { feature: string }) => x.feature)).toEqual(['search', 'chat']);
  });

  it('--top keeps the N largest groups even when the rows are listed by name or in time order', async () => {
    // gpt-4o input at $2.50 per 1M: 400k = $1.00, 2M = $5.00, 800k = $2.00.
    const db = await ledgerOf([
      { id: 'a', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 400_000, output_tokens: 0, feature: 'alpha' },
      { id: 'b', ts: '2026-10-02T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 2_000_000, output_tokens: 0, feature: 'beta' },
      { id: 'c', ts: '2026-10-03T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 800_000, output_tokens: 0, feature: 'gamma' },
    ]);
    const rows = async (args: string[], dim: string) =>
      (JSON.parse((await runCli(['report', '--db', db, ...args, '--format', 'json'])).stdout).rows as Array<Record<string, string | number>>).map((r) => [r[dim], r.cost_usd]);
    expect(await rows(['--by', 'day', '--top', '1'], 'day')).toEqual([
      ['2026-10-02', 5],
      ['(other)', 3],
    ]);
    expect(await rows(['--by', 'feature', '--top', '2', '--sort', 'name'], 'feature')).toEqual([
      ['beta', 5],
      ['gamma', 2],
      ['(other)', 1],
    ]);
    expect(await rows(['--by', 'feature', '--top', '2'], 'feature')).toEqual([
      ['beta', 5],
      ['gamma', 2],
      ['(other)', 1],
    ]);
  });

  it('leaves cost per request and per 1M tokens unknown (null, "–") for a group whose every row is unpriced, not $0', async () => {
    const db = await ledgerOf([
      // 400k gpt-4o input at $2.50 per 1M = $1.00 over 4 requests: $0.25 a request.
      { id: 'a', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', requests: 4, input_tokens: 400_000, output_tokens: 0, feature: 'chat' },
      { id: 'b', ts: '2026-10-01T11:00:00Z', provider: 'openai', model: 'in-house-model-x', requests: 6, input_tokens: 600_000, output_tokens: 0, feature: 'lab' },
    ]);
    const r = await runCli(['report', '--db', db, '--by', 'feature', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as Array<Record<string, unknown>>;
    expect(rows.find((x) => x.feature === 'lab')).toMatchObject({ cost_usd: 0, requests: 6, unpriced_rows: 1, cost_per_request_usd: null, cost_per_1m_tokens_usd: null });
    expect(rows.find((x) => x.feature === 'chat')).toMatchObject({ cost_usd: 1, cost_per_request_usd: 0.25, cost_per_1m_tokens_usd: 2.5 });
    const table = await runCli(['report', '--db', db, '--by', 'feature']);
    // Its cost is unknown, not free: the table says "unpriced" where $0.00 would read as no spend.
    expect(table.stdout).toMatch(/lab\s+unpriced\s+0\.0%\s+6\s+600,000\s+0\s+0\.0%\s+–\s+–/);
    expect(table.stdout).toMatch(/chat\s+\$1\.00\s+100\.0%/);
    // CSV keeps the number (and unpriced_rows beside it) for machines.
    const csv = await runCli(['report', '--db', db, '--by', 'feature', '--format', 'csv']);
    expect(csv.stdout.split('\n').find((l) => l.startsWith('lab,'))).toMatch(/^lab,0,/);
    expect(table.stderr).toContain('1 ledger row has no price');
  });
});
