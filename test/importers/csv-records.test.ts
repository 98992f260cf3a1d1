import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvRows, MAX_RECORD_CHARS, splitQuotedLine, type CsvRow } from '../../src/importers/csv-records.js';
import { prng } from '../../src/shared/prng.js';

async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(text: string, size = 1 << 16): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const row of csvRows(pieces(text, size))) out.push(row);
  return out;
}

const TEXT = '\ufeffa,b,c\r\n1,"x, ""y""",3\r\n\r\n"multi\nline",NULL,"null"\n,,\n4,é,\n';
const EXPECTED: CsvRow[] = [
  { line: 1, cells: ['a', 'b', 'c'] },
  { line: 2, cells: ['1', 'x, "y"', '3'] },
  { line: 4, cells: ['multi\nline', '', ''] },
  { line: 7, cells: ['4', 'é', ''] },
];

describe('csvRows', () => {
  it('reads quotes, escaped quotes, line breaks in quotes, CRLF, BOM, NULL and empty lines', async () => {
    expect(await read(TEXT)).toEqual(EXPECTED);
  });

  it('gives the same rows whatever the chunk boundaries (one byte at a time)', async () => {
    for (const size of [1, 2, 3, 7]) expect(await read(TEXT, size)).toEqual(EXPECTED);
  });

  it('skips a line of empty cells, quoted or not, as a spreadsheet saves a row it once formatted', async () => {
    const text = 'a,b,c\r\n1,2,3\r\n,,\r\n"","",""\r\n,,,,,,\r\n4,5,6\r\n,,\r\n\r\n';
    const expected: CsvRow[] = [
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', '2', '3'] },
      { line: 6, cells: ['4', '5', '6'] },
    ];
    for (const size of [1, 5, 1 << 16]) expect(await read(text, size)).toEqual(expected);
    // A row with one value among empty cells is a row.
    expect(await read('a,b\n,x\n')).toEqual([{ line: 1, cells: ['a', 'b'] }, { line: 2, cells: ['', 'x'] }]);
  });

  it('reads a last line without a line break, quoted or not', async () => {
    expect(await read('a\n"x"')).toEqual([{ line: 1, cells: ['a'] }, { line: 2, cells: ['x'] }]);
    expect(await read('a\nx\r')).toEqual([{ line: 1, cells: ['a'] }, { line: 2, cells: ['x'] }]);
  });

  it('reads a record far longer than a piece, its pieces kept until a line break comes', async () => {
    const long = 'x'.repeat(200_000);
    const text = `a,b\n${long},y\r\n"q${long}","2\n3"\nz,w`;
    const expected: CsvRow[] = [
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: [long, 'y'] },
      { line: 3, cells: [`q${long}`, '2\n3'] },
      { line: 5, cells: ['z', 'w'] },
    ];
    for (const size of [997, 1 << 16]) expect(await read(text, size)).toEqual(expected);
  });

  it('refuses a record past MAX_RECORD_CHARS that comes in pieces without a line break, naming its line', async () => {
    async function* huge(): AsyncGenerator<string> {
      yield 'a,b\n1,2\n';
      const piece = 'x'.repeat(1 << 20);
      for (let sent = 0; sent <= MAX_RECORD_CHARS; sent += piece.length) yield piece;
      yield '\n';
    }
    const run = async () => {
      for await (const _ of csvRows(huge())) void _;
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).line).toBe(3);
    expect((error as CsvSyntaxError).message).toMatch(/^a record longer than/);
  });

  it('names an unclosed quote, a character after a closing quote and a quote in an unquoted cell with their line', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['a,b\n1,"2\n3,4\n', 2, /^Quote Not Closed/],
      ['a,b\n1,"2"x\n', 2, /^Invalid Closing Quote/],
      ['a,b\n1,2"x\n', 2, /^Invalid Opening Quote/],
    ];
    for (const [text, line, message] of cases) {
      const error = await read(text).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect((error as CsvSyntaxError).line).toBe(line);
      expect((error as CsvSyntaxError).message).toMatch(message);
    }
  });
});

describe('splitQuotedLine (the fast path for lines with quotes)', () => {
  const CELLS = ['a', '', 'NULL', '"NULL"', '"x, y"', '""', '"a ""b"""', '"{""k"": ""v""}"', 'x"y', '"a"b', '"un', 'done"', ' "sp" ', '"é,ü"', '"\r"', '1.5', 'null'];

  it('reads every line as csv-parse does, or leaves it to the full parser', async () => {
    const { parse } = await import('csv-parse/sync');
    const rnd = prng(11);
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const line = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => CELLS[Math.floor(rnd() * CELLS.length)]!).join(',');
      // Lines without a quote never come here.
      if (!line.includes('"')) continue;
      const cells = splitQuotedLine(line, ',');
      let reference: string[] | undefined;
      try {
        const records = parse(line, { relax_column_count: true, cast: (v: string) => (v === 'NULL' || v === 'null' ? '' : v) }) as string[][];
        reference = records.length === 1 ? records[0] : undefined;
      } catch {
        reference = undefined;
      }
      if (cells === undefined) continue;
      fast++;
      expect({ line, cells }).toEqual({ line, cells: reference });
      // And the stream reader gives the same row with the fast path as its full parser would
      // (or none, for a line of empty cells only).
      expect((await read(`${line}\n`))[0]?.cells).toEqual(cells.some((c) => c !== '') ? cells : undefined);
    }
    expect(fast).toBeGreaterThan(1500);
  });

  it('leaves escapes, open quotes and stray quotes to the full parser', () => {
    expect(splitQuotedLine('a,"b ""c""",d', ',')).toBeUndefined();
    expect(splitQuotedLine('a,"b', ',')).toBeUndefined();
    expect(splitQuotedLine('a,b"c",d', ',')).toBeUndefined();
    expect(splitQuotedLine('"a"b,c', ',')).toBeUndefined();
    expect(splitQuotedLine('"a",NULL,"null",', ',')).toEqual(['a', '', '', '']);
    expect(splitQuotedLine('x;"a;b";y', ';')).toEqual(['x', 'a;b', 'y']);
  });
});

describe('csvRows on random files', () => {
  it('reads escapes, quoted separators and line breaks as csv-parse does', async () => {
    const { parse } = await import('csv-parse/sync');
    const CELLS = ['a', '', 'NULL', '"x, y"', '""', '"a ""b"""', '"{""k"": ""v""}"', '"two\nlines"', '"é,ü"', '12.5', '"\n"'];
    let a = 5;
    const rnd = () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let f = 0; f < 300; f++) {
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => CELLS[Math.floor(rnd() * CELLS.length)]!).join(','));
      const eol = rnd() < 0.5 ? '\n' : '\r\n';
      const text = `${lines.join(eol)}${eol}`;
      const parsed = parse(text, { relax_column_count: true, skip_empty_lines: true, cast: (v: string) => (v === 'NULL' || v === 'null' ? '' : v) }) as string[][];
      // Where csvRows differs on purpose: a row of empty cells only is no row.
      const expected = parsed.filter((cells) => cells.some((c) => c !== ''));
      for (const size of [1 << 16, 7]) expect({ text, cells: (await read(text, size)).map((r) => r.cells) }).toEqual({ text, cells: expected });
    }
  });
});
