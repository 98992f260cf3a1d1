// anomalies on a ledger too young to judge: it says so instead of a bare "no anomalies".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('anomalies on three days of history', () => {
  const dir = tempDir();
  const db = join(dir, 'young.db');
  beforeAll(async () => {
    // Three days of two features; the third day of chat is ten times the first two.
    const lines = ['01', '02', '03'].flatMap((day) =>
      [['chat', day === '03' ? '100.00' : '10.00'], ['search', '5.00']].map(([feature, cost]) =>
        JSON.stringify({ id: `${feature}-${day}`, ts: `2026-10-${day}T00:00:00Z`, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: cost, requests: 10, feature }),
      ),
    );
    writeFileSync(join(dir, 'bill.jsonl'), lines.join('\n') + '\n');
    const r = await runCli(['import', '--db', db, join(dir, 'bill.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('warns that no day of a series this short has been judged yet', async () => {
    const r = await runCli(['anomalies', '--db', db, '--since', '2026-10-01', '--fail-on-anomaly']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("warning: 2 of 2 feature series have 14 days of history or fewer: spikes and level shifts are judged from a series' day 15");
    expect(r.stderr).toContain('no anomalies in 2 feature series and 0 traces');
  });

  it('refuses a time bucket in --where, naming the option', async () => {
    const r = await runCli(['anomalies', '--db', db, '--since', '2026-10-01', '--where', 'day=2026-10-03']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--where: expected a dimension, not a time bucket (day)');
  });
});
