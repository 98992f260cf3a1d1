// A window with no usage (a stale ledger in a daily cron job) is said as such, with where the
// ledger's usage ends, rather than as "no anomalies".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';
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

  it('with one layer (--basis) that holds none of the window, says the other layers have it, rather than "check --since/--until"', async () => {
    const r = await runCli(['anomalies', '--db', db, '--basis', 'provider_usage', '--since', '2026-10-01']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('no provider_usage spend in this period: the ledger has $300.00 here on other layers (the default basis) — drop --basis to count it');
    expect(r.stderr).not.toContain('check --since/--until');
  });
});

describe('llmfin anomalies --basis billed on a ledger of metered traces', () => {
  it('says no series had billed spend even though the traces were judged, not only the trace alerts', async () => {
    // Trace t-1: three calls a day on 2026-10-01..10 at gpt-4o-mini, metered only.
    const dir = tempDir();
    const lines: string[] = [];
    for (let d = 1; d <= 10; d++) {
      for (let k = 0; k < 3; k++) {
        const ts = `2026-10-${String(d).padStart(2, '0')}T10:0${k}:00Z`;
        lines.push(JSON.stringify({ id: `m-${d}-${k}`, ts, provider: 'openai', model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 100, feature: 'f', trace_id: `t-${d}` }));
      }
    }
    writeFileSync(join(dir, 'usage.jsonl'), lines.join('\n') + '\n');
    const db = join(dir, 'ledger.db');
    expect((await runCli(['import', '--db', db, join(dir, 'usage.jsonl')])).code).toBe(0);
    const r = await runCli(['anomalies', '--db', db, '--basis', 'billed', '--since', '2026-10-01', '--until', '2026-10-11', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ entities: 0, traces: 10, rows: [] });
    // 30 calls × (1,000 × $0.15 + 100 × $0.60) / 1M = 30 × $0.00021 = $0.0063.
    expect(r.stderr).toContain('no billed spend in this period: the ledger has $0.0063 here on other layers (the default basis) — drop --basis to count it');
  });
});
