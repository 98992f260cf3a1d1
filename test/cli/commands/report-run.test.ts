// `report --metrics units` and `report --chargeback` print views of their own: an option
// of the grouped report given with them (--by, --sort, --chart…) would be read by neither
// and ignored without a word. It is refused, exit 2, naming it; what they do read still works.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

const dir = tempDir();
const db = join(dir, 'ledger.db');
const rows = join(dir, 'rows.jsonl');

beforeAll(async () => {
  // Two teams' requests on one day: search $2.50 + $1.00 (1M input tokens of gpt-4o, then
  // 100k output), platform $2.50 (shared platform cost to split).
  const row = (id: string, team: string, input: number, output: number, trace: string) =>
    JSON.stringify({ id, ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: input, output_tokens: output, team, feature: `${team}-f`, trace_id: trace });
  writeFileSync(rows, `${[row('a', 'search', 1_000_000, 0, 't1'), row('b', 'search', 0, 100_000, 't1'), row('c', 'platform', 1_000_000, 0, 't2')].join('\n')}\n`);
  const r = await runCli(['import', rows, '--db', db], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(join(dir, 'llmfin.yaml'), 'attribution:\n  shared:\n    - { name: platform, from: { team: platform }, over: team, method: even, to: [search] }\n');
});

describe('report --metrics units with an option it does not read', () => {
  for (const [args, flag] of [
    [['--by', 'team'], '--by'],
    [['--by', 'provider'], '--by'],
    [['--sort', 'name'], '--sort'],
    [['--chart'], '--chart'],
    [['--explain'], '--explain'],
    [['--chargeback'], '--chargeback'],
    [['--no-rollup'], '--no-rollup'],
  ] as const) {
    it(`${args.join(' ')} is exit 2 naming ${flag}`, async () => {
      const r = await runCli(['report', '--db', db, '--metrics', 'units', ...args], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`llmfin: error: ${flag}: not with --metrics units, which does not read it`);
      expect(r.stderr).toContain(`hint: drop ${flag}, or run the report without --metrics units`);
    });
  }

  it('still takes --top, --where, --basis and the period: search-f costs $3.50 over 2 requests', async () => {
    const r = await runCli(['report', '--db', db, '--metrics', 'units', '--top', '1', '--where', 'team=search', '--basis', 'metered', '--month', '2026-10', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const u = JSON.parse(r.stdout);
    expect(u.cost_per_customer_feature).toEqual([{ customer: '(unattributed)', feature: 'search-f', cost_usd: 3.5, requests: 2, cost_per_request_usd: 1.75, unpriced_rows: 0 }]);
  });
});

describe('report --chargeback with an option it does not read', () => {
  for (const [args, flag] of [
    [['--by', 'feature'], '--by'],
    [['--top', '1'], '--top'],
    [['--sort', 'name'], '--sort'],
    [['--chart'], '--chart'],
    [['--explain'], '--explain'],
    [['--no-rollup'], '--no-rollup'],
  ] as const) {
    it(`${args.join(' ')} is exit 2 naming ${flag}`, async () => {
      const r = await runCli(['report', '--db', db, '--chargeback', ...args], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`llmfin: error: ${flag}: not with --chargeback, which does not read it`);
    });
  }

  it('still splits: search pays its own $3.50 and the platform\'s $2.50, $6.00 in all', async () => {
    const r = await runCli(['report', '--db', db, '--chargeback', '--month', '2026-10', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const search = JSON.parse(r.stdout).rows.find((x: { team: string }) => x.team === 'search');
    expect(search).toMatchObject({ direct_usd: 3.5, total_usd: 6 });
  });
});

describe('report on a window with no spend', () => {
  it('says where the ledger\'s usage is, instead of telling a ledger that has some to import files', async () => {
    const after = await runCli(['report', '--db', db, '--by', 'team', '--since', '2026-10-06'], { cwd: dir });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toContain("no spend in this period; the ledger's last usage is on 2026-10-05, before --since 2026-10-06 — widen --since");
    expect(after.stderr).not.toContain('import some files');
    const before = await runCli(['report', '--db', db, '--by', 'team', '--until', '2026-10-01'], { cwd: dir });
    // --until is exclusive, and every row is from 2026-10-05: the window ends before the first.
    expect(before.stderr).toContain("no spend in this period; the ledger's first usage is on 2026-10-05, after the window's end (2026-10-01, exclusive) — move the window later");
    // Values that each have spend, but none together: the window or --where may be the cause.
    const inside = await runCli(['report', '--db', db, '--by', 'team', '--since', '2026-10-05', '--where', 'team=search,feature=platform-f'], { cwd: dir });
    expect(inside.stderr).toContain("no spend in this period; the ledger's last usage is on 2026-10-05 — check --since/--until and --where");
    // A value no spend has is the cause alone: the period is not blamed as well.
    const nobody = await runCli(['report', '--db', db, '--by', 'team', '--since', '2026-10-05', '--where', 'team=nobody'], { cwd: dir });
    expect(nobody.stderr).toContain('warning: --where team=nobody: no spend in the ledger has this value; the values of team are platform, search');
    expect(nobody.stderr).not.toContain('no spend in this period');

  });

  it('points an empty ledger to `llmfin import`', async () => {
    const empty = tempDir();
    expect((await runCli(['init', '--db', 'l.db'], { cwd: empty })).code).toBe(0);
    const r = await runCli(['report', '--by', 'team'], { cwd: empty });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('no spend in this period; the ledger has no usage yet — import some files (`llmfin import`)');
  });

  it('a ledger holding only other charges (a cloud bill with no LLM rows) is not told it is empty', async () => {
    // The EA fixture's header and its two rows from Microsoft's sample (a VM, storage), no OpenAI meter.
    const cloud = tempDir();
    const ea = readFileSync(fileURLToPath(new URL('../../fixtures/importers/azure-cost/ea-actual-2026-10.csv', import.meta.url)), 'utf8').split('\r\n');
    writeFileSync(join(cloud, 'ea.csv'), `${ea.slice(0, 3).join('\r\n')}\r\n`);
    const imported = await runCli(['import', 'ea.csv', '--db', 'l.db'], { cwd: cloud });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('of which LLM usage $0.00');
    const note = 'the ledger has no LLM usage yet, only other charges (other services, tax, credits: see `llmfin reconcile`) — import your LLM providers\' usage or cost exports (`llmfin import`)';
    for (const args of [['report', '--by', 'team'], ['forecast', '--by', 'feature'], ['insights'], ['attribute']]) {
      const r = await runCli([...args, '--db', 'l.db'], { cwd: cloud });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr, args.join(' ')).toContain(note);
      expect(r.stderr, args.join(' ')).not.toContain('import some files');
    }
  });

  it('says a window inside one UTC day holds none of the daily rows stamped at midnight', async () => {
    // Daily rows on Oct 4 and Oct 6 (an export's buckets): the afternoon of Oct 5 lies between them.
    const daily = tempDir();
    const day = (d: string) => JSON.stringify({ id: `d${d}`, ts: `2026-10-0${d}T00:00:00Z`, granularity: 'day', provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 0, team: 'search' });
    writeFileSync(join(daily, 'daily.jsonl'), `${day('4')}\n${day('6')}\n`);
    expect((await runCli(['import', 'daily.jsonl', '--db', 'l.db'], { cwd: daily })).code).toBe(0);
    const afternoon = await runCli(['report', '--db', 'l.db', '--by', 'team', '--since', '2026-10-05T12:00:00Z', '--until', '2026-10-06T00:00:00Z'], { cwd: daily });
    expect(afternoon.code, afternoon.stderr).toBe(0);
    expect(afternoon.stderr).toContain("no spend in this period; the window holds no UTC midnight, where daily rows (most exports') are stamped — widen it to whole days");
    // A window that holds Oct 6's midnight finds its row.
    const whole = await runCli(['report', '--db', 'l.db', '--by', 'team', '--since', '2026-10-05T12:00:00Z', '--until', '2026-10-06T12:00:00Z', '--format', 'json'], { cwd: daily });
    expect(JSON.parse(whole.stdout).total.cost_usd).toBe(2.5);
  });

  it('with one layer (--basis) that has none of the window\'s spend, names the layer and what the default basis counts', async () => {
    // The ledger is metered rows only: $2.50 + $1.00 + $2.50 = $6.00 on the default basis.
    const billed = await runCli(['report', '--db', db, '--by', 'team', '--month', '2026-10', '--basis', 'billed'], { cwd: dir });
    expect(billed.code, billed.stderr).toBe(0);
    expect(billed.stderr).toContain('no billed spend in this period: the ledger has $6.00 here on other layers (the default basis) — drop --basis to count it');
    expect(billed.stderr).not.toContain('check --since/--until');
    // search has spend, only on another layer: not "no spend in the ledger has this value".
    const search = await runCli(['report', '--db', db, '--by', 'team', '--basis', 'provider_usage', '--where', 'team=search'], { cwd: dir });
    expect(search.code, search.stderr).toBe(0);
    expect(search.stderr).toContain('no provider_usage spend in this period: the ledger has $3.50 here on other layers (the default basis) — drop --basis to count it');
    expect(search.stderr).not.toContain('no spend in the ledger has this value');
  });
});

describe('report --explain --format csv', () => {
  it('keeps stdout to the CSV rows and writes the explanation to stderr', async () => {
    const r = await runCli(['report', '--db', db, '--by', 'team', '--month', '2026-10', '--explain', '--format', 'csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    // search $2.50 + $1.00, platform $2.50: every stdout line is a CSV line of the header's width.
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['team,cost_usd', 'search,3.5', 'platform,2.5']);
    expect(r.stdout).not.toContain('most authoritative layer');
    expect(r.stderr).toContain('Each provider-month takes its money from the most authoritative layer present');
    expect(r.stderr).toContain('2026-10 openai: $6.00 from metered');
  });
});

describe('report --chart with a format it does not draw in', () => {
  for (const format of ['json', 'csv', 'markdown']) {
    it(`--format ${format} is exit 2 naming --chart, with nothing on stdout`, async () => {
      const r = await runCli(['report', '--db', db, '--by', 'team', '--chart', '--format', format], { cwd: dir });
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toContain(`--chart: draws under the table, not with --format ${format}`);
    });
  }

  it('draws under the table', async () => {
    const r = await runCli(['report', '--db', db, '--by', 'team', '--chart', '--month', '2026-10'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    // The chart spans the days with spend: Oct 5 only, search $3.50.
    expect(r.stdout).toContain('Spend per day, 2026-10-05 to 2026-10-05\nsearch    █  $3.50 (peak $3.50)');
  });
});
