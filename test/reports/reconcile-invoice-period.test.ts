// `llmfin reconcile` compares an invoice whose period is not a calendar month with the
// estimates for the same days.
//
// The ledger: metered rows for openai gpt-4o, one a day at 12:00 UTC, 4M input tokens in
// October ($2.50 per 1M: $10.00 a day) and 8M in November ($20.00 a day), and invoice
// INV-1015 for Oct 15 – Nov 14 (`end: 2026-11-15`) with $372.00 of usage.
//   Invoice period: metered Oct 15–31 (17 × 10 = $170.00) + Nov 1–14 (14 × 20 = $280.00)
//                   = $450.00; variance 372 − 450 = −$78.00 (−20.9677% of 372).
//   October's other days: Oct 1–14, metered 14 × 10 = $140.00, no bill.
//   November's other days: Nov 15–30, metered 16 × 20 = $320.00, no bill.
// Before, October's row compared the invoice with all of October's metered rows ($310.00:
// a variance of +$62.00) and November's rows had no bill at all.
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
  invoice_usage_usd: number | null;
  reference: string | null;
  estimate_usd: number | null;
  variance_usd: number | null;
  unexplained_usd: number | null;
  unexplained_percent: number | null;
}

const brief = (r: Row) => [r.month, r.days ?? null, r.invoice_usage_usd, r.reference, r.estimate_usd, r.variance_usd, r.unexplained_percent];

describe('reconcile: an invoice whose period is not a calendar month', () => {
  let db: string;
  beforeAll(async () => {
    const dir = tempDir();
    db = join(dir, 'x.db');
    const lines: string[] = [];
    for (let t = Date.UTC(2026, 9, 1); t < Date.UTC(2026, 11, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      lines.push(JSON.stringify({ id: `m${day}`, ts: `${day}T12:00:00Z`, provider: 'openai', model: 'gpt-4o', input_tokens: day.startsWith('2026-11') ? 8_000_000 : 4_000_000, output_tokens: 0, requests: 100 }));
    }
    writeFileSync(join(dir, 'metered.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'invoice.yaml'), 'provider: openai\nnumber: INV-1015\nperiod: { start: 2026-10-15, end: 2026-11-15 }\nlines:\n  - { description: API usage, amount: "372.00" }\ntotal: "372.00"\n');
    const imported = await runCli(['import', '--db', db, join(dir, 'metered.jsonl'), join(dir, 'invoice.yaml')]);
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('compares the invoice with the estimate of its own days, and the days it does not bill apart', async () => {
    const r = await runCli(['reconcile', '--db', db, '--month', '2026-10', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("an invoice's period runs past these months: reading 2026-10-01 to 2026-11-15 to compare it with the same days\n");
    expect((JSON.parse(r.stdout) as { rows: Row[] }).rows.map(brief)).toEqual([
      ['2026-10', { from: '2026-10-01', to: '2026-10-14', count: 14, invoiced: false }, null, null, 140, null, null],
      ['2026-10', { from: '2026-10-15', to: '2026-11-14', count: 31, invoiced: true }, 372, 'invoice', 450, -78, -20.9677],
    ]);
  });

  it('shows the same invoice row for a month it reaches into, beside that month\'s other days', async () => {
    const r = await runCli(['reconcile', '--db', db, '--month', '2026-11', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { rows: Row[] }).rows.map(brief)).toEqual([
      ['2026-10', { from: '2026-10-15', to: '2026-11-14', count: 31, invoiced: true }, 372, 'invoice', 450, -78, -20.9677],
      ['2026-11', { from: '2026-11-15', to: '2026-11-30', count: 16, invoiced: false }, null, null, 320, null, null],
    ]);
  });

  it('names the days of each row in the text report and in --fail-over', async () => {
    const text = await runCli(['reconcile', '--db', db, '--month', '2026-10']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("openai · 2026-10, 2026-10-01 … 2026-10-14 (14 days no invoice period covers)");
    expect(text.stdout).toContain("openai · 2026-10-15 … 2026-11-14 (the invoice's period, 31 days)\n  invoice total                     $372.00 (usage lines $372.00)\n  llmfin estimate (metered)         $450.00\n  variance (invoice - estimate)     -$78.00\n  unexplained                       -$78.00 (-20.9% of the bill)");
    const gate = await runCli(['reconcile', '--db', db, '--month', '2026-10', '--fail-over', '5']);
    expect(gate.code).toBe(1);
    expect(gate.stderr).toContain('no invoice or billed export to judge openai 2026-10-01..2026-10-14 against');
    expect(gate.stderr).toContain('unexplained variance over 5%: openai 2026-10-15..2026-11-14 -20.9%');
    // -20.9677% cut to one decimal would read as the limit itself: it gets the decimals that show it is past.
    const edge = await runCli(['reconcile', '--db', db, '--month', '2026-10', '--fail-over', '20.9']);
    expect(edge.code).toBe(1);
    expect(edge.stderr).toContain('unexplained variance over 20.9%: openai 2026-10-15..2026-11-14 -20.96%');
    expect(edge.stdout).toContain('-$78.00 (-20.96% of the bill)');
  });
});

describe('reconcile() on an invoice period with billed exports', () => {
  // Billed rows on Oct 20 ($10.00) and Nov 3 ($20.00) inside the invoice's period (Oct 15 –
  // Nov 14), and Oct 2 ($10.00) outside it; an invoice total of $40.00 ($35.00 usage, $5.00 tax).
  const billed = (day: string, usd: bigint): LayerModelSum => ({ provider: 'azure', month: day.slice(0, 7), day, provenance: 'billed', charge_category: 'usage', cost_status: 'priced', model: 'gpt-4o', source: 'azure-cost', rows: 1, cost_ticks: usd * 10_000_000_000n, estimated_cost_ticks: 0n, web_searches: 0 });
  const period = { provider: 'azure', month: '2026-10', period_start: '2026-10-15T00:00:00.000Z', period_end: '2026-11-15T00:00:00.000Z', model: null, invoices: 1, accounts: [] };
  const invoice: InvoiceKindSum[] = [
    { ...period, kind: 'usage', ticks: 350_000_000_000n },
    { ...period, kind: 'tax', ticks: 50_000_000_000n },
    { ...period, kind: 'total', ticks: 400_000_000_000n },
  ];

  it('compares the invoice with the billed rows of its days only', () => {
    const rows = reconcile([billed('2026-10-02', 10n), billed('2026-10-20', 10n), billed('2026-11-03', 20n)], invoice, (_, m) => m);
    expect(rows.map((r) => [r.month, r.days, r.invoice_total_ticks, r.billed_total_ticks])).toEqual([
      ['2026-10', { from: '2026-10-01', to: '2026-10-14', count: 14, invoiced: false }, null, 100_000_000_000n],
      ['2026-10', { from: '2026-10-15', to: '2026-11-14', count: 31, invoiced: true }, 400_000_000_000n, 300_000_000_000n],
    ]);
    // Invoice total 40.00 − billed 30.00 on its days = 10.00 (of which tax 5.00); the exports
    // cover 2 of its 31 days.
    expect(rows[1]!.explanations.map((e) => [e.kind, e.ticks, e.detail])).toEqual([
      ['invoice_vs_billed', 100_000_000_000n, "invoice total minus billed exports (the exports cover 2 of the invoice period's 31 days: 2026-10-20 … 2026-11-03)"],
      ['tax', 50_000_000_000n, 'tax on the invoice'],
    ]);
  });

  it('compares a calendar-month invoice with its month, with no days, as before', () => {
    const october = invoice.map((i) => ({ ...i, period_start: '2026-10-01T00:00:00.000Z', period_end: '2026-10-31T00:00:00.000Z' }));
    const rows = reconcile([billed('2026-10-02', 10n), billed('2026-10-20', 10n), billed('2026-11-03', 20n)], october, (_, m) => m);
    expect(rows.map((r) => [r.month, r.days, r.invoice_total_ticks, r.billed_total_ticks])).toEqual([
      ['2026-10', undefined, 400_000_000_000n, 200_000_000_000n],
      ['2026-11', undefined, null, 200_000_000_000n],
    ]);
  });
});
