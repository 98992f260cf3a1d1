/**
 * Looks at a SQLite file before llmfin changes anything in it: is it a SQLite file at
 * all, is it an llmfin ledger, was it written by a newer llmfin, and which migrations
 * are pending. Reads only, so a refused file keeps every byte.
 */
import { LEDGER_MIGRATIONS, LEDGER_SCHEMA_VERSION, MIGRATION_TABLE } from '../migrations/index.js';
import { LedgerOpenError, LedgerVersionError } from '../ledger-errors.js';
import type { SqliteDriverDatabase } from './exact-integer-database.js';

export interface LedgerInspection {
  /** Migrations this llmfin knows that the file has not run yet, in order. */
  pending: string[];
}

function names(rows: unknown[], column: string): string[] {
  return rows.map((row) => String((row as Record<string, unknown>)[column]));
}

/**
 * Throws `LedgerVersionError` for a ledger from a newer llmfin and `LedgerOpenError`
 * for a SQLite database that is not a ledger; SQLite's own errors (not a database,
 * locked) propagate for describe-open-failure.ts to word.
 */
export function inspectLedger(raw: SqliteDriverDatabase, path: string): LedgerInspection {
  const known = Object.keys(LEDGER_MIGRATIONS).sort();
  // The first read of the file: SQLITE_NOTADB surfaces here for a file that is not SQLite.
  const tables = names(raw.prepare(`select name from sqlite_master where type = 'table'`).all(), 'name');
  if (tables.length === 0) return { pending: known };
  if (!tables.includes(MIGRATION_TABLE)) {
    throw new LedgerOpenError(path, `it is a SQLite database but not an llmfin ledger (it has no ${MIGRATION_TABLE} table)`);
  }
  const applied = names(raw.prepare(`select name from ${MIGRATION_TABLE}`).all(), 'name');
  let recorded = 0;
  if (tables.includes('meta')) {
    const row = raw.prepare(`select value from meta where key = 'schema_version'`).get() as { value?: unknown } | undefined;
    recorded = Number(row?.value ?? 0) || 0;
  }
  const unknown = applied.filter((name) => !Object.hasOwn(LEDGER_MIGRATIONS, name));
  if (unknown.length > 0 || recorded > LEDGER_SCHEMA_VERSION) {
    throw new LedgerVersionError(path, Math.max(recorded, applied.length, LEDGER_SCHEMA_VERSION + 1), LEDGER_SCHEMA_VERSION);
  }
  return { pending: known.filter((name) => !applied.includes(name)) };
}
