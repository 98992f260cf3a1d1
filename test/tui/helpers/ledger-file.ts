// A ledger file made for each test in a temporary folder, opened read-only as `top` opens it,
// and closed and removed after the test.
import { afterEach, beforeEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger } from '../../../src/ledger/index.js';
import type { LedgerStore } from '../../../src/ledger/ledger-store.js';

export interface LedgerFile {
  /** The ledger's path (migrated, empty) in this test's folder. */
  readonly path: string;
  /** Opens it read-only, as `top` does; closed after the test. */
  openReadOnly(): Promise<LedgerStore>;
}

/** Registers the file's making and removal around each test of the calling file. */
export function ledgerFileEachTest(prefix: string): LedgerFile {
  let dir = '';
  let path = '';
  let opened: LedgerStore | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    path = join(dir, 'ledger.db');
    await (await openLedger(path)).close();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get path() {
      return path;
    },
    async openReadOnly() {
      opened = await openLedger(path, { readonly: true, create: false });
      return opened;
    },
  };
}
