import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { prng } from '../../../src/shared/prng.js';
import { isNarrowText, NARROW_TEXT } from '../../../src/tui/ink-patches/narrow-text.js';
// The older copy Ink's wrap-ansi depends on; the bundle patches both.
import stringWidth7 from '../../../node_modules/wrap-ansi/node_modules/string-width/index.js';

const WIDTHS = [stringWidth, stringWidth7];
/** Every character the class admits, read back from the class itself. */
const narrow: string[] = [];
for (let c = 0; c <= 0xffff; c++) {
  const ch = String.fromCharCode(c);
  if (NARROW_TEXT.test(ch) && ch !== '') narrow.push(ch);
}

describe('isNarrowText (the bundled string-width fast path)', () => {
  it('admits only characters one column wide alone and between others, in both string-width versions', () => {
    expect(narrow.length).toBeGreaterThan(800);
    for (const ch of narrow) {
      for (const width of WIDTHS) {
        expect(width(ch), `U+${ch.charCodeAt(0).toString(16)}`).toBe(1);
        expect(width(`a${ch}${ch}b`), `U+${ch.charCodeAt(0).toString(16)} in a run`).toBe(4);
      }
    }
  });

  it('gives the same width as string-width on 5,000 random dashboard-like strings', () => {
    const rand = prng(8);
    for (let n = 0; n < 5000; n++) {
      const text = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => narrow[Math.floor(rand() * narrow.length)]).join('');
      expect(isNarrowText(text)).toBe(true);
      for (const width of WIDTHS) expect(width(text)).toBe(text.length);
    }
  });

  it('leaves everything else to string-width: wide, zero-width, emoji-capable and control characters', () => {
    for (const text of ['日本', 'e\u0301', '\u200d', '\u00ad', '↔', '▶', '©', '⌚', '\u001b[31mred', 'a\tb', '\u2028', '🙂']) {
      expect(isNarrowText(text), JSON.stringify(text)).toBe(false);
    }
    expect(isNarrowText('')).toBe(true);
    expect(isNarrowText('████░░ 85% amber · $1.20 → ≤ 2')).toBe(true);
  });
});
