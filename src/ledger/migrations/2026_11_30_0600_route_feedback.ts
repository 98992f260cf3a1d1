/**
 * Ledger schema: `route_feedback`, explicit outcomes of routed requests (`llmfin route
 * feedback --request-id ID --outcome good|bad|escalated`). Routing's cohort priors learn
 * from them (routing/learn-priors.ts). A small table of its own rather than a column on
 * usage_entries: feedback arrives after the row, often from another process, and a
 * request may be rated more than once (the latest wins).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('route_feedback')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('route_feedback_request').on('route_feedback').columns(['request_id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('route_feedback').ifExists().execute();
}
