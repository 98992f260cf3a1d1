/**
 * Keeps SQLite's page cache of the proxy's own ledger connection (the caller's, not the
 * writer thread's) at 2 MB instead of the driver's 16 MB. Before the proxy serves, that
 * connection reads much of the ledger once — each budget's spend this period, the routing
 * priors — and with the default it keeps up to 16 MB of those pages for the life of the
 * process, in malloc'd memory that stays resident (~26 MB of RSS on a 300k-row ledger
 * with two budgets). A scan gains nothing from a large cache, and afterwards the
 * connection only appends (rows when there is no writer thread, or when it has failed),
 * which needs the last pages of the table and its indexes: the writer thread's 2 MB.
 * Call it before those reads.
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../../ledger/ledger-store.js';

/** KiB: the writer thread's connection uses the same (ledger-writer-thread.ts). */
export const LEDGER_CACHE_KIB = 2000;

export async function limitLedgerCache(ledger: LedgerStore): Promise<void> {
  await sql`pragma cache_size = ${sql.raw(String(-LEDGER_CACHE_KIB))}`.execute(ledger.db);
}
