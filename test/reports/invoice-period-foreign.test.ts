// A report warns of an invoice in another currency in every month its period covers, as
// an invoice in USD counts for the days of its period (reports/invoice-months.ts): an EUR
// invoice for Oct 25 – Nov 5 (`end: 2026-11-06`) is left out of October and November alike,
// each then counted from its other layers, and both say so.
//
// The ledger: openai metered rows on Oct 10, Nov 10 and Dec 10 at 12:00 UTC, gpt-4o, 4M
// input tokens each ($2.50 per 1M: $10.00 a month), invoice EUR-ODD (EUR, Oct 25 – Nov 5)
// and EUR-OCT (EUR, October, `end: 2026-11-01`).
//   --month 2026-10: $10.00, warns of EUR-ODD and EUR-OCT.
//   --month 2026-11: $10.00, warns of EUR-ODD only (EUR-OCT stops where November starts);
//     before, neither was named, since an invoice was looked for in the month it starts in.
//   --month 2026-12: $10.00, no warning.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('report: an invoice in another currency whose period is not a calendar month', () => {
  let db: string;
  beforeAll(async () => {
    const dir = tempDir();
    db = join(dir, 'x.db');
    const rows = ['2026-10-10', '2026-11-10', '2026-12-10'].map((day) => JSON.stringify({ id: day, ts: `${day}T12:00:00Z`, provider: 'openai', model: 'gpt-4o', input_tokens: 4_000_000 }));
    writeFileSync(join(dir, 'metered.jsonl'), `${rows.join('\n')}\n`);
    const eur = (number: string, start: string, end: string) => `provider: openai\nnumber: ${number}\nperiod: { start: ${start}, end: ${end} }\ncurrency: eur\nlines:\n  - { description: API usage, amount: "40.00" }\ntotal: "40.00"\n`;
    writeFileSync(join(dir, 'eur.yaml'), [eur('EUR-ODD', '2026-10-25', '2026-11-06'), eur('EUR-OCT', '2026-10-01', '2026-11-01')].join('---\n'));
    const imported = await runCli(['import', '--db', db, join(dir, 'metered.jsonl'), join(dir, 'eur.yaml')]);
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('names it in a report of each month its period covers, and in no other', async () => {
    const warned = async (month: string) => {
      const r = await runCli(['report', '--db', db, '--month', month, '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { total: { cost_usd: number } }).total.cost_usd).toBe(10);
      return [...r.stderr.matchAll(/invoice (EUR-\w+) \(openai (\d{4}-\d{2})\) is in EUR/g)].map((m) => `${m[1]} ${m[2]}`).sort();
    };
    expect(await warned('2026-10')).toEqual(['EUR-OCT 2026-10', 'EUR-ODD 2026-10']);
    expect(await warned('2026-11')).toEqual(['EUR-ODD 2026-10']);
    expect(await warned('2026-12')).toEqual([]);
  });

  it('names it in a report of its provider only, not in one --where picks another provider for', async () => {
    const names = async (provider: string) => {
      const r = await runCli(['report', '--db', db, '--month', '2026-10', '--by', 'provider', '--where', `provider=${provider}`]);
      expect(r.code, r.stderr).toBe(0);
      return [...r.stderr.matchAll(/invoice (EUR-\w+) \(openai/g)].map((m) => m[1]).sort();
    };
    expect(await names('openai')).toEqual(['EUR-OCT', 'EUR-ODD']);
    // No anthropic spend and no anthropic invoice: nothing about openai's euros.
    expect(await names('anthropic')).toEqual([]);
  });
});
