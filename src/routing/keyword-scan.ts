/**
 * Counts the feature families' keyword patterns in one pass over a text, with exactly
 * the counts that scanning each pattern alone would give: its matches left to right,
 * not overlapping each other, at most its cap.
 *
 * Why one pass: each pattern is an alternation of words behind `\b`, and eight of them
 * scanned one after another tried every position of the text eight times — over half of
 * a routing decision. Here one regex finds the positions where any pattern matches
 * (`\b(?=A|B|…)`), and at each, one lookahead per pattern captures what that pattern
 * matches there (`(?:(?=(A))|)`: an alternation, because a quantified empty match such
 * as `(?=(A))?` never keeps its capture). A pattern's match at p is the one its own scan
 * would take at p (same alternation, same order), so counting it when p is at or past
 * the end of that pattern's previous match gives the pattern's own count.
 */

export class KeywordScan {
  readonly #any: RegExp;
  readonly #count: number;
  /** Per pattern, scratch for one `count` call: where its last match ended, and its matches. */
  readonly #ends: Int32Array;
  readonly #seen: Int32Array;

  /**
   * @param patterns each begins with `\b`, is case-insensitive (`i`) and has no capturing group (use `(?:…)`).
   * @throws Error when a pattern breaks those rules (a programming error, found when the module loads).
   */
  constructor(patterns: readonly RegExp[]) {
    const bodies = patterns.map((pattern) => {
      if (!pattern.source.startsWith('\\b') || !pattern.flags.includes('i') || pattern.flags.replace(/[gi]/g, '') !== '') {
        throw new Error(`KeywordScan: ${pattern} must start with \\b and have the flags i or gi only`);
      }
      if (new RegExp(`${pattern.source}|`).exec('')!.length !== 1) throw new Error(`KeywordScan: ${pattern} has a capturing group; use (?:…)`);
      if (hasTopLevelAlternation(pattern.source)) throw new Error(`KeywordScan: ${pattern} has a | outside any group, so its \\b does not apply to all of it; use \\b(?:…|…)`);
      return pattern.source.slice(2);
    });
    this.#count = patterns.length;
    this.#ends = new Int32Array(patterns.length);
    this.#seen = new Int32Array(patterns.length);
    this.#any = new RegExp(`\\b(?=${bodies.map((b) => `(?:${b})`).join('|')})${bodies.map((b) => `(?:(?=(${b}))|)`).join('')}`, 'gi');
  }

  /** Adds pattern i's count in `text`, at most `caps[i]`, to `counts[i]`. */
  count(text: string, caps: Int32Array, counts: Int32Array): void {
    const n = this.#count;
    if (text.length === 0 || n === 0) return;
    const ends = this.#ends.fill(0);
    const seen = this.#seen.fill(0);
    // Patterns still below their cap: the scan stops when none is.
    let open = 0;
    for (let i = 0; i < n; i++) if (caps[i]! > 0) open++;
    const any = this.#any;
    any.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (open > 0 && (m = any.exec(text)) !== null) {
      const at = m.index;
      for (let i = 0; i < n; i++) {
        const match = m[i + 1];
        if (match === undefined || at < ends[i]! || seen[i]! >= caps[i]!) continue;
        ends[i] = at + match.length;
        seen[i] = seen[i]! + 1;
        if (seen[i] === caps[i]) open--;
      }
      // The match is empty (lookaheads only): step past its position by hand.
      any.lastIndex = at + 1;
    }
    any.lastIndex = 0;
    for (let i = 0; i < n; i++) counts[i] = counts[i]! + seen[i]!;
  }
}

/** Whether a regex source has a `|` outside every group (escapes and character classes skipped). */
function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}
