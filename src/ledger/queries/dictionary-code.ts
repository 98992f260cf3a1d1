/**
 * How a packed chunk (entry-chunk.ts) carries its dictionary columns' indexes: each in
 * DICTIONARY_BITS bits of a code, CODE_DICTIONARIES of them a code (52 bits: a double
 * holds it exactly, and SQLite's >> and & read it as the integer it is). One value a row
 * instead of one per dictionary column: fewer values to clone to the writer thread and
 * to bind there.
 */

/**
 * Distinct values a dictionary column may hold: the CASE that maps a row's index back to
 * its value (sharedColumnsInsert) tests one slot after another.
 */
export const DICTIONARY_SLOTS = 16;
export const DICTIONARY_BITS = 4;
export const CODE_DICTIONARIES = 13;

/** The codes a row of a chunk with `dictionaries` dictionary columns holds. */
export function codeCount(dictionaries: number): number {
  return Math.ceil(dictionaries / CODE_DICTIONARIES);
}

/**
 * Where dictionary column `d` (its place among the chunk's dictionary columns) sits: its
 * code, and the power of 16 (`scale`, or `shift` bits) its index is multiplied by there.
 */
export function codePlace(d: number): { code: number; scale: number; shift: number } {
  const k = d % CODE_DICTIONARIES;
  return { code: Math.floor(d / CODE_DICTIONARIES), scale: 2 ** (DICTIONARY_BITS * k), shift: DICTIONARY_BITS * k };
}
