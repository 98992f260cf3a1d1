import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { exactIntegerDatabase, normaliseIntegers, SPREAD_LIMIT } from '../../../src/ledger/sqlite/exact-integer-database.js';

/** A table of `columns` integer columns and one multi-row INSERT of `rows` rows into it. */
function setUp(columns: number, rows: number) {
  const raw = new Database(':memory:');
  const names = Array.from({ length: columns }, (_, i) => `c${i}`);
  raw.exec(`CREATE TABLE t (${names.map((n) => `${n} INTEGER`).join(', ')}, money_ticks INTEGER)`);
  const tuple = `(${[...names, 'money_ticks'].map(() => '?').join(', ')})`;
  const sql = `INSERT INTO t (${[...names, 'money_ticks'].join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`;
  const parameters: unknown[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) parameters.push(r * columns + c);
    // Past 2^53: must arrive exactly, whichever way the parameters are passed.
    parameters.push(9_007_199_254_740_993n + BigInt(r));
  }
  return { raw, db: exactIntegerDatabase(raw), sql, parameters };
}

describe('exactIntegerDatabase run', () => {
  it('binds every parameter in order, as arguments below SPREAD_LIMIT and as one array above it', () => {
    for (const [columns, rows] of [[9, 100], [63, 400]] as const) {
      const { raw, db, sql, parameters } = setUp(columns, rows);
      expect(parameters.length > SPREAD_LIMIT).toBe(columns === 63);
      expect(Number(db.prepare(sql).run(parameters).changes)).toBe(rows);
      const stored = raw.prepare('SELECT * FROM t').safeIntegers(true).raw().all() as bigint[][];
      expect(stored).toHaveLength(rows);
      expect(stored.flat()).toEqual(parameters.map((p) => BigInt(p as number | bigint)));
      db.close();
    }
  });
});

describe('normaliseIntegers', () => {
  it('turns integers into numbers up to 2^53 - 1 either way, keeps *_ticks as bigint, and refuses one it would round', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    const row = { id: 7n, top: max, bottom: -max, cost_ticks: 9_007_199_254_740_993n, name: 'x', none: null };
    expect(normaliseIntegers(row)).toEqual({ id: 7, top: Number.MAX_SAFE_INTEGER, bottom: Number.MIN_SAFE_INTEGER, cost_ticks: 9_007_199_254_740_993n, name: 'x', none: null });
    expect(() => normaliseIntegers({ over: max + 1n })).toThrow('ledger column "over" holds 9007199254740992, too large to read exactly as a number');
    expect(() => normaliseIntegers({ under: -max - 1n })).toThrow('ledger column "under" holds -9007199254740992');
  });
});
