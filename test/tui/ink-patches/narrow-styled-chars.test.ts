import { styledCharsFromTokens, tokenize, type StyledChar } from '@alcalzone/ansi-tokenize';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import Output from '../../../node_modules/ink/build/output.js';
import { prng } from '../../../src/shared/prng.js';
import { narrowStyledChars } from '../../../src/tui/ink-patches/narrow-styled-chars.js';
import { NARROW_TEXT } from '../../../src/tui/ink-patches/narrow-text.js';

const chalk = new Chalk({ level: 3 });
const STYLES = [chalk.red, chalk.green, chalk.bold, chalk.dim, chalk.inverse, chalk.bgBlue, chalk.bold.yellow, chalk.dim.red, chalk.ansi256(208), chalk.rgb(12, 200, 7), chalk.reset, (s: string) => s];
const narrow: string[] = [];
for (let c = 0; c <= 0xffff; c++) {
  const ch = String.fromCharCode(c);
  if (NARROW_TEXT.test(ch) && ch !== '') narrow.push(ch);
}

/** Ink's own path: what the patched call stands in for. */
const original = (line: string): StyledChar[] => styledCharsFromTokens(tokenize(line));
/** The patched call in the bundle (scripts/bundle-vendor.mjs). */
const patched = (line: string): StyledChar[] => narrowStyledChars(line, tokenize, styledCharsFromTokens) ?? original(line);

/** A line like the dashboard's: runs of narrow text in random styles, some nested, some plain. */
function randomLine(rand: () => number, alphabet: readonly string[]): string {
  let line = '';
  for (let run = 0; run < 10; run++) {
    const text = Array.from({ length: Math.floor(rand() * 8) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    const pick = () => STYLES[Math.floor(rand() * STYLES.length)]!;
    line += rand() < 0.3 ? pick()(`${text}${pick()(text)}${text}`) : pick()(text);
  }
  return line;
}

describe('narrowStyledChars (the bundled Ink styled-characters fast path)', () => {
  it('gives every narrow character alone, in a run and under codes what Ink gets: its own grapheme, never full width', () => {
    expect(narrow.length).toBeGreaterThan(800);
    for (const ch of narrow) {
      for (const line of [ch, `a${ch}${ch}b`, chalk.bold.red(`${ch}x`) + ch]) expect(narrowStyledChars(line, tokenize, styledCharsFromTokens), JSON.stringify(line)).toEqual(original(line));
    }
  });

  it('gives the styled characters Ink gets for 1,500 random dashboard-like lines, all of them on the fast path', () => {
    const rand = prng(20261204);
    const alphabet = [...' abc$.0123456789%', '█', '░', '·', '→', '│', '…', '×', 'é'];
    for (let n = 0; n < 1500; n++) {
      const line = randomLine(rand, alphabet);
      const fast = narrowStyledChars(line, tokenize, styledCharsFromTokens);
      expect(fast, JSON.stringify(line)).toBeDefined();
      expect(fast).toEqual(original(line));
    }
  });

  it('leaves every other line to Ink: wide, combining and emoji characters, links, escapes that are not SGR, control characters', () => {
    const link = '\u001b]8;;https://example.com\u0007link\u001b]8;;\u0007';
    for (const line of ['日本', chalk.red('e\u0301'), '🙂 ok', link, '\u001b[2Jclear', 'a\u001b', '\u001b[31', 'tab\there', 'line\nbreak', chalk.red('↔')]) {
      expect(narrowStyledChars(line, tokenize, styledCharsFromTokens), JSON.stringify(line)).toBeUndefined();
      expect(patched(line)).toEqual(original(line));
    }
    expect(narrowStyledChars('', tokenize, styledCharsFromTokens)).toEqual([]);
  });

  it("draws frames as Ink's own Output does, wide characters and clipping included", () => {
    const rand = prng(7);
    const alphabet = [...' ab$.01%', '█', '·', '→', '日'];
    for (let frame = 0; frame < 100; frame++) {
      const plain = new Output({ width: 50, height: 10 });
      const fast = new Output({ width: 50, height: 10 });
      (fast as unknown as { caches: { getStyledChars: (line: string) => StyledChar[] } }).caches.getStyledChars = patched;
      const lines = Array.from({ length: 12 }, () => randomLine(rand, alphabet));
      for (const output of [plain, fast]) {
        output.clip({ x1: 0, x2: 46, y1: 0, y2: 9 });
        lines.forEach((line, y) => output.write(y % 3, y, line, { transformers: [] }));
        output.unclip();
      }
      expect(fast.get()).toEqual(plain.get());
    }
  });
});
