// A ledger with every kind of row the importers make, for the export tests: the demo's
// metered month plus every importer fixture (billed cost exports, FOCUS, CUR, Azure, GCP,
// provider usage, OpenTelemetry, LiteLLM, coding-agent logs): token classes, service
// tiers, regions, tags, trace ids, unpriced rows, taxes and credits.
import { join } from 'node:path';
import { IMPORTERS } from '../../src/importers/registry.js';
import type { LedgerStore, UsageEntry } from '../../src/ledger/index.js';
import { freshLedger, importInto } from '../helpers/import.js';

/** A fixed list, so that fixtures other work adds cannot change what these tests check. */
const FILES = [
  'fixtures/demo/metered-2026-10.jsonl',
  'anthropic-cost/cost-report-2026-10.json',
  'anthropic-usage/usage-report-2026-10.json',
  'aws-cur/cur-legacy-2026-10.csv',
  'aws-cur/cur2-2026-10.csv',
  'azure-cost/ea-actual-2026-10.csv',
  'azure-cost/mca-actual-2026-10.csv',
  'claude-code/claude-session.jsonl',
  'claude-code/codex-rollout.jsonl',
  'focus/focus-1.0-sample-excerpt.csv',
  'focus/focus-1.2-ai-2026-10.csv',
  'focus/saas_spend_agreements_a1.csv',
  'focus/virtual_currency_pricing_model_c.csv',
  'gcp-billing/billing-export-2026-10.csv',
  'gcp-billing/billing-export-2026-10.jsonl',
  'invoice/openai-enterprise-2026-10.yaml',
  'litellm/spend-logs-2026-10-05.jsonl',
  'litellm/spend-logs-2026-10.csv',
  'openai-costs/costs-2026-10.json',
  'openai-usage/usage-2026-10-by-model.jsonl',
  'otel/genai-traces-2026-10-04.jsonl',
  'otel/genai-traces-2026-10.json',
];

export function fixtureFiles(): string[] {
  return FILES.map((f) => (f.startsWith('fixtures/') ? f : join('test/fixtures/importers', f)));
}

export async function fullLedger(): Promise<LedgerStore> {
  const ledger = await freshLedger();
  for (const file of fixtureFiles()) await importInto(ledger, IMPORTERS, file);
  return ledger;
}

/** Every row without the ledger-local columns, in a stable order, for comparing ledgers. */
export async function comparableRows(ledger: LedgerStore): Promise<Omit<UsageEntry, 'id' | 'batch_id' | 'created_at'>[]> {
  const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('source').orderBy('dedupe_key').execute();
  return rows.map(({ id: _id, batch_id: _batch, created_at: _created, ...rest }) => rest);
}
