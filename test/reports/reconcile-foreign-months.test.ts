// An invoice in another currency whose period spans several months is listed in the
// reconcile row of every month it covers, as a USD invoice's period meets each of its
// months: `--month` of its second month shows it (and --fail-over says why that month
// was not judged), not only the month it starts in.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { ledgerOf } from './rows-ledger.js';

const EUR = { number: 'INV-EUR-Q4', currency: 'EUR', total: '300' };

describe('reconcile: an invoice in another currency over several months', () => {
  let db: string;
  beforeAll(async () => {
    // Metered anthropic usage on Oct 20, Nov 20 and Dec 10; a EUR invoice for Oct 15 – Dec 14.
    const row = (id: string, day: string) => ({ id, ts: `${day}T00:00:00Z`, provider: 'anthropic', model: 'claude-sonnet-4-5', provenance: 'metered', input_tokens: 100_000, output_tokens: 0, requests: 1 });
    db = await ledgerOf([row('a', '2026-10-20'), row('b', '2026-11-20'), row('c', '2026-12-10')]);
    const file = join(tempDir(), 'eur.yaml');
    writeFileSync(file, 'provider: anthropic\nnumber: INV-EUR-Q4\ncurrency: eur\nperiod: { start: 2026-10-15, end: 2026-12-15 }\nlines:\n  - { description: API usage, amount: "300.00" }\ntotal: "300.00"\n');
    const r = await runCli(['import', '--db', db, file]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('lists it in each month its period covers', async () => {
    const r = await runCli(['reconcile', '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as { month: string; estimate_usd: number; other_currency_invoices: unknown[] }[];
    // 100K input tokens of claude-sonnet-4-5 at $3.00 per 1M each month.
    expect(rows.map((x) => [x.month, x.estimate_usd, x.other_currency_invoices])).toEqual([
      ['2026-10', 0.3, [EUR]],
      ['2026-11', 0.3, [EUR]],
      ['2026-12', 0.3, [EUR]],
    ]);
  });

  it('shows it under --month of a later month it covers, and --fail-over names it there', async () => {
    const r = await runCli(['reconcile', '--db', db, '--month', '2026-11', '--fail-over', '2', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'anthropic', month: '2026-11', reference: null, other_currency_invoices: [EUR] });
    expect(r.stderr).toContain('only invoices in another currency than USD to judge anthropic 2026-11 (INV-EUR-Q4 in EUR) against');
    const text = await runCli(['reconcile', '--db', db, '--month', '2026-12']);
    expect(text.stdout).toContain('invoice in EUR                    300 EUR (INV-EUR-Q4): not in USD, so left out of every amount here');
  });

  it('leaves it out of a month its period does not reach', async () => {
    const r = await runCli(['reconcile', '--db', db, '--month', '2027-01', '--format', 'json']);
    expect(JSON.parse(r.stdout).rows).toEqual([]);
  });
});
