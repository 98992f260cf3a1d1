// Proxy keys are read from the environment once; a value without the llmfin-sk- prefix
// works, but is said to be unsafe: only the prefix keeps a proxy that does not know the
// key from passing it upstream as the caller's own.
import { describe, expect, it } from 'vitest';
import { buildProxyKeyTable } from '../../../src/proxy/request/proxy-keys.js';

describe('buildProxyKeyTable', () => {
  it('warns about a key value without the llmfin-sk- prefix, never showing the value', () => {
    const { table, warnings } = buildProxyKeyTable(
      [
        { key_env: 'LLMFIN_KEY_APP', name: 'app', tags: {} },
        { key_env: 'LLMFIN_KEY_OPS', tags: {} },
        { key_env: 'LLMFIN_KEY_OFF', tags: {} },
      ],
      { LLMFIN_KEY_APP: 'llmfin-sk-app-0001', LLMFIN_KEY_OPS: 'ops-secret-0002' },
    );
    expect(warnings).toEqual([
      "proxy key LLMFIN_KEY_OPS: the value of LLMFIN_KEY_OPS does not start with llmfin-sk-, so a proxy where it is not configured (or not set) passes it upstream as the caller's own key; use an llmfin-sk-… value",
      'proxy key LLMFIN_KEY_OFF: LLMFIN_KEY_OFF is not set, so the key is disabled',
    ]);
    expect(warnings.join('\n')).not.toContain('ops-secret-0002');
    expect(table.size).toBe(2);
    expect(table.lookup('ops-secret-0002')).toEqual({ name: 'LLMFIN_KEY_OPS', tags: {} });
  });
});
