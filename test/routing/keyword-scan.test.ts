import { describe, expect, it } from 'vitest';
import { KeywordScan } from '../../src/routing/keyword-scan.js';

const STEPS = /\b(?:step by step|step \d|then)\b/i;
const MATH = /\b(?:solve|how many|step)\b/i;
const CODE = /\b(?:def|function|in python)(?![\w+#])/i;

/** Each pattern scanned alone, as the families used to: global, left to right, at most `cap`. */
function alone(pattern: RegExp, text: string, cap: number): number {
  const re = new RegExp(pattern.source, 'gi');
  let n = 0;
  while (n < cap && re.exec(text) !== null) n++;
  return n;
}

describe('KeywordScan', () => {
  const scan = new KeywordScan([STEPS, MATH, CODE]);
  const counts = (text: string, caps = [9, 9, 9]) => {
    const out = new Int32Array(3);
    scan.count(text, Int32Array.from(caps), out);
    return [...out];
  };

  it('counts each pattern in one pass: overlapping patterns each count, a pattern never overlaps itself', () => {
    // "step by step" is one STEPS match (the second "step" is inside it) but two MATH ones.
    expect(counts('Solve it step by step, then def f in Python.')).toEqual([2, 3, 2]);
  });

  it('stops each pattern at its cap, and adds to what counts already held (the lead, then the tail)', () => {
    expect(counts('then then then solve', [2, 0, 1])).toEqual([2, 0, 0]);
    const out = new Int32Array([1, 1, 1]);
    scan.count('step 3 how many', Int32Array.from([5, 5, 5]), out);
    expect([...out]).toEqual([2, 3, 1]);
  });

  it('gives the counts of scanning each pattern alone, on 3,000 random texts of glued keywords', () => {
    const words = ['step', 'by', 'step 4', 'then', 'solve', 'how', 'many', 'def', 'function', 'in', 'python', 'Python3', 'stepping', 'É', '_then'];
    const glue = [' ', '', '-', '\n', ', ', '#'];
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let t = 0; t < 3000; t++) {
      let text = '';
      while (text.length < 80) text += words[Math.floor(random() * words.length)]! + glue[Math.floor(random() * glue.length)]!;
      const caps = [1 + Math.floor(random() * 4), 1 + Math.floor(random() * 4), 1 + Math.floor(random() * 4)];
      expect(counts(text, caps), text).toEqual([alone(STEPS, text, caps[0]!), alone(MATH, text, caps[1]!), alone(CODE, text, caps[2]!)]);
    }
  });

  it('refuses a pattern it cannot count exactly', () => {
    expect(() => new KeywordScan([/(?:step)\b/i])).toThrow(/must start with \\b/);
    expect(() => new KeywordScan([/\bstep\b/])).toThrow(/flags i or gi/);
    expect(() => new KeywordScan([/\bstep\b/im])).toThrow(/flags i or gi/);
    expect(() => new KeywordScan([/\b(step|then)\b/i])).toThrow(/capturing group/);
    // Scanned alone, `then` would match inside "tothen"; behind the scan's shared \b it could not.
    expect(() => new KeywordScan([/\bstep|then/i])).toThrow(/outside any group/);
    expect(new KeywordScan([/\b(?:step|[|]then|\|)/i])).toBeInstanceOf(KeywordScan);
  });
});
