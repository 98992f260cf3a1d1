import { describe, expect, it } from 'vitest';
import { jsonRows, plainNumber, renderRowsCsv } from '../../../src/cli/output/rows-csv.js';

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
});
