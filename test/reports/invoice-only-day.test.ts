// A ledger that holds nothing but a calendar-month invoice (finance typed October's bill
// before any usage was imported): `report --by day` and `--by week` put its money on
// the first day the invoice covers, as with any other ledger.
//   INV-10: openai, October (2026-10-01 → 2026-11-01), $310.00 of usage.
//   --by day  → 2026-10-01: $310.00 (before, the row was keyed "2026-10", a month under DAY)
//   --by week → 2026-09-28 (the Monday of the week holding 1 October): $310.00
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { reportJson } from './rows-ledger.js';

interface ReportJson {
  rows: Array<Record<string, unknown> & { cost_usd: number }>;
  total: { cost_usd: number };
}

describe('report by day on a ledger of nothing but an invoice', () => {
  let db: string;
  beforeAll(async () => {
    const dir = tempDir();
    db = join(dir, 'x.db');
    const invoice = join(dir, 'invoice.yaml');
    writeFileSync(invoice, 'provider: openai\nnumber: INV-10\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: API usage, amount: "310.00" }\ntotal: "310.00"\n');
    const imported = await runCli(['import', '--db', db, invoice]);
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('keys the invoice money by its first day, not by its month', async () => {
    const r = await reportJson<ReportJson>(db, ['--by', 'day']);
    expect(r.rows.map((row) => [row.day, row.cost_usd])).toEqual([['2026-10-01', 310]]);
    expect(r.total.cost_usd).toBe(310);
  });

  it('keys it by the week of that day', async () => {
    const r = await reportJson<ReportJson>(db, ['--by', 'week']);
    expect(r.rows.map((row) => [row.week, row.cost_usd])).toEqual([['2026-09-28', 310]]);
  });
});
