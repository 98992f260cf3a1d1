// Budgets judged before the ledger's record begins read $0 spent: the hint says that is no record, not no spend.
import { describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../src/budgets/recorded-until.js';
import { staleLedgerHint } from '../../src/budgets/stale-ledger-hint.js';

const record: LedgerRecord = { first: '2026-08-01T00:00:00.000Z', latest: '2026-10-31T00:00:00.000Z', byProvider: new Map([['openai', '2026-10-31T00:00:00.000Z']]) };

describe('the stale-ledger hint before the ledger begins', () => {
  it('says nothing is recorded before the first usage, and where to judge instead', () => {
    expect(staleLedgerHint(record, new Date('2026-01-15T00:00:00Z'), '--at')).toBe(
      "the ledger's first usage is from 2026-08-01, after 2026-01-15: nothing before it is recorded, so the budgets' $0 spent and projections say nothing of that time; --at 2026-08-01 or later judges them on recorded usage",
    );
    // The last moment before the first usage's day is still before the record.
    expect(staleLedgerHint(record, new Date('2026-07-31T23:59:59Z'))).toBe(
      "the ledger's first usage is from 2026-08-01, after 2026-07-31: nothing before it is recorded, so the budgets' $0 spent and projections say nothing of that time",
    );
  });

  it('is quiet from the first usage\'s day on, while the ledger is current', () => {
    expect(staleLedgerHint(record, new Date('2026-08-01T00:00:00Z'))).toBeUndefined();
    expect(staleLedgerHint(record, new Date('2026-10-31T12:00:00Z'))).toBeUndefined();
    // A record that does not say where it begins is judged by its end alone.
    expect(staleLedgerHint({ latest: record.latest, byProvider: record.byProvider }, new Date('2026-01-15T00:00:00Z'))).toBeUndefined();
  });
});
