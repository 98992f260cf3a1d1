/**
 * A BudgetGuard seeded with what each budget has already spent this period, read from
 * the ledger — so a restarted proxy enforces the same state it stopped with, and spend
 * imported from exports counts too; the same read serves its `reseed` when an import
 * lands while the proxy runs, and its `reload` when SIGHUP brings new budgets.
 */
import { Attributor } from '../attribution/attributor.js';
import type { Config } from '../config/config-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { BudgetGuard, type BudgetGuardOptions, type BudgetReload } from './budget-guard.js';
import { lastEntryId } from '../ledger/queries/proxy-rows-after.js';
import { budgetSpends } from './budget-spend.js';

export async function loadBudgetGuard(ledger: LedgerStore, config: Config, options: Omit<BudgetGuardOptions, 'spent' | 'readLedger'> = {}): Promise<BudgetGuard> {
  const now = (options.now ?? (() => new Date()))();
  const { budgets, attributor, readLedger } = budgetReload(ledger, config);
  const { spent } = await readLedger(now);
  return new BudgetGuard(budgets, { ...options, spent, attributor, readLedger });
}

/** The budgets of `config` with its attribution rules and their ledger read: what a guard is built from, at start or on reload. */
export function budgetReload(ledger: LedgerStore, config: Config): BudgetReload & { attributor: Attributor } {
  const attributor = new Attributor(config.attribution.rules);
  const readLedger = async (at: Date) => {
    // The id first: a row landing during the read is then counted twice, never missed.
    const afterId = await lastEntryId(ledger);
    const spends = await budgetSpends(ledger, attributor, config.budgets, at);
    return { afterId, spent: new Map(config.budgets.map((budget, i) => [budget.name, spends[i]!.spentTicks])) };
  };
  return { budgets: config.budgets, attributor, readLedger };
}
