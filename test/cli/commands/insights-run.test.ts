// llmfin insights reads up to the ledger's last day of usage; a --since after that day is an
// empty, inverted window and is refused rather than reported as "$0.00 a month".
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempDir } from '../../helpers/cli.js';
import { unpricedLedger } from '../../helpers/unpriced-ledger.js';

describe('llmfin insights --since after the ledger ends', () => {
  let db: string;
  beforeAll(async () => {
    // Usage from 2026-10-01 to 2026-10-30.
    db = await unpricedLedger();
  });

  it('exits 2 naming --since and the last day of usage', async () => {
    const r = await runCli(['insights', '--db', db, '--since', '2026-11-05']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("--since: expected a day before the end of the usage to read (2026-10-31, exclusive: the ledger's last usage is on 2026-10-30), got 2026-11-05");
    expect(r.stderr).toContain('--since 2026-10-01');
  });

  it('still reads a --since on the last day of usage: one day, $10.00 a day × 30 = $300.00 a month', async () => {
    const r = await runCli(['insights', '--db', db, '--since', '2026-10-30', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ since: '2026-10-30T00:00:00.000Z', until: '2026-10-31T00:00:00.000Z', monthly_spend_usd: 300 });
  });

  it('scales a month from the days the ledger covers, not from a --since before it began', async () => {
    const r = await runCli(['insights', '--db', db, '--since', '2026-09-01', '--until', '2026-10-31', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    // $10.00 a day over the 30 days from 2026-10-01 (the first usage) is $300.00 a month, not
    // $300.00 spread over the 60 days from 2026-09-01 ($150.00).
    expect(JSON.parse(r.stdout)).toMatchObject({ since: '2026-10-01T00:00:00.000Z', until: '2026-10-31T00:00:00.000Z', monthly_spend_usd: 300 });
  });
});

describe('llmfin insights over a window with no usage', () => {
  let db: string;
  beforeAll(async () => {
    // Usage from 2026-10-01 to 2026-10-30.
    db = await unpricedLedger();
  });

  it('says the window before the ledger begins holds no usage, and where the usage is', async () => {
    const r = await runCli(['insights', '--db', db, '--until', '2026-09-01', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ since: '2026-08-02T00:00:00.000Z', until: '2026-09-01T00:00:00.000Z', monthly_spend_usd: 0, rows: [] });
    expect(r.stderr).toContain("warning: no usage from 2026-08-02 to 2026-09-01 (exclusive): nothing to judge; the ledger's usage runs from 2026-10-01 to 2026-10-30 — check --since/--until");
  });

  it('says an empty ledger has no usage yet rather than "nothing to save"', async () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.db');
    expect((await runCli(['init', '--db', empty], { cwd: dir })).code).toBe(0);
    const r = await runCli(['insights', '--db', empty]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('no usage in this period: nothing to judge; the ledger has no usage yet — import some files (`llmfin import`)');
    expect(r.stderr).not.toContain('nothing to save');
  });
});

describe('llmfin insights on billed spend with no token counts', () => {
  it('says how much of the month no model finder could weigh', async () => {
    // Team a's bill: $10.00 a day for 30 days with no tokens, $300.00 a month, all of the priced spend.
    const db = await unpricedLedger();
    const r = await runCli(['insights', '--db', db, '--since', '2026-10-01', '--until', '2026-10-31', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ monthly_spend_usd: 300 });
    expect(r.stderr).toContain('warning: $300.00 a month (100% of the spend) has no token counts (billed exports, invoices): the model, caching and batch findings cannot weigh it');
  });
});

describe('llmfin insights over a window that starts within a day', () => {
  it('scales the month from the hours it covers: $1.00 an hour for 6 hours is $720.00 a month, not $180.00', async () => {
    const dir = tempDir();
    const db = join(dir, 'hourly.db');
    // A bill of $1.00 an hour, every hour of 2026-10-30.
    const rows = Array.from({ length: 24 }, (_, h) =>
      JSON.stringify({ id: `h${h}`, ts: `2026-10-30T${String(h).padStart(2, '0')}:00:00Z`, provider: 'openai', model: 'gpt-4.1', provenance: 'billed', cost_usd: 1, granularity: 'hour' }),
    );
    writeFileSync(join(dir, 'bill.jsonl'), `${rows.join('\n')}\n`);
    expect((await runCli(['import', join(dir, 'bill.jsonl'), '--db', db])).code).toBe(0);

    const six = await runCli(['insights', '--db', db, '--since', '2026-10-30T18:00:00Z', '--format', 'json']);
    expect(six.code, six.stderr).toBe(0);
    // $6.00 over a quarter of a day: × 30 / 0.25.
    expect(JSON.parse(six.stdout)).toMatchObject({ since: '2026-10-30T18:00:00.000Z', until: '2026-10-31T00:00:00.000Z', monthly_spend_usd: 720 });

    const half = await runCli(['insights', '--db', db, '--since', '2026-10-30T12:00:00Z', '--until', '2026-10-30T21:00:00Z', '--format', 'json']);
    // $9.00 over 9 hours: × 30 / 0.375.
    expect(JSON.parse(half.stdout)).toMatchObject({ monthly_spend_usd: 720 });

    // The title says where the window starts and ends within the day, as `llmfin report` does.
    const table = await runCli(['insights', '--db', db, '--since', '2026-10-30T18:00:00Z']);
    expect(table.stdout).toContain('Insights · 2026-10-30 18:00 UTC to 2026-10-31 (exclusive) · spend $720.00 a month');
  });
});

describe('llmfin insights --top', () => {
  it('keeps the N most important in JSON and CSV as in the table; the savings total still counts them all', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    // Three offline features on three models, 2026-10-01 to 10: a batch and a model insight each.
    const lines: string[] = [];
    for (const [feature, provider, model] of [['nightly-report', 'openai', 'gpt-4o'], ['email-digest', 'anthropic', 'claude-sonnet-4-5'], ['index-backfill', 'openai', 'gpt-4.1']] as const) {
      for (let d = 1; d <= 10; d++) {
        lines.push(JSON.stringify({ id: `${feature}-${d}`, ts: `2026-10-${String(d).padStart(2, '0')}T00:00:00Z`, granularity: 'day', provider, model, requests: 400, input_tokens: 1_000_000, output_tokens: 100_000, feature }));
      }
    }
    writeFileSync(join(dir, 'usage.jsonl'), `${lines.join('\n')}\n`);
    expect((await runCli(['import', '--db', db, join(dir, 'usage.jsonl')])).code).toBe(0);
    const window = ['--since', '2026-10-01', '--until', '2026-10-11'];

    const all = JSON.parse((await runCli(['insights', '--db', db, ...window, '--format', 'json'])).stdout) as { savings_usd_per_month: number; rows: Array<{ title: string }> };
    expect(all.rows.length).toBeGreaterThan(2);
    const two = JSON.parse((await runCli(['insights', '--db', db, ...window, '--top', '2', '--format', 'json'])).stdout) as typeof all;
    expect(two.rows).toEqual(all.rows.slice(0, 2));
    expect(two.savings_usd_per_month).toBe(all.savings_usd_per_month);

    const csv = (await runCli(['insights', '--db', db, ...window, '--top', '2', '--format', 'csv'])).stdout.trim().split('\n');
    expect(csv).toHaveLength(3);
  });
});

describe('llmfin insights on a ledger whose usage runs to now', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('scales the month from the hours that have passed, not from the whole of today', async () => {
    const dir = tempDir();
    const db = join(dir, 'today.db');
    // $1.00 an hour from midnight; it is 06:00, so the ledger has 6 hours of usage.
    const rows = Array.from({ length: 6 }, (_, h) =>
      JSON.stringify({ id: `h${h}`, ts: `2026-10-30T0${h}:00:00Z`, provider: 'openai', model: 'gpt-4.1', provenance: 'billed', cost_usd: 1, granularity: 'hour' }),
    );
    writeFileSync(join(dir, 'bill.jsonl'), `${rows.join('\n')}\n`);
    expect((await runCli(['import', join(dir, 'bill.jsonl'), '--db', db])).code).toBe(0);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-10-30T06:00:00Z'));
    const r = await runCli(['insights', '--db', db, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    // $6.00 in a quarter of a day: × 30 / 0.25 = $720.00 a month, not the $180.00 of
    // reading the 18 hours still to come as hours of no spend.
    expect(JSON.parse(r.stdout)).toMatchObject({ since: '2026-10-30T00:00:00.000Z', until: '2026-10-31T00:00:00.000Z', monthly_spend_usd: 720 });
  });
});

describe('llmfin insights with a budget already over its limit', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists it as a High budget_risk worth its overspend, however small against the month', async () => {
    const fx = (name: string) => fileURLToPath(new URL(`../../fixtures/reports/layers-2026-10/${name}`, import.meta.url));
    const dir = tempDir();
    const r0 = await runCli(['import', '--db', join(dir, 'l.db'), fx('invoice.yaml'), fx('costs.json'), fx('usage.json'), fx('proxy.jsonl')]);
    expect(r0.code, r0.stderr).toBe(0);
    // By 2026-10-11 team support has spent $10.50 against $10 (as `budget status --at` shows):
    // $0.50 over, a sliver of the organisation's month, yet a broken limit.
    writeFileSync(join(dir, 'llmfin.yaml'), 'ledger: { path: l.db }\nbudgets:\n  - { name: support, scope: { team: support }, limit_usd: 10 }\n');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-10-11T00:00:00Z'));
    const r = await runCli(['insights', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout) as { rows: Array<{ kind: string; priority: string; title: string; impact_usd_per_month: number }> }).rows;
    const risks = rows.filter((i) => i.kind === 'budget_risk');
    expect(risks).toEqual([expect.objectContaining({ priority: 'High', title: 'budget support over its $10.00 limit', impact_usd_per_month: 0.5 })]);
    // Among the High ones, before any Medium or Low row.
    expect(rows.slice(0, rows.indexOf(risks[0]!) + 1).every((i) => i.priority === 'High')).toBe(true);
  });
});
