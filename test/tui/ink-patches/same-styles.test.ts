import { ansiCodesToString, diffAnsiCodes, styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar } from '@alcalzone/ansi-tokenize';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { prng } from '../../../src/shared/prng.js';
import { sameStyles } from '../../../src/tui/ink-patches/same-styles.js';

const chalk = new Chalk({ level: 3 });
const STYLES = [chalk.red, chalk.green, chalk.bold, chalk.dim, chalk.inverse, chalk.bgBlue, chalk.bold.yellow, chalk.dim.red, (s: string) => s];

/** A line like the dashboard's: runs of text in random styles, some nested, some plain. */
function randomLine(rand: () => number): string {
  let line = '';
  for (let run = 0; run < 12; run++) {
    const pick = () => STYLES[Math.floor(rand() * STYLES.length)]!;
    const text = ' ab█▇·→'.slice(0, 1 + Math.floor(rand() * 6));
    line += rand() < 0.3 ? pick()(`${text}${pick()(text)}${text}`) : pick()(text);
  }
  return line;
}

/** styledCharsToString as patched into the bundle by scripts/bundle-vendor.mjs. */
function patchedToString(chars: StyledChar[]): string {
  let ret = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (i === 0) ret += ansiCodesToString(char.styles);
    else if (!sameStyles(chars[i - 1]!.styles, char.styles)) ret += ansiCodesToString(diffAnsiCodes(chars[i - 1]!.styles, char.styles));
    ret += char.value;
    if (i === chars.length - 1) ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
  }
  return ret;
}

describe('sameStyles (the bundled Ink output fast path)', () => {
  it('is true only for the same codes in the same order', () => {
    const red = { code: '\u001b[31m', endCode: '\u001b[39m' };
    const bold = { code: '\u001b[1m', endCode: '\u001b[22m' };
    expect(sameStyles([], [])).toBe(true);
    expect(sameStyles([red, bold], [{ ...red }, { ...bold }])).toBe(true);
    expect(sameStyles([red], [])).toBe(false);
    expect(sameStyles([red, bold], [bold, red])).toBe(false);
    expect(sameStyles([bold], [{ code: '\u001b[2m', endCode: '\u001b[22m' }])).toBe(false);
  });

  it('skips only diffs that are empty: the patched output equals the original on 2,000 styled lines', () => {
    const rand = prng(20261130);
    let skipped = 0;
    for (let n = 0; n < 2000; n++) {
      const chars = styledCharsFromTokens(tokenize(randomLine(rand)));
      for (let i = 1; i < chars.length; i++) {
        if (sameStyles(chars[i - 1]!.styles, chars[i]!.styles)) {
          skipped++;
          expect(diffAnsiCodes(chars[i - 1]!.styles, chars[i]!.styles)).toEqual([]);
        }
      }
      expect(patchedToString(chars)).toBe(styledCharsToString(chars));
    }
    expect(skipped).toBeGreaterThan(10_000);
  });
});
