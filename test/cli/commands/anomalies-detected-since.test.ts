// `llmfin anomalies --detected-since` for a daily cron job: the whole history is still the
// baseline, but only alerts raised on or after the day are shown and fail the run, so an
// anomaly of last month does not fail every night's job for 90 days.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

interface Row {
  kind: string;
  since: string;
  detected: string;
  excess_usd: number;
}

describe('llmfin anomalies --detected-since', () => {
  const dir = tempDir();
  const db = join(dir, 'ledger.db');
  beforeAll(async () => {
    // chat: $10.00 a day from Sep 1 to Oct 15, with $100.00 on Oct 5 (a spike raised that day).
    const lines: string[] = [];
    for (let t = Date.parse('2026-09-01T00:00:00Z'); t <= Date.parse('2026-10-15T00:00:00Z'); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      lines.push(JSON.stringify({ id: `chat-${day}`, ts: `${day}T00:00:00Z`, granularity: 'day', provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: day === '2026-10-05' ? '100.00' : '10.00', requests: 100, feature: 'chat' }));
    }
    // A trace on Oct 12 calling the same thing five times: a loop raised at the 4th call (10:03).
    for (let i = 0; i < 5; i++) {
      lines.push(JSON.stringify({ id: `loop-${i}`, ts: `2026-10-12T10:0${i}:00Z`, provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 100, feature: 'chat', trace_id: 'run-7' }));
    }
    writeFileSync(join(dir, 'rows.jsonl'), `${lines.join('\n')}\n`);
    const r = await runCli(['import', '--db', db, join(dir, 'rows.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  const run = (...args: string[]) => runCli(['anomalies', '--db', db, '--since', '2026-09-01', '--until', '2026-10-16', ...args]);

  it('without it, every alert of the window, each with the day or instant it was raised', async () => {
    const r = await run('--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout) as { rows: Row[] }).rows;
    expect(rows.map((x) => [x.kind, x.since, x.detected])).toEqual([
      ['spike', '2026-10-05', '2026-10-05'],
      ['agent_loop', '2026-10-12T10:00:00.000Z', '2026-10-12T10:03:00.000Z'],
    ]);
  });

  it('keeps only what was raised on or after the day, and exits 1 only for that', async () => {
    const json = await run('--detected-since', '2026-10-06', '--format', 'json', '--fail-on-anomaly');
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { detected_since: string; rows: Row[]; total_excess_usd: number };
    expect(doc.detected_since).toBe('2026-10-06T00:00:00.000Z');
    expect(doc.rows.map((x) => x.kind)).toEqual(['agent_loop']);
    // The loop's excess: its calls from the 4th on, 2 × (1000 × $2.50 + 100 × $10) / 1M = $0.007, shown to the cent.
    expect(doc.total_excess_usd).toBe(0.01);
    // The day a spike was raised counts as a whole: a run later that day still sees it.
    const sameDay = await run('--detected-since', '2026-10-05T18:00:00Z', '--format', 'json');
    expect((JSON.parse(sameDay.stdout) as { rows: Row[] }).rows.map((x) => x.kind)).toEqual(['spike', 'agent_loop']);
    // A trace alert by its instant: after the 4th call, the loop is old news.
    const after = await run('--detected-since', '2026-10-12T10:04:00Z', '--fail-on-anomaly');
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toContain('no anomalies raised since 2026-10-12 in 1 feature series and 1 trace');
    expect(after.stderr).toContain('2 raised before 2026-10-12 left out (--detected-since)');
  });

  it('with --format json, still says on stderr how many it left out, the JSON on stdout whole', async () => {
    const r = await run('--detected-since', '2026-10-12T10:04:00Z', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { rows: Row[] }).rows).toEqual([]);
    expect(r.stderr).toContain('2 raised before 2026-10-12 left out (--detected-since)');
  });

  it('refuses a day after the window, when nothing can have been raised, rather than pass every run', async () => {
    const late = await run('--detected-since', '2026-10-16', '--fail-on-anomaly');
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('--detected-since: 2026-10-16 is not before the end of the window read (--until 2026-10-16), so nothing can have been raised since');
    const future = await runCli(['anomalies', '--db', db, '--since', '2026-09-01', '--detected-since', '2999-01-01', '--fail-on-anomaly']);
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('--detected-since: 2999-01-01 is not before the end of the window read (now), so nothing can have been raised since');
  });

  it('takes a relative day, and refuses what is not a time, naming the option', async () => {
    // Yesterday is after this window's --until: without it, the window runs to now.
    const relative = await runCli(['anomalies', '--db', db, '--since', '2026-09-01', '--detected-since', '1d', '--fail-on-anomaly']);
    expect(relative.code, relative.stderr).toBe(0);
    const bad = await run('--detected-since', 'yesterday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--detected-since: expected an ISO 8601 date or UTC time such as 2026-07-30 or 2026-07-30T12:00:00Z, or days / weeks before today such as 1d or 2w, got "yesterday"');
  });
});
