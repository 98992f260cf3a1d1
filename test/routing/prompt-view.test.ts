import { describe, expect, it } from 'vitest';
import { buildPromptView, TAIL_CHARS } from '../../src/routing/prompt-view.js';

/**
 * The counts as their definitions say, written the slow and obvious way (regexes over
 * lines), so that the scorer's one-pass counter is checked against something that does
 * not share its code.
 */
function byDefinition(s: string) {
  const count = (re: RegExp) => (s.match(re) ?? []).length;
  let listItems = 0;
  let operators = count(/[+/=^%<>]/g);
  for (const line of s.split('\n')) {
    const rest = line.replace(/^[ \t]*/, '');
    if (/^[0-9][.)]/.test(rest)) listItems++;
    // A dash or star opens a list item only at the line start and before a space.
    if (/^[-*] /.test(rest)) listItems++;
  }
  operators += count(/[-*]/g) - count(/^[ \t]*[-*] /gm);
  return {
    digits: count(/[0-9]/g),
    operators,
    newlines: count(/\n/g),
    fences: count(/```/g),
    braces: count(/[{}]/g),
    semicolons: count(/;/g),
    questionMarks: count(/\?/g),
    listItems,
  };
}

const countsOf = (prompt: string, scanChars = 100_000) => {
  const v = buildPromptView({ prompt }, scanChars);
  return { digits: v.digits, operators: v.operators, newlines: v.newlines, fences: v.fences, braces: v.braces, semicolons: v.semicolons, questionMarks: v.questionMarks, listItems: v.listItems };
};

describe('buildPromptView counts', () => {
  it('counts a hand-checked prompt', () => {
    const prompt = '1. Compute 12 * 7;\n  - then x = {a: 3}?\n```js\nf(); // `x`\n```\n2) done -3';
    expect(countsOf(prompt)).toEqual({ digits: 7, operators: 5, newlines: 5, fences: 2, braces: 2, semicolons: 2, questionMarks: 1, listItems: 3 });
  });

  it('matches the definitions on 5,000 random prompts, non-ASCII and astral characters included', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    // Every character the counter treats specially, some it must not, and a surrogate pair.
    const alphabet = ['a', 'Z', ' ', '\t', '\n', '1', '9', '.', ')', '-', '*', '`', '+', '/', '=', '^', '%', '<', '>', '{', '}', ';', '?', 'é', '\u212a', '\u{1F600}'];
    for (let t = 0; t < 5000; t++) {
      let s = '';
      const length = Math.floor(random() * 60);
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(random() * alphabet.length)];
      // Backticks in runs of four or more would count differently by definition (```` is one fence here): keep runs short.
      if (/````/.test(s)) continue;
      expect(countsOf(s), JSON.stringify(s)).toEqual(byDefinition(s));
    }
  });

  it('counts the head and the tail of a long prompt, not the middle', () => {
    const head = 'a'.repeat(2048);
    const middle = '?'.repeat(5000);
    const tail = '{'.repeat(TAIL_CHARS);
    const v = buildPromptView({ prompt: head + middle + tail }, 2048);
    expect(v.questionMarks).toBe(0);
    expect(v.braces).toBe(TAIL_CHARS);
    expect(v.chars).toBe(2048 + 5000 + TAIL_CHARS);
  });
});
