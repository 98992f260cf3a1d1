// The monthly spend insights rank against leaves out rows with no price, and says so.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { unpricedLedger } from '../helpers/unpriced-ledger.js';

describe('insights over a period with unpriced rows', () => {
  let db: string;
  beforeAll(async () => {
    db = await unpricedLedger();
  });

  it('counts the priced $300.00 a month and warns about the 30 unpriced rows', async () => {
    const r = await runCli(['insights', '--db', db, '--since', '2026-10-01', '--until', '2026-10-31', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // Team a's $10.00 × 30 days over a 30-day window: $300.00 a month.
    expect(j.monthly_spend_usd).toBe(300);
    expect(j.unpriced_rows).toBe(30);
    expect(r.stderr).toContain('30 ledger rows have no price: their cost is unknown, so it is in neither the monthly spend nor any saving');
  });
});
