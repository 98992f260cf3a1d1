/**
 * A fast path for string-width, patched into the bundled Ink by scripts/bundle-vendor.mjs.
 * string-width measures only printable ASCII without segmenting; anything else (one `·`
 * or a bar of `█`) goes through Intl.Segmenter, a regex and an East Asian Width lookup
 * per grapheme, allocating as it goes. The dashboard's lines are full of such characters
 * and Ink measures every text node and every styled cell of every frame: with 500
 * requests/s arriving, a quarter of all the process allocated.
 *
 * NARROW_TEXT matches strings made only of characters each one column wide on their own
 * and next to any other (no marks, joiners, variation selectors or emoji-capable
 * symbols), where the width is the length — with ambiguous characters counted narrow,
 * string-width's default. Every character in it is checked against both string-width
 * versions Ink bundles (test/tui/ink-patches/narrow-text.test.ts).
 */
export const NARROW_TEXT =
  /^[\u0020-\u007E\u00A0-\u00A8\u00AA-\u00AC\u00AF-\u00FF\u2010-\u2027\u2030-\u203B\u203D-\u2048\u204A-\u205E\u2190-\u2193\u219A-\u21A8\u21AB-\u21FF\u2200-\u22FF\u2500-\u25A9\u25AC-\u25B5\u25B7-\u25BF\u25C1-\u25FA]*$/;

/** True when `text`'s width in columns is its length (see NARROW_TEXT). */
export function isNarrowText(text: string): boolean {
  return NARROW_TEXT.test(text);
}
