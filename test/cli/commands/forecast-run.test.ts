// A forecast window with no spend says where the ledger's usage is; today, not over yet, is
// left out of the history.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';
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

  it('with one layer (--basis) that holds none of the window, says the other layers have it, rather than "check --since/--until"', async () => {
    const r = await runCli(['forecast', '--db', db, '--basis', 'provider_usage', '--since', '2026-10-01', '--until', '2026-10-31', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).notes).toEqual(['no provider_usage spend in this period: the ledger has $300.00 here on other layers (the default basis) — drop --basis to count it']);
  });
});

describe('llmfin forecast while today is still running', () => {
  it('leaves today out of the history: 30 full days of $24.00 forecast $720.00, not pulled down by the hours so far', async () => {
    const dir = tempDir();
    // Billed rows of $1.00 an hour (a bill keeps its cost when re-priced), from 30 days
    // before today (UTC) to the current hour: today holds only the hours so far.
    const H = 3_600_000;
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const lines: string[] = [];
    for (let t = today - 30 * 86_400_000; t <= Math.floor(Date.now() / H) * H; t += H) {
      lines.push(JSON.stringify({ id: `h-${t}`, ts: new Date(t).toISOString(), provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '1.00', requests: 10, feature: 'live' }));
    }
    writeFileSync(join(dir, 'live.jsonl'), lines.join('\n') + '\n');
    const db = join(dir, 'live.db');
    expect((await runCli(['import', '--db', db, join(dir, 'live.jsonl')])).code).toBe(0);
    const r = await runCli(['forecast', '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    expect([j.history_since, j.history_until, j.forecast_since]).toEqual([day(today - 30 * 86_400_000), day(today - 86_400_000), day(today)]);
    // $1.00 × 24 hours = $24.00 a day, × 30 days = $720.00.
    expect(j.rows[0]).toMatchObject({ feature: 'live', history_days: 30, last_28d_cost_usd: 672, p50_cost_usd: 720 });
  });
});

describe('llmfin forecast on a ledger whose history stops days ago', () => {
  it('says the forecast starts the day after the history, not today', async () => {
    const dir = tempDir();
    const DAY = 86_400_000;
    const today = Math.floor(Date.now() / DAY) * DAY;
    // $1.00 a day for 30 days, the last 10 days before today.
    const lines = Array.from({ length: 30 }, (_, i) => {
      const ts = new Date(today - (40 - i) * DAY).toISOString();
      return JSON.stringify({ id: `s-${i}`, ts, provider: 'openai', model: 'gpt-4o', provenance: 'billed', cost_usd: '1.00', requests: 10, feature: 'f' });
    });
    writeFileSync(join(dir, 'stale.jsonl'), lines.join('\n') + '\n');
    const db = join(dir, 'stale.db');
    expect((await runCli(['import', '--db', db, join(dir, 'stale.jsonl')])).code).toBe(0);
    const r = await runCli(['forecast', '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const j = JSON.parse(r.stdout);
    expect(j.forecast_since).toBe(day(today - 10 * DAY));
    expect(j.notes).toContain(`the history ends on ${day(today - 11 * DAY)}, 10 days before today (${day(today)}): the forecast runs from ${day(today - 10 * DAY)}, not from today; import the days since (\`llmfin import\`) for a forecast from today`);
    // An --until that asks for that history says nothing.
    const asked = JSON.parse((await runCli(['forecast', '--db', db, '--until', day(today - 10 * DAY), '--format', 'json'])).stdout);
    expect(asked.notes.filter((n: string) => n.startsWith('the history ends'))).toEqual([]);
  });
});
