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
