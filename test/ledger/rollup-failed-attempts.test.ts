// The daily rollup leaves the proxy's failed attempts (an error status, no token) out of
// `requests` and counts them apart; a ledger rolled up before, which counted them as
// requests, has its days recomputed when it is opened rather than keep the old count.
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index.js';
import { recordImport } from '../../src/ledger/queries/insert-batch.js';
import { usageFacts } from '../../src/ledger/queries/usage-facts.js';
import { refreshRollups } from '../../src/ledger/rollups/refresh-rollups.js';
import type { LedgerStore } from '../../src/ledger/index.js';
import { rewindLedger } from '../helpers/rewind-ledger.js';
import { batch, entry, tempDir } from './ledger-fixtures.js';

const MIGRATION = '2026_12_04_0200_rollup_failed_attempts';

// Two 503s before an answer, one answer alone, and a 500 that reported usage (the model ran).
const ROWS = [
  entry({ dedupe_key: 'a#1', status_code: 503, input_tokens: 0, output_tokens: 0, cost_usd: '0', ts: '2026-10-05T10:00:00.000Z' }),
  entry({ dedupe_key: 'a#2', status_code: 503, input_tokens: 0, output_tokens: 0, cost_usd: '0', ts: '2026-10-05T10:00:01.000Z' }),
  entry({ dedupe_key: 'a#3', status_code: 200, input_tokens: 10, output_tokens: 5, ts: '2026-10-05T10:00:02.000Z' }),
  entry({ dedupe_key: 'b#1', status_code: 200, input_tokens: 10, output_tokens: 5, ts: '2026-10-06T10:00:00.000Z' }),
  entry({ dedupe_key: 'c#1', status_code: 500, input_tokens: 10, output_tokens: 0, ts: '2026-10-06T11:00:00.000Z' }),
];

/** Requests and failed attempts per day, from the rollup, brought up to date as a report does first. */
async function byDay(ledger: LedgerStore) {
  await refreshRollups(ledger);
  const facts = await usageFacts(ledger, { columns: [], grain: 'day', since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' });
  return facts.map((f) => [f.period, f.requests, f.failed_attempts]).sort();
}

const EXPECTED = [
  ['2026-10-05', 1, 2],
  ['2026-10-06', 2, 0],
];

describe('rollup_daily.failed_attempts', () => {
  it('keeps failed attempts out of the requests, from the rollup and from the rows alike', async () => {
    const ledger = await openLedger(join(tempDir(), 'l.db'));
    await recordImport(ledger, batch(), ROWS);
    expect(await byDay(ledger)).toEqual(EXPECTED);
    const rows = await usageFacts(ledger, { columns: [], grain: 'day', since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z', noRollup: true });
    expect(rows.map((f) => [f.period, f.requests, f.failed_attempts]).sort()).toEqual(EXPECTED);
    await ledger.close();
  });

  it('recomputes a ledger rolled up before the column existed', async () => {
    const path = join(tempDir(), 'old.db');
    const ledger = await openLedger(path);
    await recordImport(ledger, batch(), ROWS);
    await refreshRollups(ledger);
    await rewindLedger(ledger, { first: MIGRATION });
    // The rollup as the llmfin before the migration left it: failed attempts counted as requests, no day dirty.
    await sql`delete from rollup_dirty_days`.execute(ledger.db);
    await sql`delete from rollup_daily`.execute(ledger.db);
    await sql`insert into rollup_daily (day, provenance, charge_category, provider, source, model, rows, requests, cost_ticks)
      select substr(ts, 1, 10), provenance, charge_category, provider, source, model, count(*), sum(requests), sum(cost_ticks) from usage_entries group by 1, 2, 3, 4, 5, 6`.execute(ledger.db);
    await ledger.close();

    const reopened = await openLedger(path);
    expect(await byDay(reopened)).toEqual(EXPECTED);
    await reopened.close();
  });
});
