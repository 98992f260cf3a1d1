import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { LedgerOpenError, LedgerVersionError } from '../../src/ledger/ledger-errors.js';
import { LEDGER_MIGRATIONS, LEDGER_SCHEMA_VERSION } from '../../src/ledger/migrations/index.js';
import { openLedger } from '../../src/ledger/sqlite/open-sqlite-ledger.js';
import { hashFile, tempDir } from './ledger-fixtures.js';

const NOW = () => new Date('2026-11-23T02:00:00.000Z');

async function createLedger(path: string): Promise<void> {
  const ledger = await openLedger(path, { llmfinVersion: '0.1.0-test', now: NOW });
  await ledger.close();
}

/** Runs `change` on the file through a plain better-sqlite3 connection, as another tool would. */
function tamper(path: string, change: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    change(db);
  } finally {
    db.close();
  }
}

async function openError(path: string, options: Parameters<typeof openLedger>[1] = {}): Promise<unknown> {
  try {
    const ledger = await openLedger(path, options);
    await ledger.close();
  } catch (error) {
    return error;
  }
  throw new Error(`openLedger(${path}) succeeded`);
}

describe('openLedger', () => {
  it('gives a new ledger 16 KB pages and leaves an existing file its own page size', async () => {
    const fresh = join(tempDir(), 'ledger.db');
    await createLedger(fresh);
    tamper(fresh, (db) => expect(db.pragma('page_size', { simple: true })).toBe(16384));
    const old = join(tempDir(), 'old.db');
    // A file made before: SQLite's 4 KB default, fixed once it is in WAL mode.
    tamper(old, (db) => {
      db.pragma('page_size = 4096');
      db.pragma('journal_mode = WAL');
    });
    await createLedger(old);
    tamper(old, (db) => expect(db.pragma('page_size', { simple: true })).toBe(4096));
  });

  it('creates the file and its directory, in WAL mode, migrated, with meta rows', async () => {
    const path = join(tempDir(), 'nested', 'dir', 'ledger.db');
    const ledger = await openLedger(path, { llmfinVersion: '0.1.0-test', now: NOW });
    try {
      expect(ledger.path).toBe(path);
      const { rows: mode } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(ledger.db);
      expect(mode[0]?.journal_mode).toBe('wal');
      const { rows: fk } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(ledger.db);
      expect(fk[0]?.foreign_keys).toBe(1);
      const { rows: busy } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(ledger.db);
      expect(busy[0]?.timeout).toBe(5000);
      const migrations = await sql<{ name: string }>`select name from llmfin_migration`.execute(ledger.db);
      expect(migrations.rows.map((r) => r.name)).toEqual(Object.keys(LEDGER_MIGRATIONS));
      const meta = await ledger.db.selectFrom('meta').selectAll().orderBy('key').execute();
      expect(meta).toEqual([
        { key: 'created_at', value: '2026-11-23T02:00:00.000Z' },
        { key: 'created_by', value: '0.1.0-test' },
        { key: 'schema_version', value: String(LEDGER_SCHEMA_VERSION) },
      ]);
      for (const table of ['import_batches', 'usage_entries', 'invoices', 'invoice_lines'] as const) {
        expect(await ledger.db.selectFrom(table).selectAll().execute()).toEqual([]);
      }
    } finally {
      await ledger.close();
    }
  });

  it('reopening an up-to-date ledger changes nothing', async () => {
    const path = join(tempDir(), 'ledger.db');
    await createLedger(path);
    const before = hashFile(path);
    const again = await openLedger(path, { llmfinVersion: '9.9.9', now: () => new Date('2030-01-01T00:00:00Z') });
    const meta = await again.db.selectFrom('meta').selectAll().orderBy('key').execute();
    await again.close();
    expect(meta.find((m) => m.key === 'created_by')?.value).toBe('0.1.0-test');
    expect(meta.find((m) => m.key === 'created_at')?.value).toBe('2026-11-23T02:00:00.000Z');
    expect(hashFile(path)).toBe(before);
  });

  it('defaults created_by to "unknown"', async () => {
    const ledger = await openLedger(join(tempDir(), 'ledger.db'));
    const row = await ledger.db.selectFrom('meta').select('value').where('key', '=', 'created_by').executeTakeFirst();
    await ledger.close();
    expect(row?.value).toBe('unknown');
  });

  it('refuses a ledger with a migration it does not know, leaving the file untouched', async () => {
    const path = join(tempDir(), 'ledger.db');
    await createLedger(path);
    tamper(path, (db) => db.prepare('insert into llmfin_migration (name, timestamp) values (?, ?)').run('2099_01_01_0000_future', '2099-01-01T00:00:00.000Z'));
    const before = [hashFile(path), hashFile(`${path}-wal`)];

    const error = await openError(path);
    expect(error).toBeInstanceOf(LedgerVersionError);
    const versionError = error as LedgerVersionError;
    expect(versionError.exitCode).toBe(2);
    expect(versionError.path).toBe(path);
    expect(versionError.message).toBe(
      `${path} was written by a newer llmfin (ledger schema ${LEDGER_SCHEMA_VERSION + 1}, this llmfin knows up to ${LEDGER_SCHEMA_VERSION}); upgrade llmfin, or use --db to open another ledger`,
    );
    expect([hashFile(path), hashFile(`${path}-wal`)]).toEqual(before);
  });

  it('refuses a ledger whose meta schema_version is newer', async () => {
    const path = join(tempDir(), 'ledger.db');
    await createLedger(path);
    // One past the newest schema this llmfin knows.
    const newer = LEDGER_SCHEMA_VERSION + 1;
    tamper(path, (db) => db.prepare(`update meta set value = '${newer}' where key = 'schema_version'`).run());
    const before = hashFile(path);
    const error = await openError(path);
    expect(error).toBeInstanceOf(LedgerVersionError);
    expect((error as LedgerVersionError).found).toBe(newer);
    expect(hashFile(path)).toBe(before);
  });

  it('refuses a file that is not a SQLite database, leaving it untouched', async () => {
    const path = join(tempDir(), 'ledger.db');
    writeFileSync(path, 'date,model,cost\n2026-11-01,gpt-4o,1.00\n'.repeat(200));
    const before = hashFile(path);
    const error = await openError(path);
    expect(error).toBeInstanceOf(LedgerOpenError);
    expect((error as LedgerOpenError).exitCode).toBe(2);
    expect((error as LedgerOpenError).path).toBe(path);
    expect((error as Error).message).toBe(`cannot open ledger ${path}: not a SQLite database (is this the right file?)`);
    expect(hashFile(path)).toBe(before);
    expect(hashFile(`${path}-wal`)).toBe('absent');
  });

  it('refuses a SQLite database that is not an llmfin ledger, leaving it untouched', async () => {
    const path = join(tempDir(), 'other.db');
    tamper(path, (db) => db.exec('create table notes (id integer primary key, body text)'));
    const before = hashFile(path);
    const error = await openError(path);
    expect(error).toBeInstanceOf(LedgerOpenError);
    expect((error as Error).message).toContain('not an llmfin ledger');
    expect(hashFile(path)).toBe(before);
  });

  it('names the path when its parent is a regular file', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    for (const path of [join(file, 'ledger.db'), join(file, 'deeper', 'ledger.db')]) {
      const error = await openError(path);
      expect(error).toBeInstanceOf(LedgerOpenError);
      expect((error as LedgerOpenError).path).toBe(path);
      expect((error as Error).message).toBe(`cannot open ledger ${path}: its parent ${file} is not a directory`);
      expect((error as LedgerOpenError).exitCode).toBe(2);
    }
  });

  it('a directory that cannot be made under /proc is exit 2 naming it, not a hang (Node 20 loops in a recursive mkdir there)', () => {
    // A child process with a time limit: a regression spins at 100% CPU in a synchronous call.
    const bin = fileURLToPath(new URL('../../bin/llmfin', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'init', '--db', '/proc/llmfin-no-such/ledger.db'], { cwd: tempDir(), encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot open ledger /proc/llmfin-no-such/ledger.db: its directory /proc/llmfin-no-such cannot be created there');
  });

  it('refuses a directory as the ledger path', async () => {
    const path = join(tempDir(), 'ledger.db');
    mkdirSync(path);
    const error = await openError(path);
    expect(error).toBeInstanceOf(LedgerOpenError);
    expect((error as Error).message).toContain('is a directory');
  });

  it('with create: false, a missing ledger is an error and nothing is created', async () => {
    const dir = tempDir();
    const path = join(dir, 'sub', 'ledger.db');
    const error = await openError(path, { create: false });
    expect(error).toBeInstanceOf(LedgerOpenError);
    expect((error as Error).message).toBe(`cannot open ledger ${path}: no ledger there`);
    expect(hashFile(join(dir, 'sub'))).toBe('absent');
  });

  it('opens read-only without writing, and refuses writes', async () => {
    const path = join(tempDir(), 'ledger.db');
    await createLedger(path);
    const before = hashFile(path);
    const ledger = await openLedger(path, { readonly: true });
    try {
      expect(await ledger.db.selectFrom('usage_entries').selectAll().execute()).toEqual([]);
      await expect(ledger.db.insertInto('meta').values({ key: 'x', value: 'y' }).execute()).rejects.toThrow();
    } finally {
      await ledger.close();
    }
    expect(hashFile(path)).toBe(before);
  });

  it('lets two connections share one ledger file', async () => {
    const path = join(tempDir(), 'ledger.db');
    const [a, b] = await Promise.all([openLedger(path), openLedger(path)]);
    try {
      await a.db.insertInto('meta').values({ key: 'from_a', value: '1' }).execute();
      await b.db.insertInto('meta').values({ key: 'from_b', value: '2' }).execute();
      const keys = (await a.db.selectFrom('meta').select('key').where('key', 'like', 'from_%').orderBy('key').execute()).map((r) => r.key);
      expect(keys).toEqual(['from_a', 'from_b']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('reads integers above 2^53 exactly in *_ticks columns and refuses to round others', async () => {
    const ledger = await openLedger(join(tempDir(), 'ledger.db'));
    try {
      const { rows } = await sql<{ cost_ticks: bigint; n: number }>`select 9007199254740993 as cost_ticks, 42 as n`.execute(ledger.db);
      expect(rows[0]).toEqual({ cost_ticks: 9007199254740993n, n: 42 });
      await expect(sql`select 9007199254740993 as n`.execute(ledger.db)).rejects.toThrow(RangeError);
    } finally {
      await ledger.close();
    }
  });
});
