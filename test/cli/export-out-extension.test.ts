// `llmfin export --out FILE` without --format writes the format FILE's extension names
// (.csv → csv, .jsonl/.ndjson → jsonl), not JSONL under a .csv name; a --format the name
// contradicts is written as given, with a one-line warning on stderr.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { runCli, runJson, tempDir } from '../helpers/cli.js';

const CSV_HEADER = /^id,source,provenance,provider,/;
const FOCUS_HEADER = /^(?:[A-Za-z]+,)+/;

describe('export --out FILE picks the format by its extension', () => {
  const dir = tempDir();
  const db = join(dir, 'l.db');

  beforeAll(async () => {
    const rows = [
      { id: 'a', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 1000, output_tokens: 100, team: 'search' },
      { id: 'b', ts: '2026-10-02T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 2000, output_tokens: 300, team: 'chat' },
    ];
    writeFileSync(join(dir, 'rows.jsonl'), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const r = await runCli(['import', '--db', db, join(dir, 'rows.jsonl')], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  });

  it('.csv without --format is llmfin CSV, and imports back to the same money', async () => {
    const r = await runCli(['export', '--db', db, '--out', 'x.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('exported 2 rows as csv to x.csv\n');
    const text = readFileSync(join(dir, 'x.csv'), 'utf8');
    expect(text).toMatch(CSV_HEADER);
    const records = parse(text, { columns: true }) as Array<Record<string, string>>;
    // a: 1000 × $2.50/1M + 100 × $10/1M = $0.0035; b: 2000 × $2.50/1M + 300 × $10/1M = $0.008.
    expect(records.map((row) => [row.id, row.team, row.cost_usd])).toEqual([
      ['a', 'search', '0.0035'],
      ['b', 'chat', '0.008'],
    ]);
    const copy = join(dir, 'copy-csv.db');
    expect((await runCli(['import', '--db', copy, join(dir, 'x.csv')], { cwd: dir })).code).toBe(0);
    // $0.0035 + $0.008 = $0.0115.
    const report = await runJson<{ total: { cost_usd: number } }>(['report', '--db', copy, '--since', '2026-10-01', '--until', '2026-11-01'], { cwd: dir });
    expect(report.total.cost_usd).toBe(0.0115);
  });

  it('.jsonl, .ndjson and an upper-case .CSV name their formats; another name keeps jsonl', async () => {
    const cases: Array<[string, 'jsonl' | 'csv']> = [
      ['y.jsonl', 'jsonl'],
      ['y.ndjson', 'jsonl'],
      ['Y.CSV', 'csv'],
      ['y.txt', 'jsonl'],
      ['y', 'jsonl'],
    ];
    for (const [name, format] of cases) {
      const r = await runCli(['export', '--db', db, '--out', name], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr, name).toBe(`exported 2 rows as ${format} to ${name}\n`);
      const text = readFileSync(join(dir, name), 'utf8');
      if (format === 'csv') expect(text, name).toMatch(CSV_HEADER);
      else expect((JSON.parse(text.split('\n')[0]!) as { id: string }).id, name).toBe('a');
    }
  });

  it('stdout without --format stays jsonl', async () => {
    const r = await runCli(['export', '--db', db], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'b']);
  });

  it('--format focus into a .csv is FOCUS, with no warning: FOCUS is CSV', async () => {
    const r = await runCli(['export', '--db', db, '--format', 'focus', '--out', 'f.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('exported 2 rows as focus to f.csv\n');
    const text = readFileSync(join(dir, 'f.csv'), 'utf8');
    expect(text).toMatch(FOCUS_HEADER);
    expect(text.split('\n')[0]).toContain('BilledCost');
  });

  it('a --format the name contradicts is written as given, with one warning line', async () => {
    const cases: Array<[string[], string, string]> = [
      [['--format', 'jsonl', '--out', 'z.csv'], 'z.csv', 'warning: --out "z.csv" is named as csv (.csv), but --format jsonl writes JSONL into it, as given; leave out --format to write what the name says'],
      [['--format', 'csv', '--out', 'z.jsonl'], 'z.jsonl', 'warning: --out "z.jsonl" is named as jsonl (.jsonl), but --format csv writes CSV into it, as given; leave out --format to write what the name says'],
      [['--format', 'focus', '--out', 'z.ndjson'], 'z.ndjson', 'warning: --out "z.ndjson" is named as jsonl (.ndjson), but --format focus writes CSV into it, as given; leave out --format to write what the name says'],
    ];
    for (const [argv, name, warning] of cases) {
      const r = await runCli(['export', '--db', db, ...argv], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const format = argv[1]!;
      expect(r.stderr.split('\n')).toEqual([warning, `exported 2 rows as ${format} to ${name}`, '']);
      const text = readFileSync(join(dir, name), 'utf8');
      if (format === 'jsonl') expect((JSON.parse(text.split('\n')[0]!) as { id: string }).id).toBe('a');
      else if (format === 'csv') expect(text).toMatch(CSV_HEADER);
      else expect(text.split('\n')[0]).toContain('BilledCost');
    }
  });

  it('the root --format before the command is a --format given too', async () => {
    const r = await runCli(['--format', 'jsonl', 'export', '--db', db, '--out', 'r.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: --out "r.csv" is named as csv (.csv), but --format jsonl writes JSONL into it');
    expect(r.stderr).toContain('exported 2 rows as jsonl to r.csv');
  });

  it('a bad --format is refused as before, with no warning about the name', async () => {
    const r = await runCli(['export', '--db', db, '--format', 'xml', '--out', 'bad.csv'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format: expected focus, csv or jsonl, got "xml"');
    expect(r.stderr).not.toContain('warning:');
  });
});
