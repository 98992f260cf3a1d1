// A bill line that spans a month (ts Oct 1, ts_end Nov 1) in a month an invoice covers only
// partly (Oct 15 – Nov 14): the invoice is the money of its days, the line's other days keep
// their share. Before, the line counted whole on Oct 1 beside the invoice's Oct 15–31 share.
//   Monthly line: $310.00 over 31 days ($10.00 a day). Invoice INV-1015: $372.00 over
//   Oct 15 – Nov 14 (31 days: $12.00 a day), so October holds 17 × 12 = $204.00 of it.
//   October = Oct 1–14 of the line (14 × 10 = $140.00) + the invoice's $204.00 = $344.00,
//   not $310.00 + $204.00 = $514.00.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

async function ledgerWith(invoice: { start: string; end: string; usd: string }, end: { ts_end?: string } = { ts_end: '2026-11-01T00:00:00Z' }): Promise<string> {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'billed.jsonl'),
    `${JSON.stringify({ id: 'm10', ts: '2026-10-01T00:00:00Z', ...end, granularity: 'month', provenance: 'billed', provider: 'openai', model: 'gpt-4o', cost_usd: '310.00', input_tokens: 124_000_000, output_tokens: 0, team: 'search' })}\n`,
  );
  writeFileSync(
    join(dir, 'invoice.yaml'),
    `provider: openai\nnumber: INV-1\nperiod: { start: ${invoice.start}, end: ${invoice.end} }\nlines:\n  - { description: API usage, amount: "${invoice.usd}" }\ntotal: "${invoice.usd}"\n`,
  );
  const db = join(dir, 'l.db');
  const r = await runCli(['import', '--db', db, join(dir, 'billed.jsonl'), join(dir, 'invoice.yaml')]);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

type Rows = { rows: Array<Record<string, string | number>>; total: { cost_usd: number } };

describe('a row spanning days in a month an invoice covers only partly', () => {
  it('keeps the share of its days the invoice does not cover, and leaves the rest to the invoice', async () => {
    const db = await ledgerWith({ start: '2026-10-15', end: '2026-11-15', usd: '372.00' });
    for (const rollup of [[], ['--no-rollup']]) {
      const byDay = await runJson<Rows>(['report', '--db', db, '--by', 'day', '--month', '2026-10', ...rollup]);
      expect(byDay.rows.map((r) => [r.day, r.cost_usd])).toEqual([
        ['2026-10-01', 140],
        ['2026-10-15', 204],
      ]);
      expect(byDay.total.cost_usd).toBe(344);
    }
    // The line's covered share attributes the invoice's money to its team; the invoice's
    // $34.00 more than that share is unattributed. Its tokens are shared out likewise.
    const byTeam = await runJson<Rows>(['report', '--db', db, '--by', 'team', '--month', '2026-10']);
    expect(byTeam.rows.map((r) => [r.team, r.cost_usd, r.input_tokens])).toEqual([
      ['search', 310, 124_000_000],
      ['(unattributed)', 34, 0],
    ]);
  });

  it('a month row given without ts_end spans its calendar month, not its first day alone', async () => {
    // Read as a point on Oct 1 it counted whole beside the invoice's Oct 15–31: $310 + $204 = $514.
    const db = await ledgerWith({ start: '2026-10-15', end: '2026-11-15', usd: '372.00' }, {});
    const byDay = await runJson<Rows>(['report', '--db', db, '--by', 'day', '--month', '2026-10']);
    expect(byDay.rows.map((r) => [r.day, r.cost_usd])).toEqual([
      ['2026-10-01', 140],
      ['2026-10-15', 204],
    ]);
    expect(byDay.total.cost_usd).toBe(344);
  });

  it('moves the share of the uncovered days out of the invoice\'s part when the line starts on a covered day', async () => {
    // Invoice Sep 15 – Oct 15 ($300.00, 30 days: $10.00 a day, Oct 1–14 = $140.00 of it); the
    // line's Oct 15–31 share (17 × 10 = $170.00) is the rest of October's money.
    const db = await ledgerWith({ start: '2026-09-15', end: '2026-10-15', usd: '300.00' });
    const byDay = await runJson<Rows>(['report', '--db', db, '--by', 'day', '--month', '2026-10']);
    expect(byDay.rows.map((r) => [r.day, r.cost_usd])).toEqual([
      ['2026-10-01', 140],
      ['2026-10-15', 170],
    ]);
  });

  it('reconcile compares the line\'s share of the invoice\'s days with the invoice, and the rest with its own days', async () => {
    const db = await ledgerWith({ start: '2026-10-15', end: '2026-11-15', usd: '372.00' });
    const r = await runJson<{ rows: Array<{ days?: { from: string; to: string }; billed_usage_usd: number | null; invoice_usage_usd: number | null }> }>(['reconcile', '--db', db, '--month', '2026-10']);
    // Oct 1–14: 14 of the line's 31 days ($140.00); Oct 15 – Nov 14: its Oct 15–31 share, 17 days ($170.00).
    expect(r.rows.map((x) => [x.days?.from, x.days?.to, x.billed_usage_usd, x.invoice_usage_usd])).toEqual([
      ['2026-10-01', '2026-10-14', 140, null],
      ['2026-10-15', '2026-11-14', 170, 372],
    ]);
  });
});
