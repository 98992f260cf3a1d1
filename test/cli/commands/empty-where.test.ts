// A --where value no spend has (a misspelt team) empties the window: report, forecast and
// anomalies each name the condition and the values there are, not only "no spend".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

const cwd = tempDir();
const db = join(cwd, 'ledger.db');

beforeAll(async () => {
  const rows = ['support', 'search', 'search, v2'].map((team, i) =>
    JSON.stringify({ id: `r${i}`, ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 100, team }),
  );
  writeFileSync(join(cwd, 'rows.jsonl'), `${rows.join('\n')}\n`);
  expect((await runCli(['import', 'rows.jsonl', '--db', db], { cwd })).code).toBe(0);
});

describe('--where team=suport (no such team)', () => {
  for (const argv of [
    ['report', '--by', 'feature'],
    ['forecast', '--since', '2026-10-01', '--until', '2026-11-01'],
    ['anomalies', '--since', '2026-10-01', '--until', '2026-11-01'],
  ]) {
    it(`${argv[0]} names the value and the teams there are`, async () => {
      const r = await runCli([...argv, '--where', 'team=suport', '--db', db], { cwd });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('warning: --where team=suport: no spend in the ledger has this value (did you mean support?); the values of team are search, "search, v2", support');
      // October holds spend: the value is the cause, not the window.
      expect(r.stderr).not.toContain('check --since/--until');
    });
  }

  it('report blames the value alone, not the period, when the value matches nothing', async () => {
    // The period holds spend (the whole ledger, and October alone): only the value is wrong.
    for (const period of [[], ['--since', '2026-10-01', '--until', '2026-11-01'], ['--since', '2020-01-01', '--until', '2020-02-01']]) {
      const r = await runCli(['report', '--by', 'feature', ...period, '--where', 'team=suport', '--db', db], { cwd });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('warning: --where team=suport: no spend in the ledger has this value');
      expect(r.stderr, period.join(' ')).not.toContain('no spend in this period');
      expect(r.stderr, period.join(' ')).not.toContain('--since');
    }
  });

  it('report keeps the period hint when the value exists but has no spend in the period', async () => {
    const r = await runCli(['report', '--by', 'feature', '--since', '2026-11-01', '--until', '2026-12-01', '--where', 'team=support', '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("no spend in this period; the ledger's last usage is on 2026-10-05, before --since 2026-11-01 — widen --since");
    expect(r.stderr).not.toContain('no spend in the ledger has this value');
  });

  it('a value that exists draws no such warning', async () => {
    const r = await runCli(['anomalies', '--since', '2026-10-01', '--until', '2026-11-01', '--where', 'team=support', '--db', db], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('no spend in the ledger has this value');
  });
});

describe('--where suggests the value meant', () => {
  it('a value of another case, or a typo away, is suggested; a word that is no typo is not', async () => {
    const cased = await runCli(['report', '--by', 'team', '--where', 'team=Support', '--db', db], { cwd });
    expect(cased.stderr).toContain('warning: --where team=Support: no spend in the ledger has this value (did you mean support?); the values of team are');
    const typo = await runCli(['report', '--by', 'team', '--where', 'team=suport', '--db', db], { cwd });
    expect(typo.stderr).toContain('--where team=suport: no spend in the ledger has this value (did you mean support?);');
    const far = await runCli(['report', '--by', 'team', '--where', 'team=platform', '--db', db], { cwd });
    expect(far.stderr).toContain('--where team=platform: no spend in the ledger has this value; the values of team are');
  });

  it('a model is suggested among recorded ids and the catalogue models they were priced as, which are listed too', async () => {
    const bedrock = JSON.stringify({ id: 'b1', ts: '2026-10-05T11:00:00Z', provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', input_tokens: 1000, output_tokens: 100 });
    const dir = tempDir();
    const ledger = join(dir, 'ledger.db');
    writeFileSync(join(dir, 'rows.jsonl'), `${bedrock}\n`);
    expect((await runCli(['import', 'rows.jsonl', '--db', ledger], { cwd: dir })).code).toBe(0);
    const r = await runCli(['report', '--by', 'model', '--where', 'model=anthropic.claude-sonnet-4.5', '--db', ledger], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'warning: --where model=anthropic.claude-sonnet-4.5: no spend in the ledger has this value (did you mean anthropic.claude-sonnet-4-5?); the values of model are us.anthropic.claude-sonnet-4-5-20250929-v1:0, and catalogue model anthropic.claude-sonnet-4-5',
    );
  });
});
