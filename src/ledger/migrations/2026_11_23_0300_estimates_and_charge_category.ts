/**
 * Ledger schema 2: billed rows keep llmfin's own estimate beside the provider's money
 * (`estimated_cost_usd`/`_ticks`, for reconciliation), and every row says what kind of
 * charge it is (`charge_category`: usage, tax, support, credit, fee, non_llm,
 * unclassified) so that billed totals still add up to the invoice while LLM spend
 * counts usage only.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('usage_entries').addColumn('estimated_cost_usd', 'text').execute();
  await db.schema.alterTable('usage_entries').addColumn('estimated_cost_ticks', 'integer').execute();
  await db.schema
    .alterTable('usage_entries')
    .addColumn('charge_category', 'text', (c) =>
      c
        .notNull()
        .defaultTo('usage')
        .check(sql`charge_category IN ('usage', 'tax', 'support', 'credit', 'fee', 'non_llm', 'unclassified')`),
    )
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const column of ['estimated_cost_usd', 'estimated_cost_ticks', 'charge_category']) {
    await db.schema.alterTable('usage_entries').dropColumn(column).execute();
  }
}
