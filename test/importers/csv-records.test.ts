import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvRows, type CsvRow } from '../../src/importers/csv-records.js';

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
  { line: 6, cells: ['', '', ''] },
  { line: 7, cells: ['4', 'é', ''] },
];

describe('csvRows', () => {
  it('reads quotes, escaped quotes, line breaks in quotes, CRLF, BOM, NULL and empty lines', async () => {
    expect(await read(TEXT)).toEqual(EXPECTED);
  });

  it('gives the same rows whatever the chunk boundaries (one byte at a time)', async () => {
    for (const size of [1, 2, 3, 7]) expect(await read(TEXT, size)).toEqual(EXPECTED);
  });

  it('reads a last line without a line break, quoted or not', async () => {
    expect(await read('a\n"x"')).toEqual([{ line: 1, cells: ['a'] }, { line: 2, cells: ['x'] }]);
    expect(await read('a\nx\r')).toEqual([{ line: 1, cells: ['a'] }, { line: 2, cells: ['x'] }]);
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
