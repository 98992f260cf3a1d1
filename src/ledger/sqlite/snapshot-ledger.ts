/**
 * A copy of a ledger file as it is, without opening it for writing: no migration, no WAL
 * switch, nothing written to the original. A dry run works on the copy, so that it can
 * import for real (and upgrade the copy's schema) while the user's ledger keeps every
 * byte, including an older schema an older llmfin still reads.
 */
import Database from 'better-sqlite3';
import { describeOpenFailure } from './describe-open-failure.js';
import { inspectLedger } from './inspect-ledger.js';

/**
 * Writes a consistent copy of the ledger at `path` (WAL included, its id sequences kept)
 * to `into`, and says whether the ledger needs an upgrade to this llmfin's schema. A file
 * that is no ledger, or a newer llmfin's, is refused as opening it would be.
 */
export function snapshotLedger(path: string, into: string): { needsUpgrade: boolean } {
  let raw: Database.Database | undefined;
  try {
    raw = new Database(path, { readonly: true, fileMustExist: true });
    const { pending } = inspectLedger(raw, path);
    raw.prepare('vacuum into ?').run(into);
    return { needsUpgrade: pending.length > 0 };
  } catch (error) {
    throw describeOpenFailure(path, error);
  } finally {
    raw?.close();
  }
}

/** Whether the ledger at `path` has migrations to run before this llmfin can use it (reads only). */
export function ledgerNeedsUpgrade(path: string): boolean {
  let raw: Database.Database | undefined;
  try {
    raw = new Database(path, { readonly: true, fileMustExist: true });
    return inspectLedger(raw, path).pending.length > 0;
  } catch (error) {
    throw describeOpenFailure(path, error);
  } finally {
    raw?.close();
  }
}
