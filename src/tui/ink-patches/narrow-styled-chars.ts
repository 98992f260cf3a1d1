/**
 * A fast path for Ink's styled characters, patched into the bundled Ink by
 * scripts/bundle-vendor.mjs. To draw a frame Ink turns every line into one styled
 * character per cell: @alcalzone/ansi-tokenize segments the line grapheme by grapheme
 * (Intl.Segmenter), makes a token of each, then a character object holding its own copy
 * of the styles in force. The dashboard redraws most of its lines every second (the
 * feed, the totals, the bars); with 500 requests/s arriving that was a third of what the
 * process allocated, and the collections it caused.
 *
 * A line whose text, SGR escape codes aside, is only characters each one column wide on
 * its own and next to any other (NARROW_TEXT: each is its own grapheme, never full width)
 * becomes one object per character here, and characters under the same codes share one
 * styles array (Ink never changes a character or its styles: it places them in its grid
 * and reads them; it already shares a wide character's styles with its padding cell).
 * What the codes in force are is still decided by the library itself, from the escape
 * codes seen so far on the line, and remembered by that text. Anything else (another
 * escape sequence, a link, a wide or combining character) returns undefined and takes
 * Ink's own path. Tested against it (test/tui/ink-patches/narrow-styled-chars.test.ts).
 */
import { isNarrowText } from './narrow-text.js';

/** What @alcalzone/ansi-tokenize's StyledChar holds (the library's own type is passed in as `Char`). */
interface StyledChar<Styles> {
  type: 'char';
  value: string;
  fullWidth: boolean;
  styles: Styles;
}

const ESC = 0x1b;
/** An SGR sequence as the library parses one: ESC [, digits and semicolons, m. */
// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const SGR = /\u001b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex -- as above
const SGR_AT = /\u001b\[[0-9;]*m/y;
/** The styles in force after a line's escape codes so far, by their text (a handful of distinct ones per screen). */
const stylesAfter = new Map<string, unknown>();
const MAX_REMEMBERED = 1000;

/** `styledCharsFromTokens(tokenize(line))` for a line of narrow text and SGR codes; undefined for any other line. */
export function narrowStyledChars<Token, Char extends StyledChar<unknown>>(
  line: string,
  tokenize: (text: string) => Token[],
  styledCharsFromTokens: (tokens: Token[]) => Char[],
): Char[] | undefined {
  const coded = line.includes('\u001b');
  // An escape that is not an SGR sequence is left in the text, and fails the test (ESC is no narrow text).
  if (!isNarrowText(coded ? line.replace(SGR, '') : line)) return undefined;
  const chars: Char[] = [];
  let codes = '';
  let styles = stylesOf(codes, tokenize, styledCharsFromTokens);
  for (let i = 0; i < line.length; ) {
    if (coded && line.charCodeAt(i) === ESC) {
      SGR_AT.lastIndex = i;
      const sequence = SGR_AT.exec(line)![0];
      codes += sequence;
      styles = stylesOf(codes, tokenize, styledCharsFromTokens);
      i += sequence.length;
      continue;
    }
    // The library's StyledChar, made as styledCharsFromTokens makes one (its styles shared, see above).
    chars.push({ type: 'char', value: line[i]!, fullWidth: false, styles } as Char);
    i += 1;
  }
  return chars;
}

/** The styles a character has after `codes` (a line's escape codes so far), as the library reduces them. */
function stylesOf<Token, Char extends StyledChar<unknown>>(codes: string, tokenize: (text: string) => Token[], styledCharsFromTokens: (tokens: Token[]) => Char[]): Char['styles'] {
  let styles = stylesAfter.get(codes) as Char['styles'] | undefined;
  if (styles === undefined) {
    styles = styledCharsFromTokens(tokenize(`${codes} `))[0]!.styles;
    if (stylesAfter.size >= MAX_REMEMBERED) stylesAfter.clear();
    stylesAfter.set(codes, styles);
  }
  return styles;
}
