/**
 * cyrb53: a 53-bit hash of a string, returned as a plain number. For code that must
 * remember many strings only to compare them for equality (the dashboard's loop
 * detector keeps the last calls of thousands of traces): a number is stored unboxed in
 * an array, where the string it stands for would cost ~80 bytes of heap each. At 53 bits,
 * two different strings among a few million share a hash with odds below one in a
 * thousand, and a loop takes four equal hashes in one trace.
 */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
