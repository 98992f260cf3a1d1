/**
 * Where the ledger lives when nothing says otherwise: the user's data directory, by
 * each platform's convention. A pure function of (platform, env, home) so that tests
 * can ask for every platform on any machine, and no dependency is needed.
 */
import { posix, win32 } from 'node:path';

/**
 * The default ledger file:
 * - Linux and other Unixes: `$XDG_DATA_HOME/llmfin/ledger.db`, else `~/.local/share/llmfin/ledger.db`
 * - macOS: `~/Library/Application Support/llmfin/ledger.db`
 * - Windows: `%LOCALAPPDATA%\llmfin\ledger.db`, else `~\AppData\Local\llmfin\ledger.db`
 */
export function defaultLedgerPath(
  platform: NodeJS.Platform | string,
  env: Readonly<Record<string, string | undefined>>,
  homedir: string,
): string {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA || win32.join(homedir, 'AppData', 'Local');
    return win32.join(local, 'llmfin', 'ledger.db');
  }
  if (platform === 'darwin') return posix.join(homedir, 'Library', 'Application Support', 'llmfin', 'ledger.db');
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const dataHome = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(homedir, '.local', 'share');
  return posix.join(dataHome, 'llmfin', 'ledger.db');
}
