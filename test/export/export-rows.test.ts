import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRows, type ExportFilter } from '../../src/export/export-rows.js';
import { recordImport, UnknownDimensionError, type LedgerStore } from '../../src/ledger/index.js';
import { freshLedger } from '../helpers/import.js';
import { handRow } from './hand-rows.js';

async function keys(ledger: LedgerStore, filter: ExportFilter): Promise<string[]> {
  const out: string[] = [];
  for await (const row of exportRows(ledger, filter)) out.push(row.dedupe_key);
  return out;
}

describe('exportRows', () => {
  let ledger: LedgerStore;
  beforeAll(async () => {
    ledger = await freshLedger();
    // Inserted out of time order, so that the order of the export is its own doing.
    await recordImport(ledger, { source: 'test', file_name: null }, [
      handRow({ dedupe_key: 'c', ts: '2026-10-31T23:59:59.999Z', team: 'search' }),
      handRow({ dedupe_key: 'a', ts: '2026-09-30T23:59:59.999Z', team: 'search', provenance: 'billed' }),
      handRow({ dedupe_key: 'b2', ts: '2026-10-01T00:00:00.000Z', team: null, provenance: 'provider_usage' }),
      handRow({ dedupe_key: 'b1', ts: '2026-10-01T00:00:00.000Z', team: 'ads', provenance: 'billed' }),
      handRow({ dedupe_key: 'd', ts: '2026-11-01T00:00:00.000Z', team: 'ads' }),
    ]);
  });
  afterAll(async () => {
    await ledger.close();
  });

  it('yields every row oldest first, ties in insertion order', async () => {
    expect(await keys(ledger, {})).toEqual(['a', 'b2', 'b1', 'c', 'd']);
  });

  it('since is inclusive and until exclusive (one calendar month)', async () => {
    expect(await keys(ledger, { since: '2026-10-01', until: '2026-11-01' })).toEqual(['b2', 'b1', 'c']);
    expect(await keys(ledger, { since: '2026-10-31T23:59:59.999Z' })).toEqual(['c', 'd']);
  });

  it('provenance and dimension filters combine; (unattributed) selects missing values', async () => {
    expect(await keys(ledger, { provenance: ['billed'] })).toEqual(['a', 'b1']);
    expect(await keys(ledger, { provenance: ['billed', 'provider_usage'], since: '2026-10-01' })).toEqual(['b2', 'b1']);
    expect(await keys(ledger, { where: { team: 'search' } })).toEqual(['a', 'c']);
    expect(await keys(ledger, { where: { team: '(unattributed)' } })).toEqual(['b2']);
    expect(await keys(ledger, { where: { team: 'ads', provider: 'openai' }, until: '2026-11-01' })).toEqual(['b1']);
  });

  it('an unknown dimension is refused', async () => {
    await expect(keys(ledger, { where: { colour: 'red' } })).rejects.toBeInstanceOf(UnknownDimensionError);
  });

  it('stopping early releases the ledger for the next query', async () => {
    for await (const row of exportRows(ledger)) {
      expect(row.dedupe_key).toBe('a');
      break;
    }
    expect(await keys(ledger, { provenance: ['metered'] })).toEqual(['c', 'd']);
  });

  it('streams: rows arrive before the whole selection is read', async () => {
    // A page-free statement hands over the first row at once; a 10M-row ledger is never held in memory.
    const iterator = exportRows(ledger)[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.dedupe_key).toBe('a');
    await iterator.return?.(undefined);
  });
});
