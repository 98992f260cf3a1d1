/** Reads where the ledger's usage stops, overall and for each provider (recorded-until.ts). */
import type { LedgerStore } from '../ledger/ledger-store.js';
import { latestUsageAt, latestUsageByProvider } from '../ledger/queries/latest-usage.js';
import { STOPPED_AFTER_MS, type LedgerRecord } from './recorded-until.js';

/**
 * The ledger's latest usage and each provider's. Providers whose latest usage is more than
 * STOPPED_AFTER_MS before the ledger's are not read: they stopped, and stop where the ledger does.
 */
export async function ledgerRecord(ledger: LedgerStore): Promise<LedgerRecord> {
  const latest = await latestUsageAt(ledger);
  if (latest === null) return { latest, byProvider: new Map() };
  return { latest, byProvider: await latestUsageByProvider(ledger, new Date(Date.parse(latest) - STOPPED_AFTER_MS).toISOString()) };
}
