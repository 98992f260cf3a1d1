// Reading an import file: text that is not UTF-8 (a spreadsheet's Windows-1252 "CSV
// (Comma delimited)", a UTF-16 "Unicode Text") is refused at the line of its first bad
// byte by every reader — CSV, lines, whole text, gzip or not — instead of being read as
// U+FFFD; UTF-8 split across the reader's chunks is read intact.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openSourceInput, readSample, SAMPLE_BYTES, type SourceInput } from '../../src/importers/source-input.js';
import { InputError } from '../../src/shared/errors.js';
import { tempDir } from '../helpers/cli.js';

function file(name: string, bytes: Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

/** `rows` CSV lines after a header, each `line N,<text>`, ~48 bytes a line. */
function csv(rows: number, text: (n: number) => string = () => 'plain'): Buffer {
  const lines = ['n,team'];
  for (let n = 2; n <= rows + 1; n++) lines.push(`line ${String(n).padStart(8, '0')},${text(n)}${'.'.repeat(20)}`);
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/** `bytes` with the text "Caf" + byte 0xE9 (Windows-1252 "é") in place of "plain" on line `line`. */
function cp1252At(bytes: Buffer, line: number): Buffer {
  const text = bytes.toString('latin1');
  const marker = `line ${String(line).padStart(8, '0')},plain`;
  const at = text.indexOf(marker);
  expect(at).toBeGreaterThan(-1);
  return Buffer.from(text.replace(marker, `line ${String(line).padStart(8, '0')},Caf\u00e9`), 'latin1');
}

async function failure(read: (input: SourceInput) => Promise<unknown>, path: string, name = 'export.csv'): Promise<InputError> {
  const input = openSourceInput(path, name);
  const error = await read(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect(input.fileError()).toBe(error);
  return error as InputError;
}

const drain = async (it: AsyncIterable<unknown>) => {
  for await (const _ of it) void _;
};
const READERS: Record<string, (input: SourceInput) => Promise<unknown>> = {
  csv: (input) => drain(input.csv()),
  csvRows: (input) => drain(input.csvRows()),
  csvRowBatches: (input) => drain(input.csvRowBatches()),
  lines: (input) => drain(input.lines()),
  lineBatches: (input) => drain(input.lineBatches()),
  text: (input) => input.text(),
};

const MESSAGE_5000 = 'export.csv:5000: expected UTF-8 text, got the byte 0xE9 after "line 00005000,Caf" ("é" in Windows-1252, which a spreadsheet\'s "CSV (Comma delimited)" writes)';

describe('source input: text that is not UTF-8', () => {
  // 5,000 lines of ~48 bytes: the bad byte is far past the 64 KiB sample and the first chunk.
  const big = csv(6000);
  expect(big.length).toBeGreaterThan(3 * SAMPLE_BYTES);
  const bad = cp1252At(big, 5000);

  it.each(Object.keys(READERS))('%s: refuses a Windows-1252 byte at its line, with what comes before it and how to save the file', async (reader) => {
    const error = await failure(READERS[reader]!, file('export.csv', bad));
    expect(error.message).toBe(MESSAGE_5000);
    expect(error.line).toBe(5000);
    expect(error.exitCode).toBe(2);
    expect(error.hint).toBe('nothing was imported from this file; save it as UTF-8 (in Excel: Save As → "CSV UTF-8 (comma delimited)"; in an editor: encoding UTF-8) and import that');
  });

  it.each(Object.keys(READERS))('%s: the same in a gzip file', async (reader) => {
    const error = await failure(READERS[reader]!, file('export.csv.gz', gzipSync(bad)));
    expect(error.message).toBe(MESSAGE_5000);
  });

  it('the sample refuses a bad byte in the first 64 KiB (before any source tries to recognise the file)', () => {
    const path = file('export.csv', cp1252At(csv(100), 3));
    expect(() => readSample(path, 'export.csv')).toThrow(
      'export.csv:3: expected UTF-8 text, got the byte 0xE9 after "line 00000003,Caf" ("é" in Windows-1252, which a spreadsheet\'s "CSV (Comma delimited)" writes)',
    );
    // And in the header, at the start of the file, of a gzip file.
    const header = file('h.csv.gz', gzipSync(Buffer.concat([Buffer.from([0x43, 0x6f, 0xfb, 0x74]), Buffer.from(',n\n1,2\n')])));
    expect(() => readSample(header, 'h.csv.gz')).toThrow(/^h\.csv\.gz:1: expected UTF-8 text, got the byte 0xFB after "Co" \("û" in Windows-1252/);
  });

  it('names UTF-16 (Excel\'s "Unicode Text") for a file that starts with its byte order mark', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('n,team\r\n1,x\r\n', 'utf16le')]);
    const path = file('u.csv', utf16);
    const message = 'u.csv:1: expected UTF-8 text, got UTF-16 (it starts with a UTF-16 byte order mark, as Excel\'s "Unicode Text" saves it)';
    expect(() => readSample(path, 'u.csv')).toThrow(message);
    expect((await failure(READERS.csv!, path, 'u.csv')).message).toBe(message);
  });

  it('refuses a character the file ends inside, and bytes no UTF-8 character has (an overlong form, a surrogate)', async () => {
    const cut = file('cut.csv', Buffer.concat([Buffer.from('n,team\n1,caf'), Buffer.from([0xc3])]));
    expect((await failure(READERS.lines!, cut)).message).toBe('export.csv:2: expected UTF-8 text, got the byte 0xC3 after "1,caf" ("Ã" in Windows-1252, which a spreadsheet\'s "CSV (Comma delimited)" writes)');
    const overlong = file('o.csv', Buffer.concat([Buffer.from('n,team\n1,x\n2,'), Buffer.from([0xc0, 0xaf]), Buffer.from('\n')]));
    expect((await failure(READERS.csv!, overlong)).line).toBe(3);
    const surrogate = file('s.csv', Buffer.concat([Buffer.from('n,team\n1,'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\n')]));
    expect((await failure(READERS.text!, surrogate)).line).toBe(2);
  });

  it('reads UTF-8 intact wherever a character falls across the reader\'s chunks, the BOM dropped', async () => {
    // 2-, 3- and 4-byte characters on every line: some straddle each 64 KiB chunk boundary.
    const text = (n: number) => (n % 3 === 0 ? 'Café' : n % 3 === 1 ? 'Zürich €' : 'team 🚀');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(6000, text)]);
    const path = file('ok.csv', bytes);
    const input = openSourceInput(path, 'ok.csv');
    let count = 0;
    for await (const { line, record } of input.csv()) {
      expect(record.team, `line ${line}`).toBe(`${text(line)}${'.'.repeat(20)}`);
      count++;
    }
    expect(count).toBe(6000);
    expect(input.fileError()).toBeUndefined();
    expect(await input.text()).toBe(bytes.subarray(3).toString('utf8'));
    expect(readSample(path, 'ok.csv').head.startsWith('n,team\nline 00000002,team 🚀')).toBe(true);
    const gz = openSourceInput(file('ok.csv.gz', gzipSync(bytes)), 'ok.csv.gz');
    let last = '';
    for await (const { text: t } of gz.lines()) last = t || last;
    expect(last).toBe(`line 00006001,${text(6001)}${'.'.repeat(20)}`);
  });
});

describe('source input: lines', () => {
  const long = 'y'.repeat(300_000);
  // A BOM, CRLF, a line of ~5 read pieces, a blank line, a CR at a piece's end, and a last line without a break.
  const text = `\ufefffirst\r\n${long}\r\n\nthird\r\nlast`;
  const expected = [
    { line: 1, text: 'first' },
    { line: 2, text: long },
    { line: 3, text: '' },
    { line: 4, text: 'third' },
    { line: 5, text: 'last', unterminated: true },
  ];

  it('gives every line with its number, a line longer than the reader pieces whole, from lines and lineBatches alike', async () => {
    for (const [name, bytes] of [['export.jsonl', Buffer.from(text, 'utf8')], ['export.jsonl.gz', gzipSync(Buffer.from(text, 'utf8'))]] as const) {
      const input = openSourceInput(file(name, bytes), name);
      const lines: Array<{ line: number; text: string }> = [];
      for await (const line of input.lines()) lines.push(line);
      expect(lines).toEqual(expected);
      const batches: Array<Array<{ line: number; text: string }>> = [];
      for await (const batch of openSourceInput(file(name, bytes), name).lineBatches()) batches.push(batch);
      expect(batches.every((b) => b.length > 0)).toBe(true);
      expect(batches.flat()).toEqual(expected);
    }
  });
});

describe('source input: a line past maxLineChars', () => {
  // Lines 1 and 2, then a line of 200,000 characters (held across the 64 KiB pieces the
  // file is read in), then a last line: read with a bound of 100,000.
  const long = 'x'.repeat(200_000);
  const text = `\ufeff{"a":1}\r\n{"b":2}\n${long}\r\n{"c":3}\n`;
  const HINT = 'nothing was imported from this file; each line of this source is one row: check that this is the file you meant, and that its lines were not joined';

  it('refuses the file at the line, after the lines before it, from lines and lineBatches, gzip or not', async () => {
    for (const [name, bytes] of [['rows.jsonl', Buffer.from(text, 'utf8')], ['rows.jsonl.gz', gzipSync(Buffer.from(text, 'utf8'))]] as const) {
      const path = file(name, bytes);
      for (const read of [(input: SourceInput) => input.lines({ maxLineChars: 100_000 }), async function* (input: SourceInput) {
        for await (const batch of input.lineBatches({ maxLineChars: 100_000 })) yield* batch;
      }]) {
        const input = openSourceInput(path, name);
        const seen: Array<{ line: number; text: string }> = [];
        const error = await (async () => {
          for await (const line of read(input)) seen.push(line);
        })().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(seen).toEqual([{ line: 1, text: '{"a":1}' }, { line: 2, text: '{"b":2}' }]);
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).message).toBe(`${name}:3: expected one row a line, got a line of more than 100000 characters without a line break`);
        expect((error as InputError).line).toBe(3);
        expect((error as InputError).exitCode).toBe(2);
        expect((error as InputError).hint).toBe(HINT);
        // The whole file's error: an importer that reports it as a row's issue cannot skip it.
        expect(input.fileError()).toBe(error);
      }
    }
  });

  it('reads the line with a bound above it, and without a bound (a probe of a JSON document)', async () => {
    const path = file('rows.jsonl', Buffer.from(text, 'utf8'));
    const lines = async (options?: { maxLineChars: number }) => {
      const out: string[] = [];
      for await (const { text: t } of openSourceInput(path).lines(options)) out.push(t);
      return out;
    };
    const expected = ['{"a":1}', '{"b":2}', long, '{"c":3}'];
    expect(await lines({ maxLineChars: 200_001 })).toEqual(expected);
    expect(await lines()).toEqual(expected);
  });
});

describe('a last line no line break ends (a log its writer is still writing)', () => {
  const read = async (bytes: Buffer) => {
    const out = [];
    for await (const l of openSourceInput(file('log.jsonl', bytes)).lines()) out.push(l);
    return out;
  };

  it('is marked unterminated, and no other line is, gzipped or not', async () => {
    const cut = Buffer.from('{"a":1}\r\n{"b":2}\n{"c":');
    const expected = [{ line: 1, text: '{"a":1}' }, { line: 2, text: '{"b":2}' }, { line: 3, text: '{"c":', unterminated: true }];
    expect(await read(cut)).toEqual(expected);
    expect(await read(gzipSync(cut))).toEqual(expected);
    // A line past a 64 KiB read is still whole, and still the last.
    const long = `{"d":"${'x'.repeat(70_000)}`;
    expect((await read(Buffer.from(`{"a":1}\n${long}`))).at(-1)).toEqual({ line: 2, text: long, unterminated: true });
  });

  it('is not marked when the file ends with its line break', async () => {
    expect(await read(Buffer.from('{"a":1}\n{"b":2}\r\n'))).toEqual([{ line: 1, text: '{"a":1}' }, { line: 2, text: '{"b":2}' }]);
  });
});
