/**
 * Hands better-sqlite3 to Kysely so that no integer is read inexactly.
 *
 * By default better-sqlite3 returns every INTEGER as a JS number and silently rounds
 * those above 2^53: 9007199254740993 ticks comes back as ...992, and tick sums reach
 * that at about $900,000. So every statement runs with `safeIntegers(true)` and each
 * row is then converted by column name: columns and aliases ending in `_ticks` stay
 * `bigint` (exact money), every other integer becomes a number, and one too large for
 * a number throws instead of being rounded. Nothing is ever lost quietly.
 *
 * It also caches prepared statements by SQL text: Kysely prepares on every call, and
 * a bulk insert repeats the same multi-row statement hundreds of times.
 */
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** The parts of a better-sqlite3 statement the ledger uses (aesthetics rule 4). */
export interface SqliteDriverStatement {
  readonly reader: boolean;
  safeIntegers(toggle?: boolean): SqliteDriverStatement;
  all(...parameters: unknown[]): unknown[];
  get(...parameters: unknown[]): unknown;
  run(...parameters: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  iterate(...parameters: unknown[]): IterableIterator<unknown>;
}

/** The parts of a better-sqlite3 database the ledger uses. */
export interface SqliteDriverDatabase {
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteDriverStatement;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  exec(sql: string): unknown;
  close(): unknown;
}

/** Columns whose integers are money: kept as bigint. */
const EXACT_SUFFIX = '_ticks';
const CACHE_LIMIT = 64;
/**
 * A statement's parameters go to better-sqlite3 as arguments, not as one array: it reads
 * an array's elements through V8's generic property lookup, arguments straight off the
 * call. A 250-row import insert binds ~4,000 values (the proxy's 256-row one ~12,500);
 * binding was a quarter of SQLite's time in the import's writer thread, and passed as
 * arguments the writer spent ~10% less CPU. Past this many, one array, so that no
 * statement can use up the stack.
 */
export const SPREAD_LIMIT = 16_384;

/** `statement.run` with `parameters` bound as arguments, or as one array past SPREAD_LIMIT. */
export function runBound<R>(statement: { run(...parameters: unknown[]): R }, parameters: readonly unknown[]): R {
  return parameters.length <= SPREAD_LIMIT ? statement.run(...parameters) : statement.run(parameters);
}

/**
 * The bounds of an exact number, made once: built inside the loop they were two BigInts
 * for every integer of every row read (a `top` refresh reads ~10 integer columns a row).
 */
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_EXACT = BigInt(Number.MIN_SAFE_INTEGER);

/** Converts one row in place: bigint → number except for `*_ticks` columns. */
export function normaliseIntegers(row: unknown): unknown {
  if (row === null || typeof row !== 'object') return row;
  const record = row as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (typeof value !== 'bigint' || key.endsWith(EXACT_SUFFIX)) continue;
    if (value > MAX_EXACT || value < MIN_EXACT) {
      throw new RangeError(`ledger column "${key}" holds ${value}, too large to read exactly as a number; name it *_ticks to read a bigint`);
    }
    record[key] = Number(value);
  }
  return record;
}

/** Wraps a better-sqlite3 database as Kysely's `SqliteDatabase`, reading integers exactly. */
export function exactIntegerDatabase(raw: SqliteDriverDatabase): SqliteDatabase {
  const cache = new Map<string, SqliteDriverStatement>();
  const cachedStatement = (sql: string): SqliteDriverStatement => {
    const cached = cache.get(sql);
    if (cached) return cached;
    const statement = raw.prepare(sql).safeIntegers(true);
    if (cache.size >= CACHE_LIMIT) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(sql, statement);
    return statement;
  };
  return {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare(sql: string): SqliteStatement {
      const statement = cachedStatement(sql);
      return {
        reader: statement.reader,
        all: (parameters) => statement.all(parameters).map(normaliseIntegers),
        run: (parameters) => runBound(statement, parameters),
        // A fresh statement: a cached one may be busy iterating for an enclosing stream.
        iterate: function* (parameters) {
          for (const row of raw.prepare(sql).safeIntegers(true).iterate(parameters)) yield normaliseIntegers(row);
        },
      };
    },
  };
}
