// A forecast window with no spend says where the ledger's usage is.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { unpricedLedger } from '../../helpers/unpriced-ledger.js';

describe('llmfin forecast on a window with no spend', () => {
  let db: string;
  beforeAll(async () => {
    // Usage from 2026-10-01 to 2026-10-30.
    db = await unpricedLedger();
  });

  it('names the last day of usage and the option to change', async () => {
    const r = await runCli(['forecast', '--db', db, '--since', '2026-11-05', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).notes).toEqual(["no spend in this period: nothing to forecast; the ledger's last usage is on 2026-10-30, before --since 2026-11-05 — widen --since"]);
  });
});
