/**
 * What an empty section says under a filter: that the filter hides everything, not that
 * nothing happened ("waiting for requests…" while requests flow would mislead).
 */
export function emptyText(filter: string, unfiltered: string): string {
  return filter ? `nothing matches the filter "${filter}" (esc clears it)` : unfiltered;
}
