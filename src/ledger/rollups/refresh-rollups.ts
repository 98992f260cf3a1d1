/**
 * Brings `rollup_daily` up to date with `usage_entries`, incrementally, in one write
 * transaction: days marked dirty by deletions are recomputed from the rows that were
 * already rolled up, then rows appended since the watermark are added in id-ranged
 * chunks (bounded temp space whatever the backlog). A report calls this first, so an
 * import (or a proxy flush) is visible in the next report without a rebuild.
 */
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { LedgerDatabase } from '../ledger-schema.js';
import { ROLLUP_KEY_COLUMNS, ROLLUP_WATERMARK_KEY as WATERMARK_KEY } from '../ledger-schema.js';
import type { LedgerStore } from '../ledger-store.js';
import { FACT_SUM_NAMES, FACT_SUM_SQL } from '../queries/usage-facts.js';

/** Rows aggregated per statement while rolling forward: keeps SQLite's sort in memory. */
const CHUNK_IDS = 500_000;

export interface RefreshResult {
  /** Ledger rows added to the rollup. */
  rolledForward: number;
  /** Days recomputed because rows of theirs were deleted. */
  recomputedDays: number;
}

const keyList = sql.raw(ROLLUP_KEY_COLUMNS.map((c) => `"${c}"`).join(', '));
const keySelect = sql.raw(ROLLUP_KEY_COLUMNS.map((c) => `coalesce("${c}", '')`).join(', '));
const groupList = sql.raw(Array.from({ length: 3 + ROLLUP_KEY_COLUMNS.length }, (_, i) => String(i + 1)).join(', '));
// The rollup holds a fact's sums (usage-facts.ts), one column each.
const SUMS = FACT_SUM_NAMES.map((n) => FACT_SUM_SQL[n]).join(', ');
const SUM_COLUMNS = FACT_SUM_NAMES;

/** INSERT … SELECT of `usage_entries` rows matching `where`, adding into existing rollup rows. */
function rollInto(trx: Kysely<LedgerDatabase>, where: RawBuilder<unknown>) {
  const add = sql.raw(SUM_COLUMNS.map((c) => `"${c}" = "${c}" + excluded."${c}"`).join(', '));
  return sql`insert into rollup_daily (day, provenance, charge_category, ${keyList}, ${sql.raw(SUM_COLUMNS.map((c) => `"${c}"`).join(', '))})
    select substr(ts, 1, 10), provenance, charge_category, ${keySelect}, ${sql.raw(SUMS)}
    from usage_entries where ${where} group by ${groupList}
    on conflict (day, provenance, charge_category, ${keyList}) do update set ${add}`.execute(trx);
}

export async function refreshRollups(ledger: LedgerStore): Promise<RefreshResult> {
  return ledger.db.transaction().execute(async (trx) => {
    // A write first, so the transaction holds the write lock from the start (waiting out
    // another writer) instead of failing to upgrade from a read later.
    await sql`insert into meta (key, value) values (${WATERMARK_KEY}, '0') on conflict (key) do nothing`.execute(trx);
    const mark = await trx.selectFrom('meta').select('value').where('key', '=', WATERMARK_KEY).executeTakeFirstOrThrow();
    const watermark = Number(mark.value);
    const top = await sql<{ top: number | null }>`select max(id) as top from usage_entries`.execute(trx);
    const newest = Number(top.rows[0]?.top ?? 0);

    const dirty = (await trx.selectFrom('rollup_dirty_days').select('day').execute()).map((r) => r.day);
    for (const day of dirty) {
      await trx.deleteFrom('rollup_daily').where('day', '=', day).execute();
      const next = new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
      await rollInto(trx, sql`ts >= ${`${day}T00:00:00.000Z`} and ts < ${next} and id <= ${watermark}`);
    }
    if (dirty.length > 0) await trx.deleteFrom('rollup_dirty_days').execute();

    for (let from = watermark; from < newest; from += CHUNK_IDS) {
      await rollInto(trx, sql`id > ${from} and id <= ${Math.min(from + CHUNK_IDS, newest)}`);
    }
    if (newest !== watermark) {
      await trx.updateTable('meta').set({ value: String(newest) }).where('key', '=', WATERMARK_KEY).execute();
    }
    return { rolledForward: Math.max(0, newest - watermark), recomputedDays: dirty.length };
  });
}
