import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandBraces, globFiles, globMatch } from '../../src/check/prompt-glob.js';
import { tempDir } from '../helpers/cli.js';

describe('globMatch', () => {
  it('expands braces', () => {
    expect(expandBraces('prompts/**/*.{md,txt,hbs}')).toEqual(['prompts/**/*.md', 'prompts/**/*.txt', 'prompts/**/*.hbs']);
    expect(expandBraces('a{b,c{d,e}}')).toEqual(['ab', 'acd', 'ace']);
  });

  it('matches ** across folders, * and ? within a name', () => {
    expect(globMatch('prompts/**/*.{md,txt}', 'prompts/a.md')).toBe(true);
    expect(globMatch('prompts/**/*.{md,txt}', 'prompts/x/y/b.txt')).toBe(true);
    expect(globMatch('prompts/**/*.{md,txt}', 'prompts/x/b.hbs')).toBe(false);
    expect(globMatch('prompts/*.md', 'prompts/x/a.md')).toBe(false);
    expect(globMatch('p?.md', 'p1.md')).toBe(true);
    expect(globMatch('p[0-9].md', 'p7.md')).toBe(true);
    expect(globMatch('p[!0-9].md', 'p7.md')).toBe(false);
    expect(globMatch('**/*.md', 'deep/er/a.md')).toBe(true);
    expect(globMatch('./prompts/a.md', 'prompts/a.md')).toBe(true);
    expect(globMatch('a.b.md', 'aXb.md')).toBe(false);
  });
});

describe('globFiles', () => {
  it('walks from the fixed prefix, skips node_modules and dot-folders, sorts', () => {
    const dir = tempDir();
    for (const f of ['prompts/b.md', 'prompts/a.txt', 'prompts/sub/c.hbs', 'prompts/sub/d.json', 'prompts/node_modules/x.md', 'prompts/.cache/y.md', 'other/z.md']) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), 'x');
    }
    expect(globFiles(dir, ['prompts/**/*.{md,txt,hbs}'])).toEqual(['prompts/a.txt', 'prompts/b.md', 'prompts/sub/c.hbs']);
    expect(globFiles(dir, ['other/z.md', 'prompts/*.md'])).toEqual(['other/z.md', 'prompts/b.md']);
    expect(globFiles(dir, ['missing/**/*.md'])).toEqual([]);
  });
});
