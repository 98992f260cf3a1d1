/** Where llmfin keeps per-user data besides the ledger: an updated price catalogue. */
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { defaultLedgerPath } from '../ledger/default-ledger-path.js';

export function userDataDir(env: Record<string, string | undefined>): string {
  return dirname(defaultLedgerPath(process.platform, env, homedir()));
}

/** `llmfin pricing update` writes here; the catalogue is read from here when present. */
export function userCatalogueDir(env: Record<string, string | undefined>): string {
  return join(userDataDir(env), 'pricing');
}
