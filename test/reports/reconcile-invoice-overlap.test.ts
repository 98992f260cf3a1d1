// `llmfin reconcile` when a provider's invoice periods overlap, and for a credit note whose
// period is not a calendar month.
//
// The ledger: metered rows, one a day at 12:00 UTC from Oct 1 to Nov 30, of $10.00 each:
// openai gpt-4o 4M input tokens ($2.50 per 1M) and anthropic claude-haiku-4-5 10M input
// tokens ($1.00 per 1M).
//
// openai: invoice OCT for October ($300.00 usage), NOV for November ($290.00 usage), and a
// credit note CN-1 for Oct 20 – Nov 5 (`end: 2026-11-06`) of −$50.00 (credits only).
//   A credit note bills no usage (the layer rule leaves it out), so its period takes no
//   days from the months' invoices: October is OCT against October's 31 days (estimate
//   $310.00: variance 300 − 310 = −$10.00, −3.3333% of 300) with CN-1's credits in it (the
//   row holding its first day, Oct 20); November is NOV against its 30 days ($300.00:
//   −$10.00, −3.4482% of 290).
//   Before, CN-1's period took Oct 20 – Nov 5 from both months: OCT's $300.00 was judged
//   against Oct 1–19 ($190.00: +$110.00, 36.6666% "unexplained") and NOV's $290.00 against
//   Nov 6–30 ($250.00), both rows labelled as days no invoice period covers.
//
// anthropic: invoice X-OCT for October ($300.00) and Y-ODD for Oct 20 – Nov 19
// (`end: 2026-11-20`, $310.00). They both bill Oct 20–31, and the layer rule counts both
// there (October $300.00 + 12/31 × $310.00 = $420.00, November 19/31 × $310.00 = $190.00).
//   They are compared together, on Oct 1 – Nov 19 (50 days, estimate $500.00): invoice
//   usage 300 + 310 = $610.00, variance 610 − 500 = $110.00 (18.0327% of 610, to the
//   ten-thousandth, cut toward zero). The days no invoice covers, Nov 20–30, are a row of
//   their own ($110.00, no bill). So the rows hold
//   every day once, as the report does: 610 + 110 = $720.00 = 420 + (190 + 110).
//   Before, X-OCT's $300.00 was judged against Oct 1–19 ($190.00: +$110.00, 36.6666%), and
//   `--month 2026-11` did not show X-OCT at all.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InvoiceKindSum, LayerModelSum } from '../../src/ledger/queries/reconcile-facts.js';
import { reconcile } from '../../src/reports/reconcile.js';
import { runCli, tempDir } from '../helpers/cli.js';

interface Row {
  provider: string;
  month: string;
  days?: { from: string; to: string; count: number; invoiced: boolean };
  invoice_total_usd: number | null;
  invoice_usage_usd: number | null;
  estimate_usd: number | null;
  variance_usd: number | null;
  unexplained_percent: number | null;
  explanations: { kind: string; usd: number }[];
}

const brief = (r: Row) => [r.provider, r.month, r.days ?? null, r.invoice_total_usd, r.invoice_usage_usd, r.estimate_usd, r.variance_usd, r.unexplained_percent];

const invoice = (provider: string, number: string, start: string, end: string, kind: string, amount: string) =>
  `provider: ${provider}\nnumber: ${number}\nperiod: { start: ${start}, end: ${end} }\nlines:\n  - { description: line, kind: ${kind}, amount: "${amount}" }\ntotal: "${amount}"\n`;

describe('reconcile: overlapping invoice periods and a credit note with its own period', () => {
  let db: string;
  beforeAll(async () => {
    const dir = tempDir();
    db = join(dir, 'x.db');
    const lines: string[] = [];
    for (let t = Date.UTC(2026, 9, 1); t < Date.UTC(2026, 11, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      lines.push(JSON.stringify({ id: `o${day}`, ts: `${day}T12:00:00Z`, provider: 'openai', model: 'gpt-4o', input_tokens: 4_000_000, requests: 1 }));
      lines.push(JSON.stringify({ id: `a${day}`, ts: `${day}T12:00:00Z`, provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 10_000_000, requests: 1 }));
    }
    writeFileSync(join(dir, 'metered.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(dir, 'invoices.yaml'),
      [
        invoice('openai', 'OCT', '2026-10-01', '2026-11-01', 'usage', '300.00'),
        invoice('openai', 'NOV', '2026-11-01', '2026-12-01', 'usage', '290.00'),
        invoice('openai', 'CN-1', '2026-10-20', '2026-11-06', 'credit', '-50.00'),
        invoice('anthropic', 'X-OCT', '2026-10-01', '2026-11-01', 'usage', '300.00'),
        invoice('anthropic', 'Y-ODD', '2026-10-20', '2026-11-20', 'usage', '310.00'),
      ].join('---\n'),
    );
    const imported = await runCli(['import', '--db', db, join(dir, 'metered.jsonl'), join(dir, 'invoices.yaml')]);
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('compares a credit note in the row of its first day, taking no days from the months it spans', async () => {
    for (const [month, expected] of [
      ['2026-10', ['openai', '2026-10', null, 250, 300, 310, -10, -3.3333]],
      ['2026-11', ['openai', '2026-11', null, 290, 290, 300, -10, -3.4482]],
    ] as const) {
      const r = await runCli(['reconcile', '--db', db, '--month', month, '--provider', 'openai', '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const rows = (JSON.parse(r.stdout) as { rows: Row[] }).rows;
      expect(rows.map(brief)).toEqual([expected]);
      // October's row carries the credit note's −$50.00 as credits; November's has none.
      expect(rows[0]!.explanations.filter((e) => e.kind === 'credits').map((e) => e.usd)).toEqual(month === '2026-10' ? [-50] : []);
    }
  });

  it('compares invoices whose periods overlap together, on the days from the first start to the last end, whichever month is asked', async () => {
    const together = ['anthropic', '2026-10', { from: '2026-10-01', to: '2026-11-19', count: 50, invoiced: true }, 610, 610, 500, 110, 18.0327];
    const october = await runCli(['reconcile', '--db', db, '--month', '2026-10', '--provider', 'anthropic', '--format', 'json']);
    expect(october.code, october.stderr).toBe(0);
    expect((JSON.parse(october.stdout) as { rows: Row[] }).rows.map(brief)).toEqual([together]);
    const november = await runCli(['reconcile', '--db', db, '--month', '2026-11', '--provider', 'anthropic', '--format', 'json']);
    expect(november.code, november.stderr).toBe(0);
    expect((JSON.parse(november.stdout) as { rows: Row[] }).rows.map(brief)).toEqual([
      together,
      ['anthropic', '2026-11', { from: '2026-11-20', to: '2026-11-30', count: 11, invoiced: false }, null, null, 110, null, null],
    ]);
    const text = await runCli(['reconcile', '--db', db, '--month', '2026-10', '--provider', 'anthropic']);
    expect(text.stdout).toContain("anthropic · 2026-10-01 … 2026-11-19 (2 invoices' overlapping periods, 50 days)\n  invoice total                     $610.00 (usage lines $610.00)");
  });

  it('counts the same money in the report as the rows of reconcile hold', async () => {
    // anthropic: October 300 + 120 = $420.00, November 190 + 110 = $300.00; openai: the two
    // months' invoices, $300.00 and $290.00 (a credit note is not spend).
    const r = await runCli(['report', '--db', db, '--by', 'provider,month', '--sort', 'name', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { rows: { provider: string; month: string; cost_usd: number }[] }).rows.map((x) => [x.provider, x.month, x.cost_usd])).toEqual([
      ['anthropic', '2026-10', 420],
      ['anthropic', '2026-11', 300],
      ['openai', '2026-10', 300],
      ['openai', '2026-11', 290],
    ]);
  });
});

describe('reconcile() on periods that meet within a day', () => {
  // Stripe periods run from an instant to an instant: Oct 15 08:00 – Nov 15 08:00 ($31.00)
  // and Nov 15 08:00 – Dec 15 08:00 ($30.00). Each counts the day it ends or starts within,
  // so both name Nov 15, but they do not overlap: they are two rows (the first takes
  // Nov 15's $1.00, being the first whose days hold it), not one row from Oct 15 to Dec 15.
  //   First: Oct 15 – Nov 15, 32 days of $1.00 metered = $32.00; second: Nov 16 – Dec 15,
  //   30 days = $30.00 (it is labelled with its own days, Nov 15 – Dec 15, 31 days).
  const metered = (day: string): LayerModelSum => ({ provider: 'openai', month: day.slice(0, 7), day, provenance: 'metered', charge_category: 'usage', cost_status: 'priced', model: 'gpt-4o', source: 'llmfin', rows: 1, cost_ticks: 10_000_000_000n, estimated_cost_ticks: 10_000_000_000n, web_searches: 0 });
  const sums: LayerModelSum[] = [];
  for (let t = Date.UTC(2026, 9, 15); t < Date.UTC(2026, 11, 16); t += 86_400_000) sums.push(metered(new Date(t).toISOString().slice(0, 10)));
  const stripe = (start: string, end: string, usd: bigint): InvoiceKindSum[] => {
    const p = { provider: 'openai', month: start.slice(0, 7), period_start: start, period_end: end, model: null, invoices: 1, accounts: [] };
    return [{ ...p, kind: 'usage', ticks: usd * 10_000_000_000n }, { ...p, kind: 'total', ticks: usd * 10_000_000_000n }];
  };

  it('keeps them apart', () => {
    const rows = reconcile(sums, [...stripe('2026-10-15T08:00:00.000Z', '2026-11-15T08:00:00.000Z', 31n), ...stripe('2026-11-15T08:00:00.000Z', '2026-12-15T08:00:00.000Z', 30n)], (_, m) => m);
    expect(rows.map((r) => [r.days, r.invoice_usage_ticks, r.estimate_ticks])).toEqual([
      [{ from: '2026-10-15', to: '2026-11-15', count: 32, invoiced: true }, 310_000_000_000n, 320_000_000_000n],
      [{ from: '2026-11-15', to: '2026-12-15', count: 31, invoiced: true }, 300_000_000_000n, 300_000_000_000n],
    ]);
  });
});
