import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerStore } from '../../src/ledger/ledger-store.js';
import { insertInvoice } from '../../src/ledger/queries/insert-invoice.js';
import type { InvoiceInput, InvoiceLineInput } from '../../src/ledger/queries/insert-invoice.js';
import { ledgerTotals } from '../../src/ledger/queries/spend-summary.js';
import { openLedger } from '../../src/ledger/sqlite/open-sqlite-ledger.js';
import { tempDir } from './ledger-fixtures.js';

let ledger: LedgerStore;
beforeEach(async () => {
  ledger = await openLedger(join(tempDir(), 'ledger.db'));
});
afterEach(async () => {
  await ledger.close();
});

const invoice: InvoiceInput = {
  batch_id: null,
  provider: 'openai',
  account: 'org-acme',
  number: 'INV-2026-11',
  issued_at: '2026-12-01',
  period_start: '2026-11-01',
  period_end: '2026-12-01',
  subtotal_usd: '1234.5675',
  credits_usd: '-100',
  tax_usd: '0',
  total_usd: '1134.5675',
};
const lines: InvoiceLineInput[] = [
  { kind: 'usage', description: 'gpt-4o input', model: 'gpt-4o', amount_usd: '1000.1', quantity: '400040000', unit: 'tokens' },
  { kind: 'usage', description: 'gpt-4o output', model: 'gpt-4o', amount_usd: '234.4675' },
  { kind: 'credit', description: 'promotional credit', amount_usd: '-100' },
];

async function lineCount(): Promise<number> {
  const row = await ledger.db.selectFrom('invoice_lines').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return row.n;
}

describe('insertInvoice', () => {
  it('stores the invoice and its numbered lines with exact ticks', async () => {
    const result = await insertInvoice(ledger, invoice, lines);
    expect(result).toEqual({ invoiceId: 1, inserted: true, replaced: false });
    const stored = await ledger.db.selectFrom('invoices').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ total_usd: '1134.5675', total_ticks: 11_345_675_000_000n, currency: 'USD' });
    const storedLines = await ledger.db.selectFrom('invoice_lines').selectAll().orderBy('line_no').execute();
    expect(storedLines.map((l) => [l.line_no, l.kind, l.amount_ticks])).toEqual([
      [1, 'usage', 10_001_000_000_000n],
      [2, 'usage', 2_344_675_000_000n],
      [3, 'credit', -1_000_000_000_000n],
    ]);
    expect((await ledgerTotals(ledger)).invoices).toBe(1);
  });

  it('leaves an invoice already there alone, or replaces it when asked', async () => {
    await insertInvoice(ledger, invoice, lines);
    expect(await insertInvoice(ledger, invoice, lines)).toEqual({ invoiceId: 1, inserted: false, replaced: false });
    expect(await lineCount()).toBe(3);
    const corrected = await insertInvoice(ledger, { ...invoice, total_usd: '1200' }, lines.slice(0, 1), { replace: true });
    expect(corrected).toMatchObject({ inserted: true, replaced: true });
    expect(corrected.invoiceId).not.toBe(1);
    expect(await lineCount()).toBe(1);
    const stored = await ledger.db.selectFrom('invoices').select(['id', 'total_usd']).execute();
    expect(stored).toEqual([{ id: corrected.invoiceId, total_usd: '1200' }]);
  });

  it('rolls back the invoice when a line is invalid', async () => {
    const bad = [...lines, { kind: 'discount' as never, amount_usd: '-1' }];
    await expect(insertInvoice(ledger, invoice, bad)).rejects.toThrow(/CHECK constraint failed/);
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
    expect(await lineCount()).toBe(0);
  });

  it('rejects a malformed amount before writing', async () => {
    await expect(insertInvoice(ledger, { ...invoice, total_usd: '12,00' }, [])).rejects.toThrow();
    expect(await ledger.db.selectFrom('invoices').selectAll().execute()).toEqual([]);
  });
});
