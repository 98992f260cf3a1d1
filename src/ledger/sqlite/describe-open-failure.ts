/**
 * Turns what the file system and SQLite say when a ledger will not open into a
 * `LedgerOpenError` that a user can act on. SQLite's own words ("unable to open
 * database file") do not say which part of the path is wrong, so we look.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LlmfinError } from '../../shared/errors.js';
import { LedgerOpenError } from '../ledger-errors.js';

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function kindOf(path: string): 'file' | 'directory' | 'other' | 'missing' {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/** The nearest existing ancestor of `path` when it is not a directory. */
function blockingAncestor(path: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const kind = kindOf(dir);
    if (kind === 'missing') {
      if (dirname(dir) === dir) return undefined;
      continue;
    }
    return kind === 'directory' ? undefined : dir;
  }
}

/** Why the path cannot be opened, judged from the file system alone (before SQLite tries). */
export function describePathProblem(path: string): string | undefined {
  const blocker = blockingAncestor(path);
  if (blocker !== undefined) return `its parent ${blocker} is not a directory`;
  const kind = kindOf(path);
  if (kind === 'directory') return 'it is a directory, not a ledger file';
  if (kind === 'other') return 'it is not a regular file';
  return undefined;
}

/** Maps an error from mkdir, better-sqlite3 or a first query to a `LedgerOpenError`; others pass through. */
export function describeOpenFailure(path: string, error: unknown): unknown {
  if (error instanceof LlmfinError) return error;
  const code = codeOf(error);
  const reason = (text: string, hint?: string) =>
    new LedgerOpenError(path, text, { cause: error, ...(hint === undefined ? {} : { hint }) });
  if (code === 'ENOTDIR' || code === 'EEXIST') return reason(describePathProblem(path) ?? 'a part of the path is not a directory');
  if (code === 'EACCES' || code === 'EPERM') return reason('permission denied');
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) return reason('the file or its directory is read-only');
  if (code === 'SQLITE_NOTADB') return reason('not a SQLite database (is this the right file?)');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return reason('the ledger is locked by another process', 'try again when the other llmfin command finishes');
  }
  if (code.startsWith('SQLITE_CORRUPT')) return reason('the file is damaged (SQLite reports a malformed database)');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return reason('the disk is full');
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    return reason(describePathProblem(path) ?? 'the file cannot be opened (check that its directory exists and is writable)');
  }
  return error;
}
