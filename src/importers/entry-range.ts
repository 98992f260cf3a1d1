/**
 * What one ledger row may hold. Money is kept in 64-bit integer ticks (1e-10 USD), which
 * end at about $922 million, and reports add rows up in the same integers; token counts are
 * 64-bit integers too. A row beyond these limits is a mistake in the file (a misplaced
 * decimal point, an amount in another unit), and SQLite would refuse it with an internal
 * error halfway through the import: it is refused at its line instead, like any bad value.
 */
import { TOKEN_COUNT_COLUMNS, type NewUsageEntry } from '../ledger/ledger-schema.js';
import { formatUsd, ticksToUsd, TICKS_PER_USD } from '../shared/money.js';

/** $100 million a row: far past any real bill line, and ninety such rows still add up. */
export const MAX_ROW_USD = 100_000_000;
const MAX_ROW_TICKS = BigInt(MAX_ROW_USD) * TICKS_PER_USD;
/** A quadrillion tokens a row. */
export const MAX_ROW_TOKENS = 1e15;

const COUNT_COLUMNS = [...TOKEN_COUNT_COLUMNS, 'web_search_requests', 'requests'] as const;

export interface RangeIssue {
  column: string;
  message: string;
}

const outside = (ticks: bigint | number | null | undefined): ticks is bigint | number => {
  if (ticks === null || ticks === undefined) return false;
  // Importers give bigints; a number is converted (and one that is no integer refused by BigInt, as before).
  const t = typeof ticks === 'bigint' ? ticks : BigInt(ticks);
  return t > MAX_ROW_TICKS || t < -MAX_ROW_TICKS;
};

const moneyIssue = (column: string, ticks: bigint | number): RangeIssue => ({
  column,
  message: `expected an amount within ±$100,000,000 a row (the ledger keeps money to 1e-10 USD in 64-bit integers), got ${formatUsd(ticksToUsd(ticks))}`,
});

/**
 * Why `e` cannot be recorded, or undefined when it fits. Asked of every row of every
 * import: an indexed loop and no arrays made per row (a list of [column, ticks] pairs
 * built for each row cost more than the checks themselves).
 */
export function entryOutOfRange(e: NewUsageEntry): RangeIssue | undefined {
  // Counts first: an absurd count also makes an absurd cost, and the count is the cause.
  for (let i = 0; i < COUNT_COLUMNS.length; i++) {
    const column = COUNT_COLUMNS[i]!;
    const n = e[column];
    if (typeof n === 'number' && Math.abs(n) > MAX_ROW_TOKENS) {
      return { column, message: `expected a count of at most 10^15 a row, got ${n.toLocaleString('en-US')}` };
    }
  }
  if (outside(e.cost_ticks)) return moneyIssue('cost', e.cost_ticks);
  if (outside(e.estimated_cost_ticks)) return moneyIssue('estimated cost', e.estimated_cost_ticks);
  return undefined;
}
