// A ledger as an older llmfin left it: the migrations from one on undone, newest first,
// and their records gone, so that opening it again runs them as an upgrade does. Tests of
// a migration's upgrade use it, rather than undoing by hand only the migrations that exist
// when they are written.
import { sql } from 'kysely';
import type { LedgerStore } from '../../src/ledger/index.js';
import { LEDGER_MIGRATIONS, LEDGER_SCHEMA_VERSION } from '../../src/ledger/migrations/index.js';

/** Undoes migration `first` and every later one (or only the later ones, with `after`). */
export async function rewindLedger(ledger: LedgerStore, at: { first: string } | { after: string }): Promise<void> {
  const names = Object.keys(LEDGER_MIGRATIONS)
    .filter((name) => ('first' in at ? name >= at.first : name > at.after))
    .reverse();
  for (const name of names) {
    await LEDGER_MIGRATIONS[name]!.down!(ledger.db);
    await sql`delete from llmfin_migration where name = ${name}`.execute(ledger.db);
  }
  await sql`update meta set value = ${String(LEDGER_SCHEMA_VERSION - names.length)} where key = 'schema_version'`.execute(ledger.db);
}
