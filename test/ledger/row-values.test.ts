// rowValues writes its 57 columns one by one (a loop over the names was a slow generic
// lookup per value): each value must land under its own column, omitted ones as defaults.
import { describe, expect, it } from 'vitest';
import type { NewUsageEntry } from '../../src/ledger/ledger-schema.js';
import { ENTRY_COLUMNS, rowValues } from '../../src/ledger/queries/insert-batch.js';

const TS = '2026-11-01T00:00:00.000Z';
const SPECIAL: Record<string, unknown> = { batch_id: 7, ts: TS, ts_end: '2026-11-01T01:00:00.000Z', cost_ticks: 12n, estimated_cost_ticks: 34n };

describe('rowValues', () => {
  it('puts every entry column at its ENTRY_COLUMNS position', () => {
    // Each column holds a value naming it, so a swapped pair shows.
    const entry = Object.fromEntries(ENTRY_COLUMNS.filter((c) => c !== 'batch_id').map((c) => [c, SPECIAL[c] ?? (c.endsWith('_tokens') || c === 'requests' ? ENTRY_COLUMNS.indexOf(c) : `value of ${c}`)]));
    const out: unknown[] = [];
    rowValues(entry as unknown as NewUsageEntry, 7, 0, out);
    expect(out).toHaveLength(ENTRY_COLUMNS.length);
    ENTRY_COLUMNS.forEach((column, i) => expect([column, out[i]]).toEqual([column, column in SPECIAL ? SPECIAL[column] : entry[column]]));
  });

  it('spells out the defaults of omitted columns and derives ticks from the decimal', () => {
    const out: unknown[] = [];
    rowValues({ provenance: 'metered', source: 's', dedupe_key: 'k', provider: 'p', ts: '2026-11-01T00:00:00Z', cost_status: 'priced', cost_usd: '0.25', created_at: TS } as NewUsageEntry, 3, 0, out);
    const row = Object.fromEntries(ENTRY_COLUMNS.map((c, i) => [c, out[i]]));
    expect(row).toMatchObject({ batch_id: 3, ts: TS, ts_end: null, granularity: 'request', requests: 1, currency: 'USD', charge_category: 'usage', cost_ticks: 2_500_000_000n, estimated_cost_ticks: null, team: null });
    for (const c of ENTRY_COLUMNS.filter((name) => name.endsWith('_tokens'))) expect([c, row[c]]).toEqual([c, 0]);
  });
});
