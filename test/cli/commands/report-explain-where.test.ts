// `report --explain` explains the spend the report shows: with --where provider=…, the
// layer rule's decisions of that provider's months only, not every provider's.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ledgerOf } from '../../reports/rows-ledger.js';

interface Pool {
  provider: string;
  month: string;
  money_usd: number;
}

const metered = (id: string, ts: string, provider: string, model: string) => ({ id, ts, provider, model, provenance: 'metered', input_tokens: 1_000_000, output_tokens: 0, requests: 1 });

describe('report --explain with --where', () => {
  const rows = [
    metered('o9', '2026-09-10T00:00:00Z', 'openai', 'gpt-4o'),
    metered('o10', '2026-10-10T00:00:00Z', 'openai', 'gpt-4o'),
    metered('a10', '2026-10-10T00:00:00Z', 'anthropic', 'claude-sonnet-4-5'),
  ];

  it('explains only the provider --where picks, in JSON and in the table', async () => {
    const db = await ledgerOf(rows);
    const r = await runCli(['report', '--db', db, '--by', 'provider', '--month', '2026-10', '--explain', '--where', 'provider=openai', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    // 1M gpt-4o input tokens at $2.50.
    expect(json.explain.pools.map((p: Pool) => [p.provider, p.month, p.money_usd])).toEqual([['openai', '2026-10', 2.5]]);
    const text = await runCli(['report', '--db', db, '--by', 'provider', '--month', '2026-10', '--explain', '--where', 'provider=openai']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('  2026-10 openai: $2.50 from metered, attributed by its own identifiers\n');
    expect(text.stdout).not.toContain('anthropic');
  });

  it('explains only the month --where picks, and every provider without a --where', async () => {
    const db = await ledgerOf(rows);
    const byMonth = JSON.parse((await runCli(['report', '--db', db, '--since', '2026-09-01', '--until', '2026-11-01', '--explain', '--where', 'month=2026-09', '--format', 'json'])).stdout);
    expect(byMonth.explain.pools.map((p: Pool) => [p.provider, p.month])).toEqual([['openai', '2026-09']]);
    const all = JSON.parse((await runCli(['report', '--db', db, '--month', '2026-10', '--explain', '--format', 'json'])).stdout);
    // 1M claude-sonnet-4-5 input tokens in one request: past 200K, all at the long-context $6.00 per 1M.
    expect(all.explain.pools.map((p: Pool) => [p.provider, p.month, p.money_usd])).toEqual([
      ['anthropic', '2026-10', 6],
      ['openai', '2026-10', 2.5],
    ]);
  });
});
