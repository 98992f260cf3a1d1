/**
 * What the rest of llmfin depends on: an open ledger. Today a SQLite file
 * (sqlite/open-sqlite-ledger.ts); the interface is narrow so that a PostgreSQL store
 * shared by several proxies can implement it later (PRODUCT.md, Scale).
 */
import type { Kysely } from 'kysely';
import type { LedgerDatabase } from './ledger-schema.js';

export interface LedgerStore {
  /** The ledger's location as opened (a file path for SQLite). */
  readonly path: string;
  /** The query builder; SQL lives in ledger/queries/, not in callers. */
  readonly db: Kysely<LedgerDatabase>;
  /** Releases the file (SQLite checkpoints the WAL); the store is unusable afterwards. */
  close(): Promise<void>;
  /**
   * Opened without writing (`top`'s): bringing the daily rollup up to date is a write, so
   * reports, and where each provider's usage stops, read the rollup as a refresh would leave
   * it — its days but those marked dirty, and the rows it has not taken in (usage-facts.ts).
   */
  readonly readOnly?: boolean;
}

export interface OpenLedgerOptions {
  /** Create the file and its parent directory when missing (default true). */
  create?: boolean;
  /** Open without writing: no migrations, no WAL switch (default false). */
  readonly?: boolean;
  /** Recorded as `created_by` in a new ledger's meta table (default 'unknown'). */
  llmfinVersion?: string;
  /** The clock for `created_at`; tests pass a fixed one. */
  now?: () => Date;
}
