/**
 * Timestamps in the ledger are `Date#toISOString()` text ("2026-07-30T12:00:00.000Z"):
 * then text order is time order and `ts >= ?` works on the index. Anything else
 * ("...T12:00:00Z" sorts after "...T12:00:00.000Z") is normalised on the way in.
 */
import { LlmfinError } from '../../shared/errors.js';

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The canonical UTC text of an instant. Date-only strings mean UTC midnight, and a
 * time without a zone is UTC.
 * @param what names the value in the error message ("since", "entry 12 ts").
 */
export function isoUtc(value: string | Date, what: string): string {
  if (typeof value === 'string' && CANONICAL.test(value)) return value;
  // A time without a zone is UTC here, never the machine's local zone.
  const text = typeof value === 'string' && /T[\d:.]+$/.test(value) ? `${value}Z` : value;
  const date = typeof text === 'string' ? new Date(text) : text;
  if (Number.isNaN(date.getTime())) {
    throw new LlmfinError(`${what}: expected an ISO 8601 date or UTC time such as 2026-07-30 or 2026-07-30T12:00:00Z, got "${String(value)}"`);
  }
  return date.toISOString();
}

/** `isoUtc` of entry `index`'s `column`, its label ("entry 12 ts") made only for an error: asked of every imported row. */
export function entryIsoUtc(value: string | Date, index: number, column: 'ts' | 'ts_end'): string {
  if (typeof value === 'string' && CANONICAL.test(value)) return value;
  return isoUtc(value, `entry ${index + 1} ${column}`);
}
