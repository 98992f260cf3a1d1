// wholeLines: the decoder's pieces regrouped at line breaks, the one step before both line
// readers split (source-input's lines, csv-records' rows), with a bound on an unfinished line.
import { describe, expect, it } from 'vitest';
import { LineTooLongError, wholeLines, type LineBound } from '../../src/importers/whole-lines.js';

async function* from(pieces: readonly string[]): AsyncGenerator<string> {
  for (const piece of pieces) yield piece;
}

async function texts(pieces: readonly string[], bound?: LineBound): Promise<string[]> {
  const out: string[] = [];
  for await (const text of wholeLines(from(pieces), bound)) out.push(text);
  return out;
}

/** The texts given before the error, and the error. */
async function failure(pieces: readonly string[], bound: LineBound): Promise<{ before: string[]; error: LineTooLongError }> {
  const before: string[] = [];
  const error = await (async () => {
    for await (const text of wholeLines(from(pieces), bound)) before.push(text);
  })().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LineTooLongError);
  return { before, error: error as LineTooLongError };
}

describe('wholeLines', () => {
  it('joins a run of pieces without a line break to the piece that ends their line', async () => {
    expect(await texts(['ab', 'cd', 'ef\ngh\n'])).toEqual(['abcdef\ngh\n']);
    // The start of a line a piece ends with waits for the next break too.
    expect(await texts(['a\nb', 'c', 'd\ne\n'])).toEqual(['a\n', 'bcd\ne\n']);
  });

  it('a line break exactly at the end or the start of a piece', async () => {
    expect(await texts(['ab\n', 'cd\n', 'e\n'])).toEqual(['ab\n', 'cd\n', 'e\n']);
    expect(await texts(['ab', '\ncd', '\n'])).toEqual(['ab\n', 'cd\n']);
    expect(await texts(['\n', '\n\n', 'x\n'])).toEqual(['\n', '\n\n', 'x\n']);
  });

  it('keeps a \\r at the end of a piece with the \\n that starts the next (the line reader drops the pair)', async () => {
    expect(await texts(['a\r', '\nb\r', '\n', 'c\r'])).toEqual(['a\r\n', 'b\r\n', 'c\r']);
    expect(await texts(['x\r\ny\r', '\r', '\n'])).toEqual(['x\r\n', 'y\r\r\n']);
  });

  it('skips empty pieces and gives no empty text', async () => {
    expect(await texts(['', 'a', '', '\n', '', 'b', ''])).toEqual(['a\n', 'b']);
    expect(await texts(['', ''])).toEqual([]);
    expect(await texts([])).toEqual([]);
  });

  it('gives the last line without a break as the last text, its pieces joined', async () => {
    expect(await texts(['a\nb', 'c'])).toEqual(['a\n', 'bc']);
    expect(await texts(['only', ' one', ' line'])).toEqual(['only one line']);
  });

  it('throws LineTooLongError with the characters held when an unfinished line passes the bound', async () => {
    // 5 characters is the bound itself: read.
    expect(await texts(['ab', 'cde', '\n'], { maxChars: 5 })).toEqual(['abcde\n']);
    const { before, error } = await failure(['a\n', 'bcd', 'efg', '\n'], { maxChars: 5 });
    expect(before).toEqual(['a\n']);
    expect(error).toMatchObject({ name: 'LineTooLongError', chars: 6, maxChars: 5 });
    // The start of a line a piece ends with: refused when the next text is asked for.
    const tail = await failure(['a\nbcdefgh', 'i\n'], { maxChars: 5 });
    expect(tail.before).toEqual(['a\n']);
    expect(tail.error.chars).toBe(7);
  });

  it('counts what the reader holds before the unfinished line (heldBefore) against the bound, read at each check', async () => {
    let held = 0;
    const bound: LineBound = { maxChars: 10, heldBefore: () => held };
    const out: string[] = [];
    const error = await (async () => {
      for await (const text of wholeLines(from(['a\n', 'bcd', 'ef', 'gh']), bound)) {
        out.push(text);
        // The reader keeps 6 characters of its own after the first text: 'bcd' makes 9, 'ef' 11.
        held = 6;
      }
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(out).toEqual(['a\n']);
    expect(error).toBeInstanceOf(LineTooLongError);
    expect((error as LineTooLongError).chars).toBe(11);
    // Without the bound, the same pieces are one text.
    expect(await texts(['a\n', 'bcd', 'ef', 'gh'])).toEqual(['a\n', 'bcdefgh']);
  });

  it('reads one line of 400,000 one-character pieces as one text (each piece joined once)', async () => {
    // Joined to the line so far and searched again, each piece would copy the line: 8e10
    // characters here, far past the test's time limit.
    const pieces = Array.from({ length: 400_000 }, (_, i) => String.fromCharCode(97 + (i % 26)));
    const out = await texts([...pieces, '\n', 'z']);
    expect(out).toHaveLength(2);
    expect(out[0]).toHaveLength(400_001);
    expect(out[0]).toBe(`${pieces.join('')}\n`);
    expect(out[1]).toBe('z');
  });
});
