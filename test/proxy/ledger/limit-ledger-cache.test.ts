// The proxy's own ledger connection keeps a 2 MB page cache once startProxy has run
// (limit-ledger-cache.ts), instead of the driver's 16 MB: a cache that start-up's reads
// of the whole period would fill and keep for the life of the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openLedger, type LedgerStore } from '../../../src/ledger/index.js';
import { join } from 'node:path';
import { tempDir } from '../../helpers/cli.js';
import { startHarness, type Harness } from '../proxy-harness.js';

const cacheSize = async (db: LedgerStore['db']) => (await sql<{ cache_size: number }>`pragma cache_size`.execute(db)).rows[0]!.cache_size;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('the proxy ledger connection', () => {
  it('has a 2 MB page cache once the proxy has started, where a ledger opens with 16 MB', async () => {
    const other = await openLedger(join(tempDir(), 'other.db'));
    expect(await cacheSize(other.db)).toBe(-16000);
    await other.close();
    expect(await cacheSize(h.ledger.db)).toBe(-2000);
  });
});
