/**
 * Fixed-width cells for terminal rows: every line of the dashboard is laid out to the
 * terminal's width here, so nothing wraps when the window is narrow.
 */

/** `text` cut to `width` columns, with an ellipsis when it was longer. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return `${text.slice(0, width - 1)}…`;
}

/** Left-aligned in exactly `width` columns. */
export function padEnd(text: string, width: number): string {
  return truncate(text, width).padEnd(Math.max(0, width));
}

/** Right-aligned in exactly `width` columns. */
export function padStart(text: string, width: number): string {
  return truncate(text, width).padStart(Math.max(0, width));
}

/** The first of `forms` (widest first) that fits `width` columns; undefined when none does. */
export function firstFitting(forms: readonly string[], width: number): string | undefined {
  return forms.find((f) => f.length <= width);
}

/** A row's column widths, led by a name that may be cut for room. */
export interface NamedColumns {
  name: number;
}

/** The columns a name has in `width` beside the rest of the row laid out as `c`. */
export function nameRoom<C extends NamedColumns>(c: C, rowWidth: (c: C) => number, width: number): number {
  return width - (rowWidth(c) - c.name);
}

/**
 * The columns of a row at `width`: from `start`, each step gives up some room, in order,
 * until the row fits; a name cut by an earlier step then gets back what a part given up
 * later left over, up to `fullName`. When no step makes the row fit, the last step's columns.
 */
export function giveWay<C extends NamedColumns>(start: C, steps: ReadonlyArray<(c: C) => C>, rowWidth: (c: C) => number, width: number, fullName: number): C {
  let c = start;
  for (const step of steps) {
    c = step(c);
    if (rowWidth(c) <= width) return { ...c, name: Math.min(fullName, nameRoom(c, rowWidth, width)) };
  }
  return c;
}
