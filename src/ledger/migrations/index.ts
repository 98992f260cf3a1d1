/**
 * Every ledger migration, in order. A static map rather than a directory scan so that
 * it works the same from src/ under vitest and from dist/ after `tsc`. To change the
 * schema, add a `<yyyy_mm_dd_hhmm>_<name>.ts` file and one line here; never edit a
 * released migration.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as initialLedger from './2026_11_23_0200_initial_ledger.js';
import * as estimatesAndChargeCategory from './2026_11_23_0300_estimates_and_charge_category.js';
import * as rollups from './2026_11_30_0200_rollups.js';
import * as leanerEntryIndexes from './2026_11_30_0300_leaner_entry_indexes.js';
import * as proxyColumns from './2026_11_30_0400_proxy_columns.js';
import * as routeFeedback from './2026_11_30_0600_route_feedback.js';
import * as rollupDirtyOnUpdate from './2026_11_30_0700_rollup_dirty_on_update.js';
import * as focusKeysByDay from './2026_12_01_0300_focus_keys_by_day.js';
import * as webSearchRequests from './2026_12_02_0200_web_search_requests.js';
import * as rollupCountedCost from './2026_12_02_0400_rollup_counted_cost.js';
import * as rollupTokenedCost from './2026_12_02_0500_rollup_tokened_cost.js';
import * as rollupUnpricedCounts from './2026_12_02_0600_rollup_unpriced_counts.js';
import * as batchInvoicesReplaced from './2026_12_02_0700_batch_invoices_replaced.js';
import * as invoiceProviderIds from './2026_12_02_0800_invoice_provider_ids.js';
import * as cloudInvoiceProviders from './2026_12_04_0300_cloud_invoice_providers.js';
import * as rollupMatchedModel from './2026_12_03_0200_rollup_matched_model.js';
import * as rollupFailedAttempts from './2026_12_04_0200_rollup_failed_attempts.js';

/** Migration name → migration; names sort in the order they must run. */
export const LEDGER_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026_11_23_0200_initial_ledger': initialLedger,
  '2026_11_23_0300_estimates_and_charge_category': estimatesAndChargeCategory,
  '2026_11_30_0200_rollups': rollups,
  '2026_11_30_0300_leaner_entry_indexes': leanerEntryIndexes,
  '2026_11_30_0400_proxy_columns': proxyColumns,
  '2026_11_30_0600_route_feedback': routeFeedback,
  '2026_11_30_0700_rollup_dirty_on_update': rollupDirtyOnUpdate,
  '2026_12_01_0300_focus_keys_by_day': focusKeysByDay,
  '2026_12_02_0200_web_search_requests': webSearchRequests,
  '2026_12_02_0400_rollup_counted_cost': rollupCountedCost,
  '2026_12_02_0500_rollup_tokened_cost': rollupTokenedCost,
  '2026_12_02_0600_rollup_unpriced_counts': rollupUnpricedCounts,
  '2026_12_02_0700_batch_invoices_replaced': batchInvoicesReplaced,
  '2026_12_02_0800_invoice_provider_ids': invoiceProviderIds,
  '2026_12_03_0200_rollup_matched_model': rollupMatchedModel,
  '2026_12_04_0200_rollup_failed_attempts': rollupFailedAttempts,
  '2026_12_04_0300_cloud_invoice_providers': cloudInvoiceProviders,
};

/** The ledger schema version this llmfin writes: the number of migrations it knows. */
export const LEDGER_SCHEMA_VERSION = Object.keys(LEDGER_MIGRATIONS).length;

/** Kysely's migration bookkeeping tables, named so that an llmfin ledger is recognisable. */
export const MIGRATION_TABLE = 'llmfin_migration';
export const MIGRATION_LOCK_TABLE = 'llmfin_migration_lock';

/** Hands the static map to Kysely's `Migrator`. */
export const ledgerMigrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...LEDGER_MIGRATIONS }),
};
