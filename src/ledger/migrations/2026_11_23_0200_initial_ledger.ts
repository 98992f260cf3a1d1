/**
 * Ledger schema 1: meta, import batches, usage entries (the fact table), invoices and
 * their lines. A migration is frozen once released: it spells out its own column
 * lists and CHECK values instead of importing ledger-schema.ts, which moves on.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Migrations run against whatever the schema was at their time, not today's types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const TOKEN_COLUMNS = [
  'input_tokens',
  'uncached_input_tokens',
  'cache_read_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'input_audio_tokens',
  'input_image_tokens',
  'output_tokens',
  'reasoning_tokens',
  'output_audio_tokens',
  'output_image_tokens',
] as const;

const DIMENSION_COLUMNS = [
  'team',
  'feature',
  'customer',
  'agent',
  'project',
  'environment',
  'api_key',
  'workspace',
  'user',
  'trace_id',
] as const;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('import_batches')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('file_hash', 'text')
    .addColumn('file_size', 'integer')
    .addColumn('account', 'text')
    .addColumn('period_start', 'text')
    .addColumn('period_end', 'text')
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_replaced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('complete'))
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('llmfin_version', 'text')
    .addColumn('catalogue_version', 'text')
    .execute();
  await db.schema.createIndex('import_batches_source_hash').on('import_batches').columns(['source', 'file_hash']).execute();

  let entries = db.schema
    .createTable('usage_entries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('batch_id', 'integer', (c) => c.references('import_batches.id').onDelete('cascade'))
    .addColumn('provenance', 'text', (c) => c.notNull().check(sql`provenance in ('billed', 'provider_usage', 'metered')`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('account', 'text')
    .addColumn('model', 'text')
    .addColumn('model_requested', 'text')
    .addColumn('matched_model', 'text')
    .addColumn('offering', 'text')
    .addColumn('ts', 'text', (c) => c.notNull())
    .addColumn('ts_end', 'text')
    .addColumn('granularity', 'text', (c) => c.notNull().defaultTo('request'))
    .addColumn('requests', 'integer', (c) => c.notNull().defaultTo(1));
  for (const column of TOKEN_COLUMNS) entries = entries.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
  entries = entries
    .addColumn('service_tier', 'text')
    .addColumn('region', 'text')
    .addColumn('raw_usage', 'text')
    .addColumn('cost_usd', 'text')
    .addColumn('cost_ticks', 'integer')
    .addColumn('cost_status', 'text', (c) => c.notNull().check(sql`cost_status in ('priced', 'billed', 'unpriced', 'estimated')`))
    .addColumn('reported_cost_usd', 'text')
    .addColumn('price_ref', 'text')
    .addColumn('catalogue_version', 'text')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('description', 'text');
  for (const column of DIMENSION_COLUMNS) entries = entries.addColumn(column, 'text');
  await entries
    .addColumn('tags', 'text')
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The dedupe identity: re-importing a file, or a proxy retrying a flush, changes nothing.
    .addUniqueConstraint('usage_entries_source_dedupe_key', ['source', 'dedupe_key'])
    .execute();
  await db.schema.createIndex('usage_entries_ts').on('usage_entries').column('ts').execute();
  await db.schema.createIndex('usage_entries_provider_ts').on('usage_entries').columns(['provider', 'ts']).execute();
  await db.schema.createIndex('usage_entries_batch_id').on('usage_entries').column('batch_id').execute();
  // The default report basis picks a layer per provider and period, then sums it.
  await db.schema
    .createIndex('usage_entries_provenance_provider_ts')
    .on('usage_entries')
    .columns(['provenance', 'provider', 'ts'])
    .execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('batch_id', 'integer', (c) => c.references('import_batches.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('account', 'text')
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text')
    .addColumn('period_start', 'text')
    .addColumn('period_end', 'text')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('subtotal_usd', 'text')
    .addColumn('credits_usd', 'text')
    .addColumn('tax_usd', 'text')
    .addColumn('total_usd', 'text', (c) => c.notNull())
    .addColumn('total_ticks', 'integer', (c) => c.notNull())
    .addUniqueConstraint('invoices_provider_number', ['provider', 'number'])
    .execute();
  await db.schema.createIndex('invoices_batch_id').on('invoices').column('batch_id').execute();

  await db.schema
    .createTable('invoice_lines')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('invoice_id', 'integer', (c) => c.notNull().references('invoices.id').onDelete('cascade'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('usage', 'credit', 'tax', 'fee', 'other')`))
    .addColumn('model', 'text')
    .addColumn('amount_usd', 'text', (c) => c.notNull())
    .addColumn('amount_ticks', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'text')
    .addColumn('unit', 'text')
    .addUniqueConstraint('invoice_lines_invoice_line_no', ['invoice_id', 'line_no'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['invoice_lines', 'invoices', 'usage_entries', 'import_batches', 'meta']) {
    await db.schema.dropTable(table).execute();
  }
}
