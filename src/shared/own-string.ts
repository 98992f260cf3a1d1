/**
 * A copy of `text` that shares no memory with the string it was cut from.
 *
 * V8 represents a substring (a CSV cell, a trimmed value) as a slice of its parent, and
 * the parent is, for an import, the 64 KB block of the file the reader decoded: a cell kept as a cache
 * key keeps that whole block alive. A 1M-row FOCUS import's memos and resolver caches
 * held hundreds of such blocks (the heap grew ~150 bytes a row). Caches that outlive a
 * row store their keys through this; it runs once per new key, not per row.
 */
export function ownString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** `ownString` of an optional text (a cache key's provider, offering or region). */
export function ownOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : ownString(text);
}
