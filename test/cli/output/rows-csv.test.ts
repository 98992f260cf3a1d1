import { describe, expect, it } from 'vitest';
import { jsonRecord, jsonRows, plainNumber, renderRowsCsv } from '../../../src/cli/output/rows-csv.js';
import { runCli } from '../../helpers/cli.js';

describe('rows-csv', () => {
  it('writes numbers as positional decimals, never in exponent form', () => {
    expect(plainNumber(123)).toBe('123');
    expect(plainNumber(0.0080734177)).toBe('0.0080734177');
    expect(plainNumber(1e-7)).toBe('0.0000001');
    expect(plainNumber(1.5e-10)).toBe('0.00000000015');
    expect(plainNumber(-2.5e-8)).toBe('-0.000000025');
    expect(plainNumber(1.25e21)).toBe('1250000000000000000000');
    expect(plainNumber(-0)).toBe('0');
  });

  it('takes the JSON keys as the header, flattens objects, quotes what needs it', () => {
    const csv = renderRowsCsv([
      { team: 'search', cost_usd: 43.5, success: { small: 0.9, large: 0.97 }, tags: ['a', 'b'], note: 'say "hi", then go' },
      { team: 'support', cost_usd: 10.5, extra: true, note: null },
    ]);
    expect(csv).toBe(
      [
        'team,cost_usd,success.small,success.large,tags,note,extra',
        'search,43.5,0.9,0.97,"[""a"",""b""]","say ""hi"", then go",',
        'support,10.5,,,,,true',
        '',
      ].join('\n'),
    );
  });

  it('gives a member null in one row and an object in another the object\'s columns only', () => {
    const csv = renderRowsCsv([
      { team: 'young', backtest: null },
      { team: 'old', backtest: { origins: 9 } },
    ]);
    expect(csv).toBe(['team,backtest.origins', 'young,', 'old,9', ''].join('\n'));
  });

  it('keeps a column that holds a value beside a longer key that starts with its name', () => {
    const csv = renderRowsCsv([{ cost: 1, 'cost.center': 'ops' }]);
    expect(csv).toBe(['cost,cost.center', '1,ops', ''].join('\n'));
  });

  it('prints nothing for no rows', () => {
    expect(renderRowsCsv([])).toBe('');
  });

  it('finds rows only in a document whose rows are objects', () => {
    expect(jsonRows({ rows: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(jsonRows({ rows: [] })).toEqual([]);
    expect(jsonRows({ rows: [1, 2] })).toBeUndefined();
    expect(jsonRows({ provider: 'openai' })).toBeUndefined();
    expect(jsonRows([{ a: 1 }])).toBeUndefined();
    expect(jsonRows(null)).toBeUndefined();
  });

  it('takes a one-record document as one line, and leaves a document of several lists alone', () => {
    expect(jsonRecord({ model: 'gpt-4o', components: { input: { tokens: 10 } }, notes: ['a'] })).toBeDefined();
    expect(jsonRecord({ since: null, tokens_per_request: [{ feature: 'x' }], top_traces: [] })).toBeUndefined();
    expect(jsonRecord({ nested: { list: [{ a: 1 }] } })).toBeUndefined();
  });

  it('prints `pricing cost` as one CSV line of exact components', async () => {
    const r = await runCli(['pricing', 'cost', '--model', 'gpt-4o', '--input', '10', '--output', '5', '--at', '2026-10-01', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const [header, line, rest] = r.stdout.split('\n');
    const cells = Object.fromEntries((header ?? '').split(',').map((k, i) => [k, (line ?? '').split(',')[i]]));
    // gpt-4o at $2.50 / $10 per 1M: 10 × 2.5e-6 = 0.000025, 5 × 1e-5 = 0.00005, total 0.000075.
    expect(cells['components.input.cost_usd']).toBe('0.000025');
    expect(cells['components.output.cost_usd']).toBe('0.00005');
    expect(cells.cost_usd).toBe('0.000075');
    expect(cells.matched_model).toBe('gpt-4o');
    expect(rest).toBe('');
  });
});
