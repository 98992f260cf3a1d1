import { describe, expect, it } from 'vitest';
import { defaultLedgerPath } from '../../src/ledger/default-ledger-path.js';

describe('defaultLedgerPath', () => {
  it('uses XDG_DATA_HOME on Linux when it is set and absolute', () => {
    expect(defaultLedgerPath('linux', { XDG_DATA_HOME: '/data/xdg' }, '/home/ada')).toBe('/data/xdg/llmfin/ledger.db');
  });

  it('falls back to ~/.local/share on Linux (unset, empty or relative XDG_DATA_HOME)', () => {
    for (const env of [{}, { XDG_DATA_HOME: '' }, { XDG_DATA_HOME: 'relative/dir' }]) {
      expect(defaultLedgerPath('linux', env, '/home/ada')).toBe('/home/ada/.local/share/llmfin/ledger.db');
    }
  });

  it('uses Application Support on macOS, whatever XDG says', () => {
    expect(defaultLedgerPath('darwin', { XDG_DATA_HOME: '/data/xdg' }, '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/llmfin/ledger.db',
    );
  });

  it('uses %LOCALAPPDATA% on Windows, else AppData\\Local under the home directory', () => {
    expect(defaultLedgerPath('win32', { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Local\\llmfin\\ledger.db',
    );
    expect(defaultLedgerPath('win32', {}, 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Local\\llmfin\\ledger.db');
  });

  it('treats other Unixes like Linux', () => {
    expect(defaultLedgerPath('freebsd', {}, '/home/ada')).toBe('/home/ada/.local/share/llmfin/ledger.db');
  });
});
