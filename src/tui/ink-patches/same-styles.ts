/**
 * A fast path for Ink's frame output, patched into the bundled
 * @alcalzone/ansi-tokenize by scripts/bundle-vendor.mjs. Ink turns every cell of every
 * frame into a styled character and, between two neighbours, asks `diffAnsiCodes` what
 * escape codes change — which builds three Sets and four arrays per cell, even when
 * nothing changes (most cells: blanks, or the rest of a word in one colour). With 500
 * requests/s on a 100×30 dashboard that was a quarter of everything the process
 * allocated. Two neighbours with the same codes in the same order need no codes between
 * them, so the diff is skipped.
 */
export interface StyleCode {
  code: string;
  endCode: string;
}

/** True when `a` and `b` hold the same codes in the same order (their diff is empty). */
export function sameStyles(a: readonly StyleCode[], b: readonly StyleCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.code !== y.code || x.endCode !== y.endCode) return false;
  }
  return true;
}
