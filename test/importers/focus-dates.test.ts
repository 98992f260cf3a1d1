// FOCUS slash dates: a file's order (MM/DD as the spec's examples write it, or DD/MM as a
// spreadsheet in another locale re-saves it) is decided by its dates, never guessed.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { focusImporter } from '../../src/importers/focus/focus-importer.js';
import { FocusDates } from '../../src/importers/focus/focus-dates.js';
import { parseFocusTime } from '../../src/importers/focus/focus-time.js';
import { InputError } from '../../src/shared/errors.js';
import { dec } from '../../src/shared/money.js';
import type { LedgerStore } from '../../src/ledger/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';

const DIR = fileURLToPath(new URL('../fixtures/importers/focus/', import.meta.url));
const AI = join(DIR, 'focus-1.2-ai-2026-10.csv');
const ISO_TIME = /(\d{4})-(\d{2})-(\d{2})T00:00:00Z/g;

/** The AI fixture with its ISO times written as slash dates in `order`, its lines then edited. */
function twin(name: string, order: 'mdy' | 'dmy', edit: (lines: string[]) => string[] = (l) => l): string {
  const text = readFileSync(AI, 'utf8').replace(ISO_TIME, (_m, y: string, mo: string, d: string) => (order === 'mdy' ? `${mo}/${d}/${y}` : `${d}/${mo}/${y}`));
  const file = join(tempDir(), name);
  writeFileSync(file, edit(text.trimEnd().split('\n')).join('\n') + '\n');
  return file;
}

/** The fixture (ISO times) with its lines edited. */
function isoCopy(name: string, edit: (lines: string[]) => string[]): string {
  const file = join(tempDir(), name);
  writeFileSync(file, edit(readFileSync(AI, 'utf8').trimEnd().split('\n')).join('\n') + '\n');
  return file;
}

/** The lines with the billing period cells emptied (the fixture quotes no comma before them). */
function noBillingPeriod(lines: string[]): string[] {
  const header = lines[0]!.split(',');
  const [bs, be] = [header.indexOf('BillingPeriodStart'), header.indexOf('BillingPeriodEnd')];
  return lines.map((line, i) => (i === 0 ? line : line.split(',').map((c, k) => (k === bs || k === be ? '' : c)).join(',')));
}

/** What a row says of money and time, in file order. */
const placed = async (ledger: LedgerStore) =>
  (await ledger.db.selectFrom('usage_entries').select(['ts', 'ts_end', 'granularity', 'cost_usd', 'provider', 'model', 'charge_category']).orderBy('id').execute()).map((r) => ({ ...r }));

/** Billed dollars per UTC day of `ts`. */
const perDay = async (ledger: LedgerStore) => {
  const out: Record<string, string> = {};
  for (const r of await placed(ledger)) out[r.ts.slice(0, 10)] = dec(out[r.ts.slice(0, 10)] ?? '0').plus(r.cost_usd ?? '0').toFixed();
  return out;
};

/** The fixture's line of the Bedrock correction dated September 30 (the one date past the 12th). */
const SEPT_30 = (lines: string[]) => lines.findIndex((l) => l.includes('2026-09-30') || l.includes('30/09/2026') || l.includes('09/30/2026'));

// Per day, from the fixture's BilledCost (each row's ChargePeriodStart, clipped to its billing period):
// Oct 1: 1.25 + 0.9 + 0.4 + 0.375 + 2.304 + 0.3 + 0.24 + 0.075 + 0.96 + 1.25 = 8.054, the month's
//        tax 0.41 and credit −1, and the Sept 30 correction −0.1 placed at the period's start: 7.364
// Oct 2: 0.9 + 0.6 + 0.3 + 0.15 + 3 + 1.6 + 3.576 + 0.026 = 10.152
// Oct 3: 3 + 0.3 + 0.7 = 4
const DAYS = { '2026-10-01': '7.364', '2026-10-02': '10.152', '2026-10-03': '4' };

describe('focus: slash dates in either order', () => {
  it('imports a DD/MM/YYYY file to the days of its ISO twin, and an MM/DD/YYYY one too', async () => {
    const iso = await freshLedger();
    const s = await importInto(iso, focusImporter, AI);
    expect(s.costUsd).toBe('21.516');
    expect(await perDay(iso)).toEqual(DAYS);
    for (const order of ['dmy', 'mdy'] as const) {
      const ledger = await freshLedger();
      const t = await importInto(ledger, focusImporter, twin(`${order}.csv`, order));
      expect(t, order).toMatchObject({ rowsImported: 24, rowsRejected: 0, costUsd: '21.516', firstTs: '2026-10-01T00:00:00.000Z' });
      expect(await perDay(ledger), order).toEqual(DAYS);
      expect(await placed(ledger), order).toEqual(await placed(iso));
      await ledger.close();
    }
    await iso.close();
  });

  it('keeps rows that read two ways until a later date decides, read as records too (a header that repeats a column)', async () => {
    // No billing period, and the Sept 30 row last: every row before it waits for it.
    const edit = (lines: string[]) => {
      const moved = [...noBillingPeriod(lines).filter((_, i) => i !== SEPT_30(lines)), noBillingPeriod(lines)[SEPT_30(lines)]!];
      return moved.map((line, i) => `${line},${i === 0 ? 'ChargeFrequency' : 'Usage-Based'}`);
    };
    const iso = await freshLedger();
    await importInto(iso, focusImporter, isoCopy('iso.csv', edit));
    const dmy = await freshLedger();
    const s = await importInto(dmy, focusImporter, twin('late.csv', 'dmy', edit));
    expect(s).toMatchObject({ rowsImported: 24, rowsRejected: 0, costUsd: '21.516', firstTs: '2026-09-30T00:00:00.000Z', lastTs: '2026-10-03T00:00:00.000Z' });
    expect(await placed(dmy)).toEqual(await placed(iso));
    // Read as cells (no repeated column), the same.
    const cells = await freshLedger();
    await importInto(cells, focusImporter, twin('late-cells.csv', 'dmy', (l) => edit(l).map((line) => line.slice(0, line.lastIndexOf(',')))));
    expect(await placed(cells)).toEqual(await placed(iso));
    await iso.close();
    await dmy.close();
    await cells.close();
  });

  it('decides by a billing period from the 1st of a month to the 1st of the next when no day is past the 12th', async () => {
    // Without the Sept 30 row every date of the file is the 1st to the 3rd: 01/10/2026 reads as
    // January 10 or October 1. The billing period 01/10/2026–01/11/2026 is a month only as DD/MM.
    const iso = await freshLedger();
    await importInto(iso, focusImporter, isoCopy('iso.csv', (l) => l.filter((_, i) => i !== SEPT_30(l))));
    const dmy = await freshLedger();
    const s = await importInto(dmy, focusImporter, twin('early.csv', 'dmy', (l) => l.filter((_, i) => i !== SEPT_30(l))));
    // 21.516 − (−0.1)
    expect(s).toMatchObject({ rowsImported: 23, costUsd: '21.616' });
    // Oct 1 without the correction: 7.364 + 0.1
    expect(await perDay(dmy)).toEqual({ '2026-10-01': '7.464', '2026-10-02': '10.152', '2026-10-03': '4' });
    expect(await placed(dmy)).toEqual(await placed(iso));
    await iso.close();
    await dmy.close();
  });

  it("reads the spec's own M/D/YY examples as before, and the same file re-saved as D/M/YY to the same days", async () => {
    for (const name of ['virtual_currency_pricing_model_a2.csv', 'virtual_currency_pricing_model_c.csv', 'saas_spend_agreements_a1.csv']) {
      const original = await freshLedger();
      await importInto(original, focusImporter, join(DIR, name));
      const swapped = join(tempDir(), name);
      writeFileSync(swapped, readFileSync(join(DIR, name), 'utf8').replace(/\b(\d{1,2})\/(\d{1,2})\/(\d{2})\b/g, '$2/$1/$3'));
      const resaved = await freshLedger();
      await importInto(resaved, focusImporter, swapped);
      expect(await placed(resaved), name).toEqual(await placed(original));
      await original.close();
      await resaved.close();
    }
    // a2: three Usage rows of April 1 2025 (4/1/25 to 4/2/25, billing 4/1/25–5/1/25), $0 each.
    const a2 = await freshLedger();
    await importInto(a2, focusImporter, join(DIR, 'virtual_currency_pricing_model_a2.csv'));
    expect((await placed(a2)).map((r) => [r.ts, r.ts_end, r.cost_usd])).toEqual([
      ['2025-04-01T00:00:00.000Z', '2025-04-02T00:00:00.000Z', '0'],
      ['2025-04-01T00:00:00.000Z', '2025-04-02T00:00:00.000Z', '0'],
      ['2025-04-01T00:00:00.000Z', '2025-04-02T00:00:00.000Z', '0'],
    ]);
    await a2.close();
  });

  it('refuses a file that mixes the two orders at the row that contradicts, naming what decided, the ledger unchanged', async () => {
    const ledger = await freshLedger();
    await importInto(ledger, focusImporter, AI);
    const before = await placed(ledger);
    // A DD/MM file whose Sept 30 correction was pasted in from an MM/DD one.
    const mixed = twin('mixed.csv', 'dmy', (l) => l.map((line) => line.replace('30/09/2026', '09/30/2026')));
    const line = SEPT_30(readFileSync(mixed, 'utf8').split('\n')) + 1;
    const error = await importInto(ledger, focusImporter, mixed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      `${mixed}:${line}: ChargePeriodStart: expected DD/MM/YYYY, the order in which line 2's BillingPeriodStart and BillingPeriodEnd "01/10/2026" to "01/11/2026" run from the 1st of a month to the 1st of another, ` +
        'got "09/30/2026", which reads only as MM/DD/YYYY: the file mixes two date orders (parts of exports saved in different locales?)',
    );
    // Decided by a day past the 12th, contradicted by a billing period; and within one row.
    const early = twin('mixed-early.csv', 'dmy', (l) => l.map((row, i) => (i === 1 ? row.replace(',01/11/2026,01/10/2026,', ',11/01/2026,10/01/2026,').replace(',02/10/2026,01/10/2026,', ',14/10/2026,13/10/2026,') : row)));
    await expect(importInto(ledger, focusImporter, early)).rejects.toThrow(
      `${early}:2: BillingPeriodStart: expected DD/MM/YYYY, the order this line's ChargePeriodStart "13/10/2026" can only be read in, got the billing period "10/01/2026" to "11/01/2026", which runs from the 1st of a month to the 1st of another only as MM/DD/YYYY`,
    );
    expect(await placed(ledger)).toEqual(before);
    await ledger.close();
  });

  it('refuses a file whose dates all read two ways, naming both readings, the ledger unchanged; --skip-invalid keeps only rows that read one way', async () => {
    // No Sept 30 row, no billing period: nothing tells October 2 from February 10.
    const ambiguous = twin('ambiguous.csv', 'dmy', (lines) => noBillingPeriod(lines).filter((_, i) => i !== SEPT_30(lines)));
    const ledger = await freshLedger();
    const before = await placed(ledger);
    await expect(importInto(ledger, focusImporter, ambiguous)).rejects.toThrow(
      `${ambiguous}:2: ChargePeriodStart: expected a date that reads one way, got "01/10/2026": 2026-01-10 as MM/DD/YYYY (the FOCUS examples' order) or 2026-10-01 as DD/MM/YYYY ` +
        "(a spreadsheet's in other locales), and no date in the file has a day past the 12th, nor a billing period from the 1st of a month to the 1st of another, to tell which; " +
        "write the file's dates as ISO 8601 (FOCUS's own format, such as 2025-05-01T00:00:00Z), or export the file again",
    );
    expect(await placed(ledger)).toEqual(before);
    // Every row has a date that reads two ways: none is imported under a guess, and no batch of none recorded.
    await expect(importInto(ledger, focusImporter, ambiguous, { skipInvalid: true })).rejects.toThrow(`${ambiguous}: all 23 rows were rejected, reasons in ${ambiguous}.rejects.jsonl; nothing imported`);
    expect(await placed(ledger)).toEqual(before);
    await ledger.close();
  });

  it('`llmfin import` refuses a mixed file with exit 2 and imports nothing; its DD/MM twin imports to October', async () => {
    const cwd = tempDir();
    const mixed = twin('mixed.csv', 'dmy', (l) => l.map((line) => line.replace('30/09/2026', '09/30/2026')));
    const r = await runCli(['import', mixed, '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mixed.csv:10: ChargePeriodStart: expected DD/MM/YYYY');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Nothing imported, and no ledger left behind for it.
    expect(existsSync(join(cwd, 'l.db'))).toBe(false);
    const ok = await runCli(['import', twin('dmy.csv', 'dmy'), '--db', 'l.db', '--format', 'json'], { cwd });
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as { rows: Array<Record<string, unknown>> }).rows[0]).toMatchObject({ source: 'focus', status: 'imported', rows_imported: 24 });
    // October's LLM usage, as the ISO file gives it (focus.test.ts: 4.625 + 8.215 + 2.51).
    const report = JSON.parse((await runCli(['report', '--db', 'l.db', '--by', 'month', '--month', '2026-10', '--format', 'json'], { cwd })).stdout) as { rows: unknown[] };
    expect(report.rows).toMatchObject([{ month: '2026-10', cost_usd: 15.35 }]);
  });
});

describe('focus: the date order itself', () => {
  it('reads a slash date in the order given; two-digit years are 20xx', () => {
    expect(parseFocusTime('1/5/25', 'dmy')?.toISOString()).toBe('2025-05-01T00:00:00.000Z');
    expect(parseFocusTime('1/5/25')?.toISOString()).toBe('2025-01-05T00:00:00.000Z');
    expect(parseFocusTime('13/10/2026 14:30', 'dmy')?.toISOString()).toBe('2026-10-13T14:30:00.000Z');
    expect(parseFocusTime('13/10/2026', 'mdy')).toBeUndefined();
  });

  it('waits on an ambiguous date, reads a same-both-ways one, and lets any of the four columns decide', () => {
    expect(new FocusDates().see(['4/1/25', '4/2/25', '', ''], 2)).toEqual({ kind: 'wait' });
    expect(new FocusDates().see(['4/4/25', '5/5/25', '', ''], 2)).toEqual({ kind: 'read', order: 'mdy' });
    expect(new FocusDates().see(['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', '', '31/10/2026'], 2)).toEqual({ kind: 'read', order: 'dmy' });
    const dates = new FocusDates();
    expect(dates.see(['4/1/25', '4/2/25', '', ''], 2)).toEqual({ kind: 'wait' });
    expect(dates.see(['4/13/25', '4/14/25', '', ''], 3)).toEqual({ kind: 'read', order: 'mdy' });
    expect(dates.see(['4/1/25', '4/2/25', '', ''], 4)).toEqual({ kind: 'read', order: 'mdy' });
    // A billing period that is a month either way (never: 1/1 to 1/1 is no period) decides nothing.
    expect(new FocusDates().see(['', '', '1/1/25', '1/1/25'], 2)).toEqual({ kind: 'read', order: 'mdy' });
    expect(new FocusDates().see(['', '', '1/1/25', '2/1/25'], 2)).toEqual({ kind: 'read', order: 'mdy' });
    expect(new FocusDates().see(['', '', '1/1/25', '1/2/25'], 2)).toEqual({ kind: 'read', order: 'dmy' });
  });
});
