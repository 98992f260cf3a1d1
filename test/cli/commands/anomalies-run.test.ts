// A window with no usage (a stale ledger in a daily cron job) is said as such, with where the
// ledger's usage ends, rather than as "no anomalies".
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { unpricedLedger } from '../../helpers/unpriced-ledger.js';

describe('llmfin anomalies on a window with no usage', () => {
  let db: string;
  beforeAll(async () => {
    // Usage from 2026-10-01 to 2026-10-30.
    db = await unpricedLedger();
  });

  it('warns that there was nothing to judge and names the last day of usage, in JSON too', async () => {
    const r = await runCli(['anomalies', '--db', db, '--since', '2026-11-05', '--fail-on-anomaly', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ entities: 0, traces: 0, rows: [] });
    expect(r.stderr).toContain("no spend in this period: nothing to judge; the ledger's last usage is on 2026-10-30, before --since 2026-11-05 — widen --since");
  });

  it('says on stderr how many series are too young to judge, in JSON too', async () => {
    const r = await runCli(['anomalies', '--db', db, '--by', 'team', '--since', '2026-10-20', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ entities: 1, rows: [] });
    expect(r.stderr).toContain('1 of 1 team series has 14 days of history or fewer');
  });

  it('with an empty --by watches the total, and says so rather than "by  ·"', async () => {
    const r = await runCli(['anomalies', '--db', db, '--by', '', '--since', '2026-10-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Anomalies of the total · 2026-10-01 to 2026-10-30 · /);
    expect(r.stderr).toContain('no anomalies in 1 total series and 0 traces');
  });

  it('says "no anomalies" only when there was something to judge', async () => {
    const r = await runCli(['anomalies', '--db', db, '--by', 'team', '--since', '2026-10-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('no anomalies in 1 team series and 0 traces');
    expect(r.stderr).not.toContain('nothing to judge');
  });
});
