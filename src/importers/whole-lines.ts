/**
 * Text pieces, as a decoder gives them, regrouped so that each ends at a line break: the
 * one step both line readers (`source-input.ts`'s lines, `csv-records.ts`'s records) take
 * before they split. A reader that joined each piece to the line so far and searched the
 * whole again copied that line once per piece, the square of its length: a 30 MB line
 * took 29 s. Here the pieces of a line are kept apart until its break comes and joined
 * once, so a line costs its length, however many pieces it came in.
 */

/** An unfinished line (with what the reader held before it) passed the bound it was given. */
export class LineTooLongError extends Error {
  override readonly name = 'LineTooLongError';
  /** The characters held when the bound was passed. */
  readonly chars: number;
  readonly maxChars: number;
  constructor(chars: number, maxChars: number) {
    super(`${chars} characters without a line break, past the bound of ${maxChars}`);
    this.chars = chars;
    this.maxChars = maxChars;
  }
}

/**
 * How much an unfinished line may hold: past it, memory would grow with the file, not the
 * line (a file with no line breaks, an unclosed CSV quote).
 */
export interface LineBound {
  maxChars: number;
  /**
   * Characters the reader still holds of the record the unfinished line goes on, counted
   * against the bound with it: a CSV record quoted across lines. Read at every check.
   */
  heldBefore?: () => number;
}

/**
 * The text of `pieces` as texts that each end with a line break, but for the last when the
 * text does not: the lines a piece ends inside are held until a piece with a break comes.
 * No text is empty. With a `bound`, throws `LineTooLongError` once the held line (and the
 * reader's `heldBefore`) passes it: when a piece without a break adds to it, and, for the
 * start of a line a piece ends with, when the reader asks for the next text (after it has
 * read the one before).
 */
export async function* wholeLines(pieces: AsyncIterable<string>, bound?: LineBound): AsyncGenerator<string> {
  let held: string[] = [];
  let heldChars = 0;
  const check = (): void => {
    if (bound === undefined) return;
    const chars = heldChars + (bound.heldBefore?.() ?? 0);
    if (chars > bound.maxChars) throw new LineTooLongError(chars, bound.maxChars);
  };
  for await (const piece of pieces) {
    const last = piece.lastIndexOf('\n');
    if (last === -1) {
      if (piece === '') continue;
      held.push(piece);
      heldChars += piece.length;
      check();
      continue;
    }
    const ends = last === piece.length - 1;
    const head = ends ? piece : piece.slice(0, last + 1);
    const text = held.length === 0 ? head : held.length === 1 ? held[0]! + head : held.join('') + head;
    held = ends ? [] : [piece.slice(last + 1)];
    heldChars = ends ? 0 : piece.length - last - 1;
    yield text;
    if (!ends) check();
  }
  if (held.length > 0) yield held.length === 1 ? held[0]! : held.join('');
}

