// Where each provider's record stops, and what the stale-ledger hint says of it.
import { describe, expect, it } from 'vitest';
import { laggingProviders, ledgerWide, providerRecordedUntil, recordedUntil, type LedgerRecord } from '../../src/budgets/recorded-until.js';
import { staleLedgerHint } from '../../src/budgets/stale-ledger-hint.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const record = (latest: string, byProvider: Record<string, string>): LedgerRecord => ({ latest, byProvider: new Map(Object.entries(byProvider)) });

describe('recorded until, by provider', () => {
  it('stops each provider at the end of its latest usage\'s UTC day, today or later at now', () => {
    const r = record('2026-12-01T11:00:00.000Z', { openai: '2026-12-01T11:00:00.000Z', bedrock: '2026-11-28T00:00:00.000Z', vertex: '2026-11-30T23:00:00.000Z' });
    expect(providerRecordedUntil(r, 'openai', NOW)).toBe(NOW.getTime());
    expect(providerRecordedUntil(r, 'bedrock', NOW)).toBe(Date.parse('2026-11-29T00:00:00Z'));
    expect(providerRecordedUntil(r, 'vertex', NOW)).toBe(Date.parse('2026-12-01T00:00:00Z'));
    // A provider with no usage in the record stops where the ledger does.
    expect(providerRecordedUntil(r, 'azure', NOW)).toBe(NOW.getTime());
    // Most behind first; the current one is not lagging.
    expect(laggingProviders(r, NOW).map((p) => [p.provider, new Date(p.until).toISOString()])).toEqual([
      ['bedrock', '2026-11-29T00:00:00.000Z'],
      ['vertex', '2026-12-01T00:00:00.000Z'],
    ]);
  });

  it('takes a provider more than 31 days behind the ledger as no longer used, not lagging', () => {
    const r = record('2026-12-01T11:00:00.000Z', { openai: '2026-12-01T11:00:00.000Z', azure: '2026-10-31T10:59:59.999Z', vertex: '2026-10-31T11:00:00.000Z' });
    expect(providerRecordedUntil(r, 'azure', NOW)).toBe(NOW.getTime());
    // Exactly 31 days behind is still a lag.
    expect(providerRecordedUntil(r, 'vertex', NOW)).toBe(Date.parse('2026-11-01T00:00:00Z'));
    expect(laggingProviders(r, NOW).map((p) => p.provider)).toEqual(['vertex']);
  });

  it('judges a ledger-wide record as recordedUntil always did', () => {
    const r = ledgerWide('2026-11-28T05:00:00.000Z');
    expect(providerRecordedUntil(r, 'openai', NOW)).toBe(recordedUntil('2026-11-28T05:00:00.000Z', NOW));
    expect(laggingProviders(r, NOW)).toEqual([]);
  });
});

describe('the stale-ledger hint, by provider', () => {
  it('names every provider behind, most behind first, when the ledger is current', () => {
    const r = record('2026-12-01T11:00:00.000Z', { openai: '2026-12-01T11:00:00.000Z', bedrock: '2026-11-27T00:00:00.000Z', vertex: '2026-11-28T06:00:00.000Z', azure: '2026-11-29T00:00:00.000Z' });
    // Azure, 2.5 days behind, is within a daily export's usual lag.
    expect(staleLedgerHint(r, NOW)).toBe(
      "bedrock recorded to 2026-11-27, 4 days behind; vertex recorded to 2026-11-28, 3 days behind, while the ledger's latest usage is from 2026-12-01: their usage since is not counted yet, so the budgets that cover them show too little spent, and their projections forecast their days since. Import their recent exports (`llmfin import`)",
    );
  });

  it('says where each provider stops when the whole ledger is behind on different days', () => {
    const r = record('2026-11-25T00:00:00.000Z', { openai: '2026-11-25T00:00:00.000Z', bedrock: '2026-11-20T00:00:00.000Z' });
    expect(staleLedgerHint(r, NOW, '--at')).toBe(
      "the ledger's latest usage is from 2026-11-25, 6 days before 2026-12-01 (bedrock recorded to 2026-11-20, 11 days behind; openai recorded to 2026-11-25, 6 days behind): nothing since is counted, so the budgets' spent amounts are too low and their projections guess every day since. Import recent exports (`llmfin import`) or meter live traffic (`llmfin proxy`); --at 2026-11-25T23:59:59Z judges them as of the end of that day",
    );
    // On one day, the ledger's day says it all.
    expect(staleLedgerHint(record('2026-11-25T00:00:00.000Z', { openai: '2026-11-25T00:00:00.000Z', bedrock: '2026-11-25T00:00:00.000Z' }), NOW)).not.toContain('recorded to');
  });
});
