/**
 * A BudgetGuard seeded with what each budget has already spent this period, read from
 * the ledger — so a restarted proxy enforces the same state it stopped with, and spend
 * imported from exports counts too.
 */
import { Attributor } from '../attribution/attributor.js';
import type { Config } from '../config/config-schema.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { BudgetGuard, type BudgetGuardOptions } from './budget-guard.js';
import { budgetSpends } from './budget-spend.js';

export async function loadBudgetGuard(ledger: LedgerStore, config: Config, options: Omit<BudgetGuardOptions, 'spent'> = {}): Promise<BudgetGuard> {
  const now = (options.now ?? (() => new Date()))();
  const attributor = new Attributor(config.attribution.rules);
  const spends = await budgetSpends(ledger, attributor, config.budgets, now);
  const spent = new Map(config.budgets.map((budget, i) => [budget.name, spends[i]!.spentTicks]));
  return new BudgetGuard(config.budgets, { ...options, spent, attributor });
}
