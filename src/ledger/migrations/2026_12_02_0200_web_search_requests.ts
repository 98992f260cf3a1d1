/**
 * Ledger schema: `web_search_requests`, the server-side web searches a row's requests
 * ran (Anthropic's `server_tool_use.web_search_requests`, $10 per 1,000 on top of the
 * tokens). A count beside the token columns rather than a line of its own, so that the
 * row's cost, its re-pricing and its export stay one row's. Rows written before hold 0.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('usage_entries')
    .addColumn('web_search_requests', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('usage_entries').dropColumn('web_search_requests').execute();
}
