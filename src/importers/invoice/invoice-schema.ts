/**
 * llmfin's invoice format (YAML or JSON; one invoice or a list): providers issue
 * invoices as PDFs only (research/exports.md §8), so finance types or exports the few
 * numbers reconciliation needs. Amounts are decimal text in the invoice currency;
 * credits are negative lines; `total` must equal the sum of the lines.
 */
import { z } from 'zod';
import { parseUtc } from '../aws-cur/billing-values.js';

/**
 * A comma only between thousands ("1,025.95", as a PDF prints it): "12,50" is a decimal
 * comma, and with the commas dropped it read as 1250 (every amount of such a file ×100,
 * and its total too, so the sum check passed).
 */
const amount = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/, 'expected an amount such as 1234.56, 1,234.56 or -50 (a decimal point, not a decimal comma)'))
  .transform((v) => v.replace(/,/g, ''));
/**
 * A day (YYYY-MM-DD, a UTC day) or an ISO 8601 time, no zone meaning UTC, and nothing else:
 * `10/01/2026` is October 1 in one locale and January 10 in another, and text after the
 * day ("2026-10-01 to 2026-10-31") is no date either.
 */
const date = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v.trim()))
  .pipe(z.string().refine((text) => parseUtc(text) !== undefined, 'expected a date such as 2026-10-31'));

export const InvoiceLine = z
  .object({
    description: z.string().optional(),
    /** Absent: usage, or `other` for a cloud invoice's line of another service (not-llm-line.ts). */
    kind: z.enum(['usage', 'credit', 'tax', 'fee', 'other']).optional(),
    amount,
    model: z.string().optional(),
    quantity: z.union([z.string(), z.number()]).transform(String).optional(),
    unit: z.string().optional(),
  })
  .strict();

export const InvoiceDocument = z
  .object({
    provider: z.string().min(1),
    number: z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1)),
    account: z.string().optional(),
    issued_at: date.optional(),
    period: z.object({ start: date, end: date }).strict(),
    currency: z.string().regex(/^[A-Za-z]{3}$/).transform((c) => c.toUpperCase()).default('USD'),
    lines: z.array(InvoiceLine).min(1),
    subtotal: amount.optional(),
    credits: amount.optional(),
    tax: amount.optional(),
    total: amount,
  })
  .strict();
export type InvoiceDocument = z.infer<typeof InvoiceDocument>;
