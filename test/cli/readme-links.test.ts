// Every in-page link of the README (its contents list, "see [Routing](#routing)") lands on a
// heading, with GitHub's anchors: lower case, punctuation dropped, spaces as hyphens.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** GitHub's anchor for a heading's text. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');

function headings(): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of README.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (m) out.add(anchorOf(m[1]!));
  }
  return out;
}

describe('README links', () => {
  it('every #anchor names a heading', () => {
    const anchors = [...README.matchAll(/\]\(#([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(anchors.length).toBeGreaterThan(20);
    const known = headings();
    expect(anchors.filter((a) => !known.has(a))).toEqual([]);
  });

  it('the contents list names every top-level section', () => {
    const contents = README.slice(README.indexOf('## Contents'), README.indexOf('## What works today'));
    const sections = [...README.matchAll(/^## (.+)$/gm)].map((m) => anchorOf(m[1]!)).filter((a) => a !== 'contents' && a !== 'quick-start');
    expect(sections.filter((a) => !contents.includes(`(#${a})`))).toEqual([]);
  });
});
