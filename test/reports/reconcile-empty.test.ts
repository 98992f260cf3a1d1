// `reconcile --fail-over` over a period with nothing in it: nothing failed (exit 0, as
// PRODUCT.md's exit codes say), but a finance job pointed at the wrong month or ledger is
// told on stderr that nothing was judged, rather than passing in silence.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ledgerOf } from './rows-ledger.js';

const WARNING =
  'warning: --fail-over: nothing to reconcile in this period (no invoice, billed export or usage), so nothing was judged; import invoices, cost exports and usage exports first\n';

describe('reconcile --fail-over with nothing to compare', () => {
  it('warns on stderr and exits 0, in JSON and in the table', async () => {
    const db = await ledgerOf([{ id: 'b1', ts: '2026-10-05T00:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '10.00', requests: 0 }]);
    const json = await runCli(['reconcile', '--db', db, '--month', '2025-01', '--fail-over', '2', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ since: '2025-01-01T00:00:00.000Z', until: '2025-02-01T00:00:00.000Z', rows: [] });
    expect(json.stderr).toBe(WARNING);
    const table = await runCli(['reconcile', '--db', db, '--month', '2025-01', '--fail-over', '2%']);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe(WARNING);
  });

  it('says nothing more without --fail-over in JSON, and gives the usual hint in the table', async () => {
    const db = await ledgerOf([{ id: 'b1', ts: '2026-10-05T00:00:00Z', provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '10.00', requests: 0 }]);
    const json = await runCli(['reconcile', '--db', db, '--month', '2025-01', '--format', 'json']);
    expect([json.code, json.stderr]).toEqual([0, '']);
    const table = await runCli(['reconcile', '--db', db, '--month', '2025-01']);
    expect([table.code, table.stderr]).toEqual([0, 'nothing to reconcile in this period: import invoices, cost exports and usage exports first\n']);
    // No table to show is no output at all, not an empty line.
    expect(table.stdout).toBe('');
  });
});
