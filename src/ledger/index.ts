/**
 * The ledger's public surface: open a store, the row types, and the query helpers.
 * Callers import from here; the SQLite specifics stay in ./sqlite.
 */
export type { LedgerStore, OpenLedgerOptions } from './ledger-store.js';
export { openLedger } from './sqlite/open-sqlite-ledger.js';
export { ledgerNeedsUpgrade, snapshotLedger } from './sqlite/snapshot-ledger.js';
export { defaultLedgerPath } from './default-ledger-path.js';
export { LedgerOpenError, LedgerVersionError, UnknownDimensionError } from './ledger-errors.js';
export {
  COST_STATUSES,
  DIMENSIONS,
  DIMENSION_COLUMNS,
  GRANULARITIES,
  INVOICE_LINE_KINDS,
  PROVENANCES,
  isDimensionName,
} from './ledger-schema.js';
export type {
  CostStatus,
  DimensionName,
  Granularity,
  ImportBatch,
  Invoice,
  InvoiceLine,
  InvoiceLineKind,
  LedgerDatabase,
  NewImportBatch,
  NewInvoice,
  NewInvoiceLine,
  NewUsageEntry,
  Provenance,
  UsageEntry,
} from './ledger-schema.js';
export { LEDGER_SCHEMA_VERSION } from './migrations/index.js';
export { recordImport } from './queries/insert-batch.js';
export type { NewBatch, RecordImportResult, ReplaceSlice } from './queries/insert-batch.js';
export { findBatchByHash } from './queries/find-batch-by-hash.js';
export { insertInvoice } from './queries/insert-invoice.js';
export type { InsertInvoiceResult, InvoiceInput, InvoiceLineInput } from './queries/insert-invoice.js';
export { UNATTRIBUTED, ledgerTotals, spendBy } from './queries/spend-summary.js';
export type { LedgerTotals, SpendMetrics, SpendQuery, SpendRow } from './queries/spend-summary.js';
