// An invoice whose period is not a calendar month (Azure pay-as-you-go bills Oct 15 – Nov 14)
// counts for the days of its period only, through the CLI on a real ledger.
//
// The ledger: billed rows of $10.00 a day for October and $20.00 a day for November
// (openai, one row a day at 12:00 UTC), and invoice INV-1015 for Oct 15 – Nov 14
// (`end: 2026-11-15`, exclusive) with $372.00 of usage.
//   The invoice's 31 days: 17 in October, 14 in November.
//   October share  372 × 17/31 = $204.00; November share 372 × 14/31 = $168.00.
//   October   = billed Oct 1–14 (14 × 10 = $140.00) + $204.00               = $344.00
//   November  = $168.00 + billed Nov 15–30 (16 × 20 = $320.00)               = $488.00
// Before, the whole invoice was October's ($372.00, its billed Oct 1–14 dropped) and
// November took all its billed rows ($600.00, Nov 1–14 counted a second time): $972.00
// for two months whose money is $832.00.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { reportJson } from './rows-ledger.js';

interface ReportJson {
  rows: Array<Record<string, unknown> & { cost_usd: number }>;
  total: { cost_usd: number };
  explain?: { pools: Array<Record<string, unknown>> };
}

const report = (db: string, args: string[]) => reportJson<ReportJson>(db, args);

const costs = (r: ReportJson, dim: string) => Object.fromEntries(r.rows.map((row) => [row[dim], row.cost_usd]));

function billedRows(dir: string): string {
  const lines: string[] = [];
  for (let t = Date.UTC(2026, 9, 1); t < Date.UTC(2026, 11, 1); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    lines.push(JSON.stringify({ id: `b${day}`, ts: `${day}T12:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: day.startsWith('2026-11') ? '20.00' : '10.00', granularity: 'day' }));
  }
  const file = join(dir, 'billed.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const invoiceYaml = (number: string, start: string, end: string, amount: string) =>
  `provider: openai\nnumber: ${number}\nperiod: { start: ${start}, end: ${end} }\nlines:\n  - { description: API usage, amount: "${amount}" }\ntotal: "${amount}"\n`;

describe('report: an invoice whose period is not a calendar month', () => {
  let db: string;
  beforeAll(async () => {
    const dir = tempDir();
    db = join(dir, 'x.db');
    const invoice = join(dir, 'invoice.yaml');
    writeFileSync(invoice, invoiceYaml('INV-1015', '2026-10-15', '2026-11-15', '372.00'));
    const imported = await runCli(['import', '--db', db, billedRows(dir), invoice]);
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('splits the invoice over its months by days and keeps the billed rows of the days it does not cover', async () => {
    const r = await report(db, ['--by', 'month', '--since', '2026-10-01', '--until', '2026-12-01']);
    expect(costs(r, 'month')).toEqual({ '2026-10': 344, '2026-11': 488 });
    expect(r.total.cost_usd).toBe(832);
  });

  it('gives a month seen alone the same money as in a longer window', async () => {
    expect((await report(db, ['--by', 'provider', '--month', '2026-10'])).total.cost_usd).toBe(344);
    // November alone takes its share of the October-started invoice, not its billed Nov 1–14 as well.
    expect((await report(db, ['--by', 'provider', '--month', '2026-11'])).total.cost_usd).toBe(488);
  });

  it('puts each day where the rule does: invoice days attributed by the billed rows, the rest billed', async () => {
    const byDay = costs(await report(db, ['--by', 'day', '--since', '2026-10-01', '--until', '2026-12-01']), 'day');
    // Oct 1–14: billed $10.00. Oct 15–31: the billed rows ($170.00) attribute October's
    // $204.00 share; the $34.00 rest is on the invoice's first day: Oct 15 = 10 + 34.
    expect([byDay['2026-10-14'], byDay['2026-10-15'], byDay['2026-10-16'], byDay['2026-10-31']]).toEqual([10, 44, 10, 10]);
    // Nov 1–14: the billed rows price $280.00 against a $168.00 share: each day 20 × 168/280 = $12.00.
    // Nov 15–30: billed $20.00.
    expect([byDay['2026-11-01'], byDay['2026-11-14'], byDay['2026-11-15'], byDay['2026-11-30']]).toEqual([12, 12, 20, 20]);
  });

  it('reads a window within days (a budget in a time zone) the same way', async () => {
    // 2026-11-01 04:00 to 2026-12-01 04:00 UTC holds every November row (12:00) and none of December.
    expect((await report(db, ['--by', 'provider', '--since', '2026-11-01T04:00Z', '--until', '2026-12-01T04:00Z'])).total.cost_usd).toBe(488);
    // Oct 31 12:00 (an invoice day, its billed $10.00 kept) and no November row before 04:00.
    expect((await report(db, ['--by', 'provider', '--since', '2026-10-31T04:00Z', '--until', '2026-11-01T04:00Z'])).total.cost_usd).toBe(10);
  });

  it('--explain shows each month in the part the invoice covers and the part it does not', async () => {
    const r = await report(db, ['--by', 'provider', '--month', '2026-10', '--explain']);
    expect(r.explain?.pools).toEqual([
      { provider: 'openai', month: '2026-10', money_from: 'billed', money_usd: 140, attributed_by: 'billed', attributing_layer_priced_usd: 140, unattributed_usd: 0, days: { count: 14, of_month: 31, spans: [{ from: '2026-10-01', to: '2026-10-14' }] } },
      { provider: 'openai', month: '2026-10', money_from: 'invoice', money_usd: 204, attributed_by: 'billed', attributing_layer_priced_usd: 170, unattributed_usd: 34, days: { count: 17, of_month: 31, spans: [{ from: '2026-10-15', to: '2026-10-31' }] } },
    ]);
    const text = await runCli(['report', '--db', db, '--by', 'provider', '--month', '2026-11', '--explain']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain("Such a month is shown in two parts below; the invoice's unattributed money is on its first day in the month.");
    expect(text.stdout).toContain('2026-11 openai, 2026-11-01 … 2026-11-14 (14 of 30 days): $168.00 from invoice, attributed by billed (priced $280.00)');
    expect(text.stdout).toContain('2026-11 openai, 2026-11-15 … 2026-11-30 (16 of 30 days, not invoiced): $320.00 from billed, attributed by its own identifiers');
  });

  it("reads a calendar-month invoice typed with the month's last day as the whole month, as before", async () => {
    const dir = tempDir();
    const inclusive = join(dir, 'inclusive.db');
    const invoice = join(dir, 'october.yaml');
    writeFileSync(invoice, invoiceYaml('INV-10', '2026-10-01', '2026-10-31', '300.00'));
    const imported = await runCli(['import', '--db', inclusive, billedRows(dir), invoice]);
    expect(imported.code, imported.stderr).toBe(0);
    // October is the invoice's $300.00 (the billed $310.00 scaled down to it); November its billed $600.00.
    const r = await report(inclusive, ['--by', 'month', '--since', '2026-10-01', '--until', '2026-12-01', '--explain']);
    expect(costs(r, 'month')).toEqual({ '2026-10': 300, '2026-11': 600 });
    expect(r.explain?.pools.map((p) => [p.month, p.money_from, p.money_usd, 'days' in p])).toEqual([
      ['2026-10', 'invoice', 300, false],
      ['2026-11', 'billed', 600, false],
    ]);
  });
});
