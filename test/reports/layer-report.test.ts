// The layer rule end to end: one OpenAI month seen as an invoice, a cost export, a usage
// export and proxy rows (test/fixtures/reports/layers-2026-10/SOURCE.md). Expected values
// are hand-computed there: metered search $43.50, support $10.50; usage export $89.20;
// cost export and invoice usage lines $100.00.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { reportJson } from './rows-ledger.js';

const fx = (name: string) => fileURLToPath(new URL(`../fixtures/reports/layers-2026-10/${name}`, import.meta.url));

interface Row {
  [dim: string]: unknown;
  cost_usd: number;
  share: number;
  requests: number;
}
interface ReportJson {
  basis: string;
  since: string | null;
  until: string | null;
  group_by: string[];
  rows: Row[];
  total: Row;
  explain?: { pools: Array<Record<string, unknown>>; window_note?: string };
}

const report = (db: string, args: string[], cwd?: string) => reportJson<ReportJson>(db, args, cwd);

const costs = (r: ReportJson, dim: string) => Object.fromEntries(r.rows.map((row) => [row[dim], row.cost_usd]));

describe('report: the layer rule', () => {
  let all: string;
  let noInvoice: string;
  beforeAll(async () => {
    all = join(tempDir(), 'all.db');
    noInvoice = join(tempDir(), 'no-invoice.db');
    const imported = await runCli(['import', '--db', all, fx('invoice.yaml'), fx('costs.json'), fx('usage.json'), fx('proxy.jsonl')]);
    expect(imported.code, imported.stderr).toBe(0);
    const partial = await runCli(['import', '--db', noInvoice, fx('costs.json'), fx('usage.json'), fx('proxy.jsonl')]);
    expect(partial.code, partial.stderr).toBe(0);
  });

  it('takes the money from the invoice and attributes it with the metered rows, counting nothing twice', async () => {
    const r = await report(all, ['--by', 'team', '--month', '2026-10', '--explain']);
    expect(r.basis).toBe('default');
    expect(r.group_by).toEqual(['team']);
    expect(r.since).toBe('2026-10-01T00:00:00.000Z');
    expect(r.until).toBe('2026-11-01T00:00:00.000Z');
    // 100.00 (invoice usage lines) - 54.00 (metered) = 46.00 unattributed.
    expect(costs(r, 'team')).toEqual({ '(unattributed)': 46, search: 43.5, support: 10.5 });
    expect(r.rows.map((row) => row.team)).toEqual(['(unattributed)', 'search', 'support']);
    expect(r.total.cost_usd).toBe(100);
    expect(r.rows.map((row) => row.share)).toEqual([0.46, 0.435, 0.105]);
    // Requests come from the attributing layer: 1000 + 5000 + 200 + 2000.
    expect(r.total.requests).toBe(8200);
    expect(r.explain?.pools).toEqual([
      { provider: 'openai', month: '2026-10', money_from: 'invoice', money_usd: 100, attributed_by: 'metered', attributing_layer_priced_usd: 54, unattributed_usd: 46 },
    ]);
  });

  it('says in JSON, as in text, that the pools are whole months when the window cuts one', async () => {
    // The invoice's $100.00 is October's; Oct 2 holds its metered rows only: p2 $13.50
    // (50M × $0.15 + 10M × $0.60 per 1M), p3 $6.00 and p4 $4.50 (the remainder is on Oct 1).
    const cut = await report(all, ['--by', 'team', '--since', '2026-10-02', '--until', '2026-10-03', '--explain']);
    expect(cut.total.cost_usd).toBe(24);
    expect(cut.explain?.pools.map((p) => p.money_usd)).toEqual([100]);
    expect(cut.explain?.window_note).toMatch(/^Each month below is decided whole; this window keeps only what falls inside it/);
    expect((await report(all, ['--by', 'team', '--month', '2026-10', '--explain'])).explain).not.toHaveProperty('window_note');
  });

  it('shows each layer alone with --basis', async () => {
    expect((await report(all, ['--by', 'team', '--basis', 'billed'])).total.cost_usd).toBe(100);
    expect(costs(await report(all, ['--by', 'team', '--basis', 'billed']), 'team')).toEqual({ '(unattributed)': 100 });
    expect((await report(all, ['--by', 'provider', '--basis', 'provider_usage'])).total.cost_usd).toBe(89.2);
    expect(costs(await report(all, ['--by', 'team', '--basis', 'metered']), 'team')).toEqual({ search: 43.5, support: 10.5 });
    // 30.00, 13.50 and 10.50 of 54.00: 0.5555…, 0.25, 0.1944…; floored they would add to 0.999999.
    const byFeature = await report(all, ['--by', 'feature', '--basis', 'metered']);
    expect(byFeature.rows.map((row) => [row.feature, row.share])).toEqual([
      ['answers', 0.555556],
      ['rerank', 0.25],
      ['triage', 0.194444],
    ]);
  });

  it('without an invoice, the cost export is the money and the remainder follows its days', async () => {
    const r = await report(noInvoice, ['--by', 'day']);
    // Remainder 46.00 split over the cost export's days (50.00 each): 23.00 + 23.00.
    // 10-01: metered 30.00 + 23.00; 10-02: metered 13.50 + 6.00 + 4.50 + 23.00.
    expect(r.rows.map((row) => [row.day, row.cost_usd])).toEqual([
      ['2026-10-01', 53],
      ['2026-10-02', 47],
    ]);
    expect(r.total.cost_usd).toBe(100);
  });

  it('with the invoice, by day puts the uncovered remainder on the first day of the month', async () => {
    const r = await report(all, ['--by', 'day']);
    expect(r.rows.map((row) => [row.day, row.cost_usd])).toEqual([
      ['2026-10-01', 76],
      ['2026-10-02', 24],
    ]);
  });

  it('sees a day inside a month the same through any window of whole days: the month is decided whole', async () => {
    // With the invoice, --by day puts 76.00 on 10-01 (metered 30.00 + the 46.00 remainder)
    // and 24.00 on 10-02; a window of 10-02 alone must not take the whole invoice.
    const day2 = await report(all, ['--by', 'team', '--since', '2026-10-02', '--until', '2026-10-03']);
    expect(costs(day2, 'team')).toEqual({ search: 13.5, support: 10.5 });
    expect(day2.total.cost_usd).toBe(24);
    const day1 = await report(all, ['--by', 'team', '--since', '2026-10-01', '--until', '2026-10-02']);
    expect(costs(day1, 'team')).toEqual({ '(unattributed)': 46, search: 30 });
    // Two windows that split the month add up to the month: 76.00 + 24.00 = 100.00, not 200.00.
    expect(day1.total.cost_usd + day2.total.cost_usd).toBe(100);
    // Without the invoice the cost export's 10-02 is 50.00: metered 24.00 and half the remainder, 23.00.
    const export2 = await report(noInvoice, ['--by', 'team', '--since', '2026-10-02', '--until', '2026-10-03']);
    expect(costs(export2, 'team')).toEqual({ '(unattributed)': 23, search: 13.5, support: 10.5 });
    const byDay = await report(noInvoice, ['--by', 'day']);
    expect(byDay.rows.find((row) => row.day === '2026-10-02')!.cost_usd).toBe(export2.total.cost_usd);
  });

  it('keeps a window within a day to what falls inside it: never the whole month\'s invoice', async () => {
    // Half a day with no rows: the invoice's 46.00 remainder sits on 10-01, outside it.
    const empty = await report(all, ['--by', 'team', '--since', '2026-10-10T12:00Z', '--until', '2026-10-11T00:00Z']);
    expect(empty.rows).toEqual([]);
    expect(empty.total.cost_usd).toBe(0);
    // 10-01 00:00 to 10-02 10:30 holds p1 (30.00), p2 (13.50), p3 (6.00) and the remainder
    // (46.00, on 10-01); p4 at 11:00 (4.50) is outside: 95.50, not the invoice's 100.00.
    const morning = await report(all, ['--by', 'team', '--since', '2026-10-01T00:00Z', '--until', '2026-10-02T10:30Z']);
    expect(costs(morning, 'team')).toEqual({ '(unattributed)': 46, search: 43.5, support: 6 });
    expect(morning.total.cost_usd).toBe(95.5);
    // Its rows split at 10:30 add up to the day seen whole (24.00).
    const before = await report(all, ['--by', 'team', '--since', '2026-10-02T00:00Z', '--until', '2026-10-02T10:30Z']);
    const after = await report(all, ['--by', 'team', '--since', '2026-10-02T10:30Z', '--until', '2026-10-03T00:00Z']);
    expect([before.total.cost_usd, after.total.cost_usd]).toEqual([19.5, 4.5]);
    // Without the invoice, 10-02's share of the export's remainder (23.00) counts in the
    // window that holds the day's start, so a morning and the rest still add up to the day.
    const exportMorning = await report(noInvoice, ['--by', 'team', '--since', '2026-10-02T00:00Z', '--until', '2026-10-02T10:30Z']);
    expect(costs(exportMorning, 'team')).toEqual({ '(unattributed)': 23, search: 13.5, support: 6 });
    const exportRest = await report(noInvoice, ['--by', 'team', '--since', '2026-10-02T10:30Z', '--until', '2026-10-03T00:00Z']);
    expect(costs(exportRest, 'team')).toEqual({ support: 4.5 });
    // A window from 04:00 UTC does not hold 1 October's start: the invoice's remainder is out.
    const fromFour = await report(all, ['--by', 'team', '--since', '2026-10-01T04:00Z', '--until', '2026-11-01T04:00Z']);
    expect(costs(fromFour, 'team')).toEqual({ search: 43.5, support: 10.5 });
    // The header says the window's minutes, not two days.
    const text = await runCli(['report', '--db', all, '--by', 'team', '--since', '2026-10-02T00:00Z', '--until', '2026-10-02T10:30Z', '--explain']);
    expect(text.stdout).toContain('2026-10-02 to 2026-10-02 10:30 UTC (exclusive)');
    expect(text.stdout).toContain('Each month below is decided whole; this window keeps only what falls inside it');
    expect(text.stdout.replace(/\s+/g, ' ')).toContain("an invoice's on its month's first day) when it holds that day's start (00:00 UTC).");
  });

  it('scales a window within a day as the month is scaled when the metered rows price more than the bill', async () => {
    // Invoice usage 27.00 against metered 54.00: every metered dollar counts half.
    const db = join(tempDir(), 'discount.db');
    const invoice = join(tempDir(), 'half.yaml');
    writeFileSync(invoice, 'provider: openai\nnumber: INV-HALF\nperiod: { start: 2026-10-01, end: 2026-11-01 }\nlines:\n  - { description: usage, amount: "27.00" }\ntotal: "27.00"\n');
    const imported = await runCli(['import', '--db', db, invoice, fx('proxy.jsonl')]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(costs(await report(db, ['--by', 'team', '--month', '2026-10']), 'team')).toEqual({ search: 21.75, support: 5.25 });
    // p2 (13.50) and p3 (6.00) halved: 6.75 and 3.00.
    const morning = await report(db, ['--by', 'team', '--since', '2026-10-02T00:00Z', '--until', '2026-10-02T10:30Z']);
    expect(costs(morning, 'team')).toEqual({ search: 6.75, support: 3 });
  });

  it('filters with --where, keeps the top N with an (other) row, and reads the same without the rollup', async () => {
    expect(costs(await report(all, ['--by', 'feature', '--where', 'team=search']), 'feature')).toEqual({ answers: 30, rerank: 13.5 });
    const top = await report(all, ['--by', 'customer', '--basis', 'metered', '--top', '1']);
    // acme: 30.00 + 6.00 + 4.50 = 40.50; globex 13.50 goes to (other).
    expect(top.rows.map((row) => [row.customer, row.cost_usd])).toEqual([
      ['acme', 40.5],
      ['(other)', 13.5],
    ]);
    const viaRollup = await report(all, ['--by', 'team,day']);
    const viaRows = await report(all, ['--by', 'team,day', '--no-rollup']);
    expect(viaRows.rows).toEqual(viaRollup.rows);
  });

  it('filters on a day, week or month without grouping by it', async () => {
    // 2026-10-02 without the invoice: metered search 13.50 (p2), support 6.00 + 4.50 (p3, p4),
    // and half the cost export's 46.00 remainder, 23.00, unattributed: 47.00.
    const day = await report(noInvoice, ['--by', 'team', '--where', 'day=2026-10-02']);
    expect(costs(day, 'team')).toEqual({ '(unattributed)': 23, search: 13.5, support: 10.5 });
    expect(day.total.cost_usd).toBe(47);
    const grouped = await report(noInvoice, ['--by', 'team,day', '--where', 'day=2026-10-02']);
    expect(grouped.rows.map((row) => [row.team, row.cost_usd])).toEqual(day.rows.map((row) => [row.team, row.cost_usd]));
    // 2026-10-01 is a Thursday: its week starts on Monday 2026-09-28 and holds the whole bill.
    expect((await report(noInvoice, ['--by', 'team', '--where', 'week=2026-09-28'])).total.cost_usd).toBe(100);
    expect((await report(noInvoice, ['--by', 'team', '--where', 'month=2026-10'])).total.cost_usd).toBe(100);
    // Per-request views narrow to the day too: traces t2 and t3 ran on 2026-10-02, t1 on 10-01.
    const units = await runCli(['report', '--db', all, '--metrics', 'units', '--where', 'day=2026-10-02', '--format', 'json']);
    expect(units.code, units.stderr).toBe(0);
    expect(JSON.parse(units.stdout).top_traces.map((t: { trace: string; cost_usd: number }) => [t.trace, t.cost_usd])).toEqual([
      ['t2', 13.5],
      ['t3', 10.5],
    ]);
  });

  it('refuses a --where that no row could match instead of printing $0', async () => {
    const bad = async (args: string[], message: string, hint?: string) => {
      const r = await runCli(['report', '--db', all, '--by', 'team', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
      if (hint) expect(r.stderr).toContain(hint);
    };
    await bad(['--where', 'team=search', '--where', 'team=support'], '--where: expected one value per dimension, got team=search and team=support', 'hint: to compare them, group by it instead: --by team');
    await bad(['--where', 'team=search,team=support'], 'got team=search and team=support');
    await bad(['--where', 'team='], '--where: expected a value after "team=", got nothing', 'team=(unattributed) selects rows without a team');
    await bad(['--where', 'day=2026-10'], '--where: expected a UTC day such as 2026-10-05 after "day=", got "2026-10"');
    await bad(['--where', 'day=2026-02-30'], 'after "day=", got "2026-02-30"');
    await bad(['--where', 'week=2026-10-01'], '--where: expected the Monday (UTC) a week starts on', 'hint: 2026-10-01 is in the week of 2026-09-28');
    await bad(['--where', 'month=2026-10-01'], '--where: expected a month such as 2026-10 after "month=", got "2026-10-01"');
    await bad(['--chargeback', '--where', 'team=search'], '--where: not with --chargeback');
    // The same value twice is one condition, not a conflict.
    expect(costs(await report(all, ['--by', 'feature', '--where', 'team=search', '--where', 'team=search']), 'feature')).toEqual({ answers: 30, rerank: 13.5 });
  });

  it('names a --where value no spend has, with the values there are, instead of a bare $0', async () => {
    const r = await runCli(['report', '--db', all, '--by', 'team', '--where', 'team=Search', '--month', '2026-10']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/total\s+\$0\.00/);
    expect(r.stderr).toContain('--where team=Search: no spend in the ledger has this value (did you mean search?); the values of team are (unattributed), search, support');
    // A value that exists but not in this period: only the usual hint.
    const elsewhere = await runCli(['report', '--db', all, '--by', 'team', '--where', 'team=search', '--month', '2026-09']);
    expect(elsewhere.stderr).not.toContain('no spend in the ledger has this value');
  });

  it('re-attributes history when the rules change, without a re-import', async () => {
    const dir = tempDir();
    const write = (rules: string) => writeFileSync(join(dir, 'llmfin.yaml'), `attribution:\n  rules:\n${rules}`);
    write(`    - { name: search key, match: { api_key: key_search }, set: { team: search } }\n    - { match: { api_key: "key_*" }, set: { team: shared } }\n`);
    // key_search: 35.00 x 2 days; key_support: 9.60 x 2 days.
    expect(costs(await report(all, ['--by', 'team', '--basis', 'provider_usage'], dir), 'team')).toEqual({ search: 70, shared: 19.2 });
    write(`    - { match: { api_key: "key_*" }, set: { team: shared } }\n    - { name: search key, match: { api_key: key_search }, set: { team: search } }\n`);
    expect(costs(await report(all, ['--by', 'team', '--basis', 'provider_usage'], dir), 'team')).toEqual({ shared: 89.2 });
  });

  it('lets a recorded value win over a rule unless the rule overrides', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'llmfin.yaml'), `attribution:\n  rules:\n    - { match: { model: "gpt-4o" }, set: { team: models } }\n`);
    expect(costs(await report(all, ['--by', 'team', '--basis', 'metered'], dir), 'team')).toEqual({ search: 43.5, support: 10.5 });
    writeFileSync(join(dir, 'llmfin.yaml'), `attribution:\n  rules:\n    - { match: { model: "gpt-4o" }, set: { team: models }, override: true }\n`);
    // gpt-4o rows: p1 30.00 + p3 6.00 = 36.00; search keeps p2 13.50, support keeps p4 4.50.
    expect(costs(await report(all, ['--by', 'team', '--basis', 'metered'], dir), 'team')).toEqual({ models: 36, search: 13.5, support: 4.5 });
  });

  it('prints a table with a total row and exact CSV money', async () => {
    const table = await runCli(['report', '--db', all, '--by', 'team', '--month', '2026-10']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/\(unattributed\)\s+\$46\.00\s+46\.0%/);
    expect(table.stdout).toMatch(/total\s+\$100\.00\s+100\.0%/);
    const csv = await runCli(['report', '--db', all, '--by', 'team', '--format', 'csv']);
    // CSV is the JSON rows' keys and raw values (numbers a spreadsheet can sum), no totals row.
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('team,cost_usd,share,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,cost_per_request_usd,cost_per_1m_tokens_usd,cache_hit_ratio,unpriced_rows');
    expect(lines.find((l) => l.startsWith('search,'))).toMatch(/^search,43\.5,0\.435,6000,/);
    expect(lines.some((l) => l.startsWith('total'))).toBe(false);
  });

  it('refuses a ledger path that does not exist instead of creating an empty ledger there', async () => {
    const missing = join(tempDir(), 'typo.db');
    for (const command of [['report', '--by', 'team'], ['reconcile'], ['forecast', '--by', 'team'], ['anomalies'], ['insights']]) {
      const r = await runCli([...command, '--db', missing]);
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr).toContain(`cannot open ledger ${missing}: no ledger there`);
    }
    expect(existsSync(missing)).toBe(false);
  });

  it('refuses unknown dimensions, bases and periods with exit 2 naming the option', async () => {
    const bad = async (args: string[], message: string) => {
      const r = await runCli(['report', '--db', all, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    };
    await bad(['--by', 'colour'], '--by: expected a dimension');
    await bad(['--basis', 'guessed'], '--basis: expected default, billed, provider_usage, metered, got "guessed"');
    await bad(['--month', '2026-13'], '--month: expected a month such as 2026-10, got "2026-13"');
    await bad(['--where', 'team'], '--where: expected dimension=value');
    await bad(['--top', '0'], '--top: expected a whole number >= 1');
    // A dimension named twice is grouped by once.
    const twice = await report(all, ['--by', 'team,team']);
    expect(twice.group_by).toEqual(['team']);
    expect(costs(twice, 'team')).toEqual({ '(unattributed)': 46, search: 43.5, support: 10.5 });
    // Further back than a date can reach is a mistake (exit 2), not an internal error (exit 3).
    await bad(['--since', '99999999999d'], '--since: expected a number of days such as 90d, got "99999999999d"');
    // The message lists every form --since takes, the relative one too.
    await bad(['--since', 'last-week'], '--since: expected an ISO 8601 date or UTC time such as 2026-07-30 or 2026-07-30T12:00:00Z, or days / weeks before today such as 90d or 12w, got "last-week"');
  });
});
