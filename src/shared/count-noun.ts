/** "1 row", "2 rows": a count and its noun, plural unless the count is one (regular nouns only). */
export function countNoun(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
