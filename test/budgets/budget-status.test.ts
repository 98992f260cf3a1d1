// `llmfin budget status` on the four-layer month (test/fixtures/reports/layers-2026-10):
// default basis, team search $43.50, support $10.50, organisation $100.00.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const fx = (name: string) => fileURLToPath(new URL(`../fixtures/reports/layers-2026-10/${name}`, import.meta.url));

describe('llmfin budget status', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    const r = await runCli(['import', '--db', join(dir, 'l.db'), fx('invoice.yaml'), fx('costs.json'), fx('usage.json'), fx('proxy.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(
      join(dir, 'llmfin.yaml'),
      `ledger: { path: l.db }
budgets:
  - { name: org, limit_usd: 1000 }
  - { name: search, scope: { team: search }, limit_usd: 50, action: block }
  - { name: support, scope: { team: support }, limit_usd: 10 }
`,
    );
  });

  /** A folder whose llmfin.yaml reads the ledger above with these budgets (each a YAML flow mapping). */
  const budgetsDir = (...budgets: string[]) => {
    const d = tempDir();
    writeFileSync(join(d, 'llmfin.yaml'), `ledger: { path: ${join(dir, 'l.db')} }\nbudgets:\n${budgets.map((b) => `  - ${b}\n`).join('')}`);
    return d;
  };
  /** Each budget's spent_usd by name, as `budget status --at` shows it from `cwd`. */
  const spentAt = async (cwd: string, at: string): Promise<Record<string, number>> => {
    const r = await runCli(['budget', 'status', '--at', at, '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    return Object.fromEntries(JSON.parse(r.stdout).rows.map((s: Record<string, unknown>) => [s.name, s.spent_usd]));
  };

  it('shows spent, limit, state, projection and breach date, most at risk first', async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-10-11T00:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const { rows } = JSON.parse(r.stdout);
    expect(rows.map((s: Record<string, unknown>) => [s.name, s.spent_usd, s.percent, s.state, s.projected_usd, s.breach_at, s.breached])).toEqual([
      // The ledger's usage stops on 2026-10-02 (9 days behind --at): the run rate is the
      // spend over the 2 days recorded, not over the 10 elapsed. 10.50 of 10: red; 31 / 2 = x15.5.
      ['support', 10.5, 105, 'red', 162.75, null, true],
      // 43.50 of 50: amber (>= 80%); 43.50 x 15.5 = 674.25; 50 / 43.50 x 2 days = 2.29885 days after Oct 1.
      ['search', 43.5, 87, 'amber', 674.25, '2026-10-03T07:10:20.690Z', false],
      // The organisation: the invoice's $100.00, 10% of 1000; 1550 projected, past 1000 after 1000 / 100 x 2 = 20 days.
      ['org', 100, 10, 'green', 1550, '2026-10-21T00:00:00.000Z', false],
    ]);
  });

  it('counts a bill where its day falls in a budget\'s time zone, never a month\'s invoice in a day', async () => {
    const tz = budgetsDir(
      '{ name: day-ny, period: daily, limit_usd: 80, timezone: America/New_York }',
      '{ name: month-ny, limit_usd: 1000, timezone: America/New_York }',
      '{ name: month-tokyo, limit_usd: 1000, timezone: Asia/Tokyo }',
    );
    const spent = await spentAt(tz, '2026-10-01T18:00:00Z');
    // 1 October in New York (04:00 to 18:00 UTC so far): p1's 30.00 and the invoice's
    // remainder on its first day (46.00), as the UTC day shows it; not the month's 100.00.
    expect(spent['day-ny']).toBe(76);
    expect(spent['month-ny']).toBe(76);
    expect(spent['month-tokyo']).toBe(76);
    const month = await spentAt(tz, '2026-10-20T18:00:00Z');
    expect([month['month-ny'], month['month-tokyo'], month['day-ny']]).toEqual([100, 100, 0]);
  });

  it('counts a bill in its own day in a zone twelve or more hours east of UTC', async () => {
    const nz = budgetsDir('{ name: day-nz, period: daily, limit_usd: 80, timezone: Pacific/Auckland }');
    const dayNz = async (at: string) => (await spentAt(nz, at))['day-nz'];
    // Auckland is UTC+13 in October: 1 October there runs from 30 September 11:00 UTC to
    // 1 October 11:00 UTC and holds the invoice's remainder on its first day (46.00), with
    // p1's 30.00 once it is recorded (between 05:00 and 11:00 UTC); 2 October there, from
    // 11:00 UTC, holds neither (read as +11 hours, the remainder fell in 2 October instead).
    expect(await dayNz('2026-10-01T05:00:00Z')).toBe(46);
    expect(await dayNz('2026-10-01T10:59:00Z')).toBe(76);
    expect(await dayNz('2026-10-01T18:00:00Z')).toBe(0);
  });

  it('exits 1 with --fail-on-breach when a budget is at its limit', async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-10-11T00:00:00Z', '--fail-on-breach'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('budget limit reached: support (105%)');
    expect(r.stdout).toMatch(/support\s+team=support\s+monthly\s+\$10\.50\s+\$10\.00\s+█+\s+105\.0%\s+red/);
  });

  it('says so when no budget is defined, and refuses unknown actions', async () => {
    const empty = await runCli(['budget', 'status', '--db', join(dir, 'l.db')]);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain('no budgets defined');
    const bad = await runCli(['budget', 'spend'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('budget: expected the action "status", got "spend"');
  });

  it('warns when a budget\'s scope has never matched any spend, instead of a quiet green $0.00', async () => {
    const other = tempDir();
    writeFileSync(
      join(other, 'llmfin.yaml'),
      `ledger: { path: ${join(dir, 'l.db')} }
budgets:
  - { name: typo, scope: { team: serach }, limit_usd: 50 }
  - { name: search, scope: { team: search }, limit_usd: 50 }
`,
    );
    // In November the search team has spent nothing yet, but it has spent before: no warning.
    const r = await runCli(['budget', 'status', '--at', '2026-11-05T00:00:00Z', '--format', 'json'], { cwd: other });
    expect(r.code, r.stderr).toBe(0);
    const { rows } = JSON.parse(r.stdout);
    expect(rows.map((s: Record<string, unknown>) => [s.name, s.spent_usd, s.state])).toEqual([
      ['search', 0, 'green'],
      ['typo', 0, 'green'],
    ]);
    expect(r.stderr.trim().split('\n')).toEqual([
      // The ledger stops on October 2: November's $0 is no news, and is said to be none.
      "warning: the ledger's latest usage is from 2026-10-02, 33 days before 2026-11-05: nothing since is counted, so the budgets' spent amounts are too low and their projections guess every day since. Import recent exports (`llmfin import`) or meter live traffic (`llmfin proxy`); --at 2026-10-02T23:59:59Z judges them as of the end of that day",
      'warning: budget typo: no spend in the ledger has ever matched its scope (team=serach); check the spelling of its value against `llmfin report --by team`',
    ]);
  });

  it('points a stale ledger at a moment that counts its last day of usage, not that day\'s midnight', async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-11-05T00:00:00Z'], { cwd: dir });
    expect(r.stderr).toContain('; --at 2026-10-02T23:59:59Z judges them as of the end of that day');
    // October 2's usage counts there: the same $10.50, $43.50 and $100.00 as a week later.
    expect(await spentAt(dir, '2026-10-02T23:59:59Z')).toEqual({ support: 10.5, search: 43.5, org: 100 });
    // At the date alone, its midnight, that day would be left out.
    expect((await spentAt(dir, '2026-10-02')).search).toBeLessThan(43.5);
  });

  it('says a moment before the ledger\'s first usage is no record, not a green $0.00', async () => {
    const r = await runCli(['budget', 'status', '--at', '2026-09-15T00:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows.map((s: Record<string, unknown>) => [s.name, s.spent_usd, s.state])).toEqual([
      ['org', 0, 'green'],
      ['search', 0, 'green'],
      ['support', 0, 'green'],
    ]);
    expect(r.stderr).toBe(
      "warning: the ledger's first usage is from 2026-10-01, after 2026-09-15: nothing before it is recorded, so the budgets' $0 spent and projections say nothing of that time; --at 2026-10-01 or later judges them on recorded usage\n",
    );
  });

  it('points a tag scope that matched nothing at a report that runs: an undeclared tag key is declared first', async () => {
    const d = budgetsDir('{ name: prod, scope: { tags.env: prod }, limit_usd: 50 }');
    const r = await runCli(['budget', 'status', '--at', '2026-10-02T12:00:00Z'], { cwd: d });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'warning: budget prod: no spend in the ledger has ever matched its scope (tags.env=prod); check the spelling of its value against `llmfin report --by env`, after listing env under attribution.dimensions in llmfin.yaml',
    );
    // Without that declaration the report it names is refused: the advice must not be a dead end.
    expect((await runCli(['report', '--by', 'env'], { cwd: d })).code).toBe(2);
    writeFileSync(join(d, 'llmfin.yaml'), `ledger: { path: ${join(dir, 'l.db')} }\nattribution: { dimensions: [env] }\nbudgets:\n  - { name: prod, scope: { tags.env: prod }, limit_usd: 50 }\n`);
    const declared = await runCli(['budget', 'status', '--at', '2026-10-02T12:00:00Z'], { cwd: d });
    expect(declared.stderr).toContain('check the spelling of its value against `llmfin report --by env`\n');
    expect((await runCli(['report', '--by', 'env'], { cwd: d })).code).toBe(0);
  });

  it('says where the ledger\'s usage ends, and warns when that is more than three days before the budgets are judged', async () => {
    // The last usage row is 2026-10-02 11:00: two and a half days later is an export's usual lag.
    const fresh = await runCli(['budget', 'status', '--at', '2026-10-05T00:00:00Z', '--format', 'json'], { cwd: dir });
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(JSON.parse(fresh.stdout).latest_usage_at).toBe('2026-10-02T11:00:00.000Z');
    expect(fresh.stderr).toBe('');
    const stale = await runCli(['budget', 'status', '--at', '2026-10-11T00:00:00Z'], { cwd: dir });
    expect(stale.code).toBe(0);
    expect(stale.stderr).toContain("warning: the ledger's latest usage is from 2026-10-02, 8 days before 2026-10-11: nothing since is counted");
    // forecast's budget trajectories say the same, in its notes too.
    const forecast = await runCli(['forecast', '--format', 'json'], { cwd: dir });
    expect(forecast.code, forecast.stderr).toBe(0);
    expect(JSON.parse(forecast.stdout).notes).toContainEqual(expect.stringMatching(/^the ledger's latest usage is from 2026-10-02, \d+ days before \d{4}-\d\d-\d\d: nothing since is counted/));
  });

  it('says so when the ledger has no usage at all, rather than a quiet green $0.00 everywhere', async () => {
    const empty = tempDir();
    expect((await runCli(['init', '--db', join(empty, 'l.db')], { cwd: empty })).code).toBe(0);
    // A scoped budget too: with nothing in the ledger, its scope is not misspelt, and one warning says why it is $0.
    writeFileSync(join(empty, 'llmfin.yaml'), 'ledger: { path: l.db }\nbudgets:\n  - { name: org, limit_usd: 100 }\n  - { name: search, scope: { team: search }, limit_usd: 10 }\n');
    const r = await runCli(['budget', 'status', '--format', 'json'], { cwd: empty });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).latest_usage_at).toBeNull();
    expect(r.stderr.trim()).toBe('warning: the ledger has no usage yet, so every budget shows $0: import recent exports (`llmfin import`) or meter live traffic (`llmfin proxy`)');
  });
});

describe('llmfin budget status on sub-cent amounts', () => {
  it('projects a $0.001 budget to the tick, not to $0.00, and shows enough digits to read it', async () => {
    const dir = tempDir();
    // gpt-4o: 24 input tokens at $2.50/M + 100 output at $10/M = $0.00006 + $0.001 = $0.00106.
    writeFileSync(
      join(dir, 'tiny.jsonl'),
      // Another team's row on Oct 5 begins the ledger's record there: the run rate is over the 6 days since
      // (tiny first spends within a week of it, so it may have spent before the record began: not a new scope).
      '{"id":"other-1","source":"proxy","ts":"2026-10-05T09:00:00Z","granularity":"request","provenance":"metered","provider":"openai","model":"gpt-4o","requests":1,"input_tokens":24,"output_tokens":100,"team":"other"}\n' +
        '{"id":"tiny-1","source":"proxy","ts":"2026-10-10T09:00:00Z","granularity":"request","provenance":"metered","provider":"openai","model":"gpt-4o","requests":1,"input_tokens":24,"output_tokens":100,"team":"tiny"}\n',
    );
    writeFileSync(join(dir, 'llmfin.yaml'), 'ledger: { path: l.db }\nbudgets:\n  - { name: tiny, scope: { team: tiny }, limit_usd: 0.001 }\n');
    expect((await runCli(['import', 'tiny.jsonl'], { cwd: dir })).code).toBe(0);
    const r = await runCli(['budget', 'status', '--at', '2026-10-11T00:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout).rows as Array<Record<string, unknown>>;
    // 6 days recorded (Oct 5-10), 21 to come: 0.00106 x 27 / 6 = 0.00477 (run rate: too little history).
    expect(row).toMatchObject({ spent_usd: 0.00106, limit_usd: 0.001, percent: 106, state: 'red', projected_usd: 0.00477, projected_p50_usd: 0.00477, projected_p90_usd: 0.00477 });
    const table = await runCli(['budget', 'status', '--at', '2026-10-11T00:00:00Z'], { cwd: dir });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/tiny\s+team=tiny\s+monthly\s+\$0\.00106\s+\$0\.001\s+█+\s+106\.0%\s+red\s+\$0\.00477\s+\$0\.00477\s+run rate\s+breached/);
  });
});

describe('llmfin budget status with rows of an unknown model', () => {
  it('counts them in JSON and warns that spent leaves their cost out, instead of a quiet green $0.00', async () => {
    const dir = tempDir();
    // search: gpt-4o, 1M input at $2.50/M + 100K output at $10/M = $3.50. labs: a model no
    // catalogue knows (its cost unknown). No bill for October: the metered rows are the money.
    writeFileSync(
      join(dir, 'proxy.jsonl'),
      '{"id":"p1","ts":"2026-10-02T09:00:00Z","provider":"openai","model":"gpt-4o","requests":10,"input_tokens":1000000,"output_tokens":100000,"team":"search"}\n' +
        '{"id":"u1","ts":"2026-10-03T09:00:00Z","provider":"openai","model":"gpt-9-unknown","requests":10,"input_tokens":1000,"output_tokens":100,"team":"labs"}\n' +
        '{"id":"u2","ts":"2026-10-04T09:00:00Z","provider":"openai","model":"gpt-9-unknown","requests":10,"input_tokens":1000,"output_tokens":100,"team":"labs"}\n',
    );
    writeFileSync(
      join(dir, 'llmfin.yaml'),
      'ledger: { path: l.db }\nbudgets:\n  - { name: labs, scope: { team: labs }, limit_usd: 1 }\n  - { name: search, scope: { team: search }, limit_usd: 10 }\n  - { name: org, limit_usd: 100 }\n',
    );
    expect((await runCli(['import', 'proxy.jsonl'], { cwd: dir })).code).toBe(0);
    const r = await runCli(['budget', 'status', '--at', '2026-10-05T00:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as Array<Record<string, unknown>>;
    expect(Object.fromEntries(rows.map((s) => [s.name, [s.spent_usd, s.unpriced_rows, s.state]]))).toEqual({
      labs: [0, 2, 'green'],
      search: [3.5, 0, 'green'],
      org: [3.5, 2, 'green'],
    });
    // unpriced_rows sits beside spent_usd.
    expect(Object.keys(rows[0]!).slice(5, 7)).toEqual(['spent_usd', 'unpriced_rows']);
    const warnings = r.stderr.trim().split('\n').sort();
    expect(warnings).toEqual([
      'warning: budget labs: 2 ledger rows have no price in its current period (an unknown model): the $0.00 spent leaves out their cost, which is unknown, not $0; add the model under pricing.custom_models (`llmfin report --by model` names it)',
      'warning: budget org: 2 ledger rows have no price in its current period (an unknown model): the $3.50 spent counts their cost only where an imported bill of their month pays for it, and otherwise it is unknown, not $0; add the model under pricing.custom_models (`llmfin report --by model` names it)',
    ]);
    // A period without them says nothing.
    const november = await runCli(['budget', 'status', '--at', '2026-11-02T00:00:00Z', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(november.stdout).rows as Array<Record<string, unknown>>).map((s) => s.unpriced_rows)).toEqual([0, 0, 0]);
    expect(november.stderr).not.toContain('no price');
  });
});

describe('llmfin budget status BREACH column', () => {
  it('is the day the median path crosses the limit, never a run rate the forecast disagrees with', async () => {
    const dir = tempDir();
    // claude-haiku-4-5 at $1/M input: a steady $1.00 a day through October, then $5.00 in
    // the first hour of November. At 02:00 the run rate ($5 in 2 h) crosses the $100 limit
    // on 2 November; the forecast (the period's $5 + ~$1 a day for the rest) never does.
    const lines: string[] = [];
    for (let d = 1; d <= 31; d++) {
      const day = `2026-10-${String(d).padStart(2, '0')}`;
      lines.push(JSON.stringify({ id: `o-${d}`, ts: `${day}T12:00:00Z`, provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 1_000_000, output_tokens: 0, team: 'search' }));
    }
    lines.push(JSON.stringify({ id: 'n-1', ts: '2026-11-01T01:00:00Z', provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 5_000_000, output_tokens: 0, team: 'search' }));
    writeFileSync(join(dir, 'rows.jsonl'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 'llmfin.yaml'), 'ledger: { path: l.db }\nbudgets:\n  - { name: search, scope: { team: search }, limit_usd: 100 }\n');
    expect((await runCli(['import', 'rows.jsonl'], { cwd: dir })).code).toBe(0);
    const json = await runCli(['budget', 'status', '--at', '2026-11-01T02:00:00Z', '--format', 'json'], { cwd: dir });
    expect(json.code, json.stderr).toBe(0);
    const [row] = JSON.parse(json.stdout).rows as Array<Record<string, unknown>>;
    // Run rate: $5 in 2 of 720 hours projects $1,800 and crosses $100 at 40 h (2 November 16:00).
    expect(row).toMatchObject({ spent_usd: 5, projected_usd: 1800, breach_at: '2026-11-02T16:00:00.000Z', projection_method: 'forecast', breach_date_p50: null });
    expect(row!.projected_p50_usd as number).toBeLessThan(100);
    for (const format of ['table', 'markdown', 'csv']) {
      const r = await runCli(['budget', 'status', '--at', '2026-11-01T02:00:00Z', '--format', format], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      if (format !== 'csv') expect(r.stdout, format).not.toContain('2026-11-02');
    }
    const table = await runCli(['budget', 'status', '--at', '2026-11-01T02:00:00Z'], { cwd: dir });
    expect(table.stdout).toMatch(/search\s+team=search\s+monthly\s+\$5\.00\s+\$100\.00\s+█*░+\s+5\.0%\s+green\s+\$\d+\.\d\d\s+\$\d+\.\d\d\s+\d+%\s+–\n/);
  });
});

describe('llmfin budget status on a ledger that starts inside the period', () => {
  it('runs the rate from the ledger\'s first usage (a proxy installed on the 5th), not from the 1st', async () => {
    const dir = tempDir();
    // gpt-4o: 1M input tokens at $2.50/M + 0.5M output at $10/M = $7.50 a day, on Nov 5 and 6.
    const day = (d: string, id: string) => JSON.stringify({ id, ts: `2026-11-0${d}T09:00:00Z`, provider: 'openai', model: 'gpt-4o', requests: 100, input_tokens: 1_000_000, output_tokens: 500_000 });
    writeFileSync(join(dir, 'usage.jsonl'), `${day('5', 'a')}\n${day('6', 'b')}\n`);
    expect((await runCli(['import', '--db', join(dir, 'l.db'), join(dir, 'usage.jsonl')])).code).toBe(0);
    writeFileSync(join(dir, 'llmfin.yaml'), 'ledger: { path: l.db }\nbudgets:\n  - { name: org, limit_usd: 100 }\n');
    const r = await runCli(['budget', 'status', '--at', '2026-11-07T00:00:00Z', '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const [org] = JSON.parse(r.stdout).rows;
    // $15 over the 2 days since Nov 5 is $7.50 a day; 24 days left: 15 + 180 = $195 (from Nov 1 it read $75).
    // The other $85 to $100 takes 85 / 7.5 = 11 1/3 days from Nov 7: Nov 18, 08:00.
    expect([org.spent_usd, org.projected_usd, org.projected_p50_usd, org.breach_at, org.projection_method]).toEqual([15, 195, 195, '2026-11-18T08:00:00.000Z', 'run-rate']);
  });
});
