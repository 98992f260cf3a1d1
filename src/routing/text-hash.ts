/**
 * FNV-1a (32-bit) over at most `max` characters: a cheap, stable fingerprint for a
 * system prompt (the cohort key) or a user turn (to spot retries), never the text itself.
 */
export function textHash(text: string, max = 2048): string {
  let h = 0x811c9dc5;
  const n = Math.min(text.length, max);
  for (let i = 0; i < n; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Mix in the length so that two prompts sharing the first `max` characters differ.
  h ^= text.length;
  h = Math.imul(h, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
