/**
 * Opens (and when asked, creates) a ledger file: better-sqlite3 under Kysely's
 * `SqliteDialect`, WAL so that readers never wait for a writer, a busy timeout so
 * that several processes (proxies, imports, `llmfin top`) can share one file, and
 * migrations brought up to date in one transaction. A file it cannot use is refused
 * before anything is written to it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { LedgerDatabase } from '../ledger-schema.js';
import type { LedgerStore, OpenLedgerOptions } from '../ledger-store.js';
import { LedgerOpenError } from '../ledger-errors.js';
import { LEDGER_SCHEMA_VERSION, MIGRATION_LOCK_TABLE, MIGRATION_TABLE, ledgerMigrationProvider } from '../migrations/index.js';
import { describeOpenFailure, describePathProblem } from './describe-open-failure.js';
import { exactIntegerDatabase } from './exact-integer-database.js';
import type { SqliteDriverDatabase } from './exact-integer-database.js';
import { inspectLedger } from './inspect-ledger.js';

/** How long a writer waits for another process's write to finish before reporting "locked". */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The page size of a new ledger. A ledger row is ~1 KB (an imported row keeps its
 * source fields in raw_usage), so SQLite's default 4 KB page held 3 of them with a
 * tenth of the page unused, and every page costs a WAL frame, a checkpoint copy and a
 * B-tree split: 16 KB pages made a 1M-row FOCUS file's ledger 9% smaller and its writes
 * ~25% cheaper in CPU (most of it the kernel's). A proxy commit of a few rows writes
 * larger frames, still well under a millisecond's I/O. An existing ledger keeps its size.
 */
const PAGE_SIZE = 16384;

class SqliteLedgerStore implements LedgerStore {
  readonly path: string;
  readonly db: Kysely<LedgerDatabase>;
  readonly readOnly: boolean;
  readonly #raw: SqliteDriverDatabase;
  #closed = false;

  constructor(path: string, db: Kysely<LedgerDatabase>, raw: SqliteDriverDatabase, readOnly: boolean) {
    this.path = path;
    this.db = db;
    this.#raw = raw;
    this.readOnly = readOnly;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.db.destroy();
    // Kysely only closes a driver it has used; close the file ourselves in case it has not.
    this.#raw.close();
  }
}

function openFile(path: string, create: boolean, readonly: boolean): SqliteDriverDatabase {
  const inMemory = path === ':memory:';
  if (!inMemory) {
    const problem = describePathProblem(path);
    if (problem !== undefined) throw new LedgerOpenError(path, problem);
    if (!existsSync(path) && (readonly || !create)) {
      throw new LedgerOpenError(path, 'no ledger there', { hint: 'run `llmfin init` to create one, or use --db PATH' });
    }
    if (create && !readonly) makeParents(path, dirname(path));
  }
  return new Database(path, { readonly, fileMustExist: !inMemory && (readonly || !create) });
}

/**
 * Creates `dir` and its missing parents one level at a time. Node 20's recursive mkdir
 * loops forever at 100% CPU under /proc (mkdir there fails with ENOENT under a parent that
 * exists, and it goes back to make the parent again): `--db /proc/x/l.db` hung.
 */
function makeParents(path: string, dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT') throw new LedgerOpenError(path, `its directory ${d} cannot be created there`, { cause: error });
      throw error;
    }
  }
}

/** Connection settings: per connection, none of them writes to the file. */
function configureConnection(raw: SqliteDriverDatabase, readonly: boolean): void {
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  raw.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only a power loss can
  // drop the last commits, and it cannot corrupt the file.
  raw.pragma('synchronous = NORMAL');
  if (readonly) raw.pragma('query_only = ON');
}

async function migrate(db: Kysely<LedgerDatabase>, raw: SqliteDriverDatabase, path: string, options: OpenLedgerOptions): Promise<void> {
  // Kysely's SQLite adapter runs migrations outside a transaction, so a crash could
  // leave half a schema. One IMMEDIATE transaction around all of it makes the upgrade
  // atomic and, because it takes the write lock first (waiting up to the busy
  // timeout), makes two processes opening a new ledger at once migrate it only once.
  raw.exec('begin immediate');
  try {
    // Another process may have migrated (or upgraded) the file while we waited.
    if (inspectLedger(raw, path).pending.length > 0) {
      const migrator = new Migrator({
        db,
        provider: ledgerMigrationProvider,
        migrationTableName: MIGRATION_TABLE,
        migrationLockTableName: MIGRATION_LOCK_TABLE,
      });
      const { error } = await migrator.migrateToLatest();
      if (error !== undefined) throw error;
      const now = (options.now ?? (() => new Date()))().toISOString();
      await db
        .insertInto('meta')
        .values([
          { key: 'created_by', value: options.llmfinVersion ?? 'unknown' },
          { key: 'created_at', value: now },
        ])
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      await db
        .insertInto('meta')
        .values({ key: 'schema_version', value: String(LEDGER_SCHEMA_VERSION) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(LEDGER_SCHEMA_VERSION) }))
        .execute();
    }
    raw.exec('commit');
  } catch (error) {
    // SQLite has already rolled back after some errors (disk full, I/O).
    if (raw.inTransaction) raw.exec('rollback');
    throw error;
  }
}

/**
 * Opens of the same file in this process, in flight. SQLite waits for a lock by
 * sleeping on the calling thread, so a second open that needs the write lock while the
 * first one migrates (between awaits) would block the very thread that must finish
 * the first: opens of one file are therefore run one after another.
 */
const opening = new Map<string, Promise<unknown>>();

/**
 * Opens the ledger at `path`, creating it (and its directory) unless `create: false`,
 * and migrates it to this llmfin's schema.
 *
 * @throws LedgerOpenError the path cannot hold a ledger (parent is a file, permission
 *   denied, not a SQLite file, locked, missing with `create: false`); nothing is written.
 * @throws LedgerVersionError the file was written by a newer llmfin; nothing is written.
 */
export async function openLedger(path: string, options: OpenLedgerOptions = {}): Promise<LedgerStore> {
  if (path === ':memory:') return openNow(path, options);
  const key = resolve(path);
  const current = (opening.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => openNow(path, options));
  opening.set(key, current);
  try {
    return await current;
  } finally {
    if (opening.get(key) === current) opening.delete(key);
  }
}

async function openNow(path: string, options: OpenLedgerOptions): Promise<LedgerStore> {
  const create = options.create ?? true;
  const readonly = options.readonly ?? false;
  let raw: SqliteDriverDatabase | undefined;
  try {
    raw = openFile(path, create, readonly);
    configureConnection(raw, readonly);
    const { pending } = inspectLedger(raw, path);
    if (pending.length > 0 && readonly) {
      throw new LedgerOpenError(path, `the ledger needs an upgrade to schema ${LEDGER_SCHEMA_VERSION} and was opened read-only`, {
        hint: 'run any llmfin command on it without read-only access once',
      });
    }
    // A new file only: a WAL database keeps the page size it was created with.
    if (!readonly && (raw.pragma('page_count', { simple: true }) as number) === 0) raw.pragma(`page_size = ${PAGE_SIZE}`);
    // Persistent in the file header; a no-op when the ledger is already in WAL mode.
    if (!readonly) raw.pragma('journal_mode = WAL');
    const db = new Kysely<LedgerDatabase>({ dialect: new SqliteDialect({ database: exactIntegerDatabase(raw) }) });
    const store = new SqliteLedgerStore(path, db, raw, readonly);
    if (pending.length > 0) {
      try {
        await migrate(db, raw, path, options);
      } catch (error) {
        await store.close();
        throw error;
      }
    }
    return store;
  } catch (error) {
    raw?.close();
    throw describeOpenFailure(path, error);
  }
}
