// Rows with no price are not spend the scan can judge: it says how many there are.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { unpricedLedger } from '../helpers/unpriced-ledger.js';

describe('anomalies over a period with unpriced rows', () => {
  let db: string;
  beforeAll(async () => {
    db = await unpricedLedger();
  });

  it('judges the priced series and warns about the 30 unpriced rows, in JSON too', async () => {
    const r = await runCli(['anomalies', '--db', db, '--by', 'team', '--since', '2026-10-01', '--until', '2026-10-31', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ entities: 1, rows: [], total_excess_usd: 0, unpriced_rows: 30 });
    expect(r.stderr).toContain('30 ledger rows have no price: their cost is unknown, so their spend is not judged');
  });
});
