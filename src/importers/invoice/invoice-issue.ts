/**
 * What is wrong with an invoice typed into YAML or JSON, in the words of the README's
 * invoice section rather than the validator's ("Invalid input", "Too small: expected
 * array to have >=1 items"): what the field expects and what the file has there.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

const AMOUNT = 'an amount such as 1234.56, 1,234.56 or -50 (a decimal point, not a decimal comma)';
const DATE = 'a date such as 2026-10-31';

/** By the field's path without list indexes (`lines.amount` for `lines.2.amount`). */
const EXPECTED: Record<string, string> = {
  // The document itself: a CSV or a bare list of amounts read as YAML is text or a list.
  '': 'an invoice: YAML or JSON with provider, number, period, lines and total (see README, "Invoices")',
  provider: "the provider's id, such as openai or anthropic",
  number: 'the invoice number',
  account: 'a text',
  issued_at: DATE,
  period: '{ start: 2026-10-01, end: 2026-11-01 } (end is where the period stops: that is October)',
  'period.start': DATE,
  'period.end': DATE,
  currency: 'a three-letter currency code such as USD or EUR',
  lines: 'a list of one line or more, each { description: ..., amount: "12.50" }',
  subtotal: AMOUNT,
  credits: AMOUNT,
  tax: AMOUNT,
  total: AMOUNT,
  'lines.description': 'a text',
  'lines.kind': 'one of usage, credit, tax, fee, other',
  'lines.amount': AMOUNT,
  'lines.model': 'a model id such as gpt-4.1-mini',
  'lines.quantity': 'a number',
  'lines.unit': 'a text',
};

const FIELDS = 'provider, number, account, issued_at, period, currency, lines, subtotal, credits, tax, total';
const LINE_FIELDS = 'description, kind, amount, model, quantity, unit';

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let value = doc;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  // YAML reads an unquoted day as a Date: show it as it was typed.
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The path (for its line and column) and message of an invoice's first issue. */
export function invoiceIssue(issue: Issue, doc: unknown): { path: PropertyKey[]; message: string } {
  if (issue.code === 'unrecognized_keys') {
    // The unknown field's own line, not its invoice's or line's.
    const path = [...issue.path, issue.keys[0]!];
    const inLine = issue.path[0] === 'lines';
    return { path, message: `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}: expected ${inLine ? `a line's fields (${LINE_FIELDS})` : `an invoice's fields (${FIELDS})`}` };
  }
  const key = issue.path.filter((p) => typeof p !== 'number').map(String).join('.');
  const expected = EXPECTED[key];
  // A check's own message already says what it expected (a decimal comma, a slash date).
  const said = issue.code === 'custom' || (issue.code === 'invalid_format' && issue.message.startsWith('expected ')) ? issue.message : undefined;
  const got = shown(valueAt(doc, issue.path));
  if (said !== undefined) return { path: [...issue.path], message: `${said}, got ${got}` };
  return { path: [...issue.path], message: expected === undefined ? issue.message : `expected ${expected}, got ${got}` };
}
