/**
 * What is wrong with an llmfin row, in the words of the README's format section rather
 * than zod's ("Invalid ISO datetime", "must match pattern /^-?\d+(\.\d+)?$/"): what was
 * expected and the value the row has. The column is the issue's path (or, for a field the
 * format does not have, that field).
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

const MONEY_FIELDS = new Set(['cost_usd', 'reported_cost_usd', 'estimated_cost_usd']);
const TIME_FIELDS = new Set(['ts', 'ts_end']);

/** The row's value at an issue's path. */
function valueAt(row: unknown, path: readonly PropertyKey[]): unknown {
  let value = row;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function shown(value: unknown): string {
  // A number too large for a double (1e400 in the file) is parsed as Infinity, which JSON shows as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return `a number too large (${value})`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The column and message of an llmfin row's first issue. */
export function llmfinIssue(issue: Issue, row: unknown): { column: string | undefined; message: string } {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return { column: issue.keys[0], message: `unknown field ${keys}: expected the fields of llmfin's format (README, "llmfin's own format"; custom tags go in "tags")` };
  }
  const column = issue.path.map(String).join('.') || undefined;
  const field = String(issue.path[0] ?? '');
  const value = valueAt(row, issue.path);
  const got = value === undefined ? 'nothing' : shown(value);
  const expected = (() => {
    if (issue.code === 'custom') return undefined;
    if (field === 'currency') return 'USD (cost_usd is in US dollars: convert amounts before importing them)';
    if (TIME_FIELDS.has(field)) return 'an ISO 8601 time with a zone, such as 2026-10-01T12:00:00Z';
    if (MONEY_FIELDS.has(field)) return 'a decimal amount in USD such as 12.5 ("." for decimals, no thousands separators)';
    if (issue.code === 'invalid_value') return `one of ${issue.values.map((v) => String(v)).join(', ')}`;
    if (issue.code === 'too_small' && issue.origin === 'number') return `a whole number >= ${String(issue.minimum)}`;
    if (issue.code === 'too_small' && issue.origin === 'string') return 'a non-empty text (leave the field out instead)';
    if (issue.code === 'invalid_type') {
      if (issue.expected === 'int' || issue.expected === 'number') return 'a whole number';
      if (field === 'tags') return 'an object of text values, such as {"cost_center": "cc-7"}';
      return issue.expected === 'string' ? 'a text' : issue.expected;
    }
    return undefined;
  })();
  if (expected === undefined) return { column, message: issue.message };
  return { column, message: `expected ${expected}, got ${got}` };
}
