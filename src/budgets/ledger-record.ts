/** Reads where the ledger's usage stops, overall and for each provider (recorded-until.ts). */
import type { LedgerStore } from '../ledger/ledger-store.js';
import { isHourStamp, isWholeDayStamp, latestUsageByProvider, usageSpan } from '../ledger/queries/latest-usage.js';
import { STOPPED_AFTER_MS, type LedgerRecord } from './recorded-until.js';

/**
 * The ledger's first and latest usage, and each provider's latest, with which of those
 * latest rows are whole days (LedgerRecord.wholeDay) and which hour buckets (LedgerRecord.hourly). Providers whose latest usage is more
 * than STOPPED_AFTER_MS before the ledger's are not read: they stopped, and stop where the
 * ledger does.
 */
export async function ledgerRecord(ledger: LedgerStore): Promise<LedgerRecord> {
  const { first, last: latest } = await usageSpan(ledger);
  if (latest === null) return { latest, first, byProvider: new Map() };
  const byProvider = await latestUsageByProvider(ledger, new Date(Date.parse(latest) - STOPPED_AFTER_MS).toISOString());
  const providers = new Set<string>();
  const hourly = new Set<string>();
  for (const [provider, ts] of byProvider) {
    if (await isWholeDayStamp(ledger, ts, provider)) providers.add(provider);
    else if (await isHourStamp(ledger, ts, provider)) hourly.add(provider);
  }
  return { latest, first, byProvider, wholeDay: { latest: await isWholeDayStamp(ledger, latest), providers }, hourly: { latest: await isHourStamp(ledger, latest), providers: hourly } };
}
