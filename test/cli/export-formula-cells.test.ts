import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';

/** Texts anyone can put in a ledger (a proxy client picks its own headers and model id). */
const HOSTILE = [
  { id: 'r1', ts: '2026-10-01T10:00:00Z', provider: 'openai', model: '=HYPERLINK("http://evil","x")', input_tokens: 1000, output_tokens: 500,
    team: '+cmd|\' /C calc\'!A0', feature: 'a,b', customer: 'he said "hi"', agent: 'line1\nline2', environment: '-2+3', user: '@SUM(A1)', tags: { k: '=1+1' } },
  { id: '=r2', ts: '2026-10-01T11:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 10, output_tokens: 5, team: "'=already quoted", feature: '\tTAB' },
  { id: 'r3', ts: '2026-10-02T00:00:00Z', ts_end: '2026-10-03T00:00:00Z', granularity: 'day', provenance: 'billed', provider: 'openai', model: 'gpt-4o',
    cost_usd: '-12.3456789012345678', charge_category: 'credit', description: '-promo credit' },
];

async function ok(argv: string[], cwd: string) {
  const r = await runCli(argv, { cwd });
  expect(r.stderr).not.toMatch(/error/);
  expect(r.code).toBe(0);
  return r;
}

describe('export of texts a spreadsheet would run as formulas', () => {
  it('writes them with a leading quote in csv and focus, numbers as they are, and import takes the quote off again', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hostile.jsonl'), HOSTILE.map((r) => JSON.stringify(r)).join('\n'));
    await ok(['import', '--db', 'a.db', 'hostile.jsonl'], dir);

    await ok(['export', '--db', 'a.db', '--format', 'csv', '--out', 'a.csv'], dir);
    const csv = readFileSync(join(dir, 'a.csv'), 'utf8');
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil"",""x"")",`);
    expect(csv).toContain(",'+cmd|' /C calc'!A0,");
    expect(csv).toContain(",'-2+3,");
    expect(csv).toContain(",'@SUM(A1),");
    expect(csv).toContain("\r\n'=r2,");
    expect(csv).toContain(",''=already quoted,'\tTAB,");
    // Money stays a number a spreadsheet sums; a description that only starts with - is guarded.
    expect(csv).toContain(',-12.3456789012345678,billed,-12.3456789012345678,');
    expect(csv).toContain(",'-promo credit,");
    // No cell of any line starts a formula.
    const cells = csv.split(/,|\r\n/);
    expect(cells.filter((c) => /^"?[=+@\t]/.test(c))).toEqual([]);

    // The round trip is exact: the csv imported into a fresh ledger exports the same jsonl.
    await ok(['import', '--db', 'b.db', 'a.csv'], dir);
    const original = (await ok(['export', '--db', 'a.db'], dir)).stdout;
    expect((await ok(['export', '--db', 'b.db'], dir)).stdout).toBe(original);
    expect(original).toContain('"model":"=HYPERLINK(\\"http://evil\\",\\"x\\")"');

    await ok(['export', '--db', 'a.db', '--format', 'focus', '--basis', 'metered', '--out', 'f.csv'], dir);
    const focus = readFileSync(join(dir, 'f.csv'), 'utf8');
    expect(focus).toContain(`,"'=HYPERLINK(""http://evil"",""x"")",`);
    expect(focus.split(/,|\r\n/).filter((c) => /^"?[=+@\t]/.test(c))).toEqual([]);
    await ok(['import', '--db', 'c.db', 'f.csv'], dir);
    const back = (await ok(['export', '--db', 'c.db'], dir)).stdout;
    expect(back).toContain(`"team":"+cmd|' /C calc'!A0"`);
    expect(back).toContain('"environment":"-2+3"');
    expect(back).toContain(`"team":"'=already quoted"`);
  });
});

describe('--format csv of a report', () => {
  it('writes a group a spreadsheet would run as a formula with a leading quote, and its numbers as they are', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hostile.jsonl'), HOSTILE.map((r) => JSON.stringify(r)).join('\n'));
    await ok(['import', '--db', 'a.db', 'hostile.jsonl'], dir);
    const csv = (await ok(['report', '--db', 'a.db', '--by', 'user', '--since', '2026-10-01', '--until', '2026-11-01', '--format', 'csv'], dir)).stdout;
    expect(csv.split('\n')[0]).toBe('user,cost_usd,share,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,cost_per_request_usd,cost_per_1m_tokens_usd,cache_hit_ratio,unpriced_rows');
    expect(csv).toMatch(/\n'@SUM\(A1\),/);
    expect(csv.split(/,|\n/).filter((c) => /^"?[=+@\t]/.test(c))).toEqual([]);
  });
});
