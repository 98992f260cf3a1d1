/**
 * A proxy row's trip to the ledger writer thread, as one JSON text rather than the value
 * array itself. A structured clone writes an array's 43 values one by one, and until the
 * writer thread replies the queue keeps every array and its strings alive on the event
 * loop's heap, where under load they outlive a scavenge or two and are promoted: one
 * string a row is a single object to copy, scan and free. JSON has no bigint, so the one
 * bigint column (cost ticks) travels as its decimal text and is turned back on arrival.
 * Every other value a row holds — strings (lone surrogates included), integers, null —
 * comes back from JSON.parse as it was.
 * No imports: the writer thread loads this and nothing else of the proxy.
 */

/** The row as JSON; the bigint at `bigintAt`, if any, as its decimal text. */
export function rowText(row: unknown[], bigintAt: number): string {
  const ticks = row[bigintAt];
  if (typeof ticks !== 'bigint') return JSON.stringify(row);
  row[bigintAt] = ticks.toString();
  try {
    return JSON.stringify(row);
  } finally {
    row[bigintAt] = ticks;
  }
}

/** The row `rowText` wrote. */
export function rowFromText(text: string, bigintAt: number): unknown[] {
  const row = JSON.parse(text) as unknown[];
  const ticks = row[bigintAt];
  if (typeof ticks === 'string') row[bigintAt] = BigInt(ticks);
  return row;
}
