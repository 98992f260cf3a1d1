import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFolderFiles } from '../../src/pricing/replace-folder-files.js';
import { tempDir } from '../helpers/cli.js';

/** Every entry in `dir` with its text (a folder as "<dir>"), hidden ones included. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, statSync(join(dir, name)).isDirectory() ? '<dir>' : readFileSync(join(dir, name), 'utf8')]));
}

describe('replaceFolderFiles', () => {
  it('writes, replaces and removes the files named, touching nothing else', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), 'old a');
    writeFileSync(join(dir, 'gone.json'), 'old gone');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    replaceFolderFiles(dir, [{ name: 'a.json', text: 'new a' }, { name: 'b.json', text: 'new b' }], ['gone.json']);
    expect(contents(dir)).toEqual({ 'a.json': 'new a', 'b.json': 'new b', 'notes.txt': 'mine' });
  });

  it('a file that cannot be written leaves the folder as it was (no temporary file either)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), 'old a');
    writeFileSync(join(dir, 'gone.json'), 'old gone');
    const before = contents(dir);
    // The second file's temporary file would go in a folder that does not exist.
    expect(() => replaceFolderFiles(dir, [{ name: 'a.json', text: 'new a' }, { name: 'missing/b.json', text: 'new b' }], ['gone.json'])).toThrow(/ENOENT/);
    expect(contents(dir)).toEqual(before);
  });

  it('a file that cannot be renamed into place puts back the ones renamed before it and removes the new ones', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), 'old a');
    writeFileSync(join(dir, 'gone.json'), 'old gone');
    // A non-empty directory where c.json must go: no rename replaces it, root or not.
    mkdirSync(join(dir, 'c.json'));
    writeFileSync(join(dir, 'c.json', 'keep'), 'x');
    const before = contents(dir);
    expect(() =>
      replaceFolderFiles(dir, [{ name: 'a.json', text: 'new a' }, { name: 'b.json', text: 'new b' }, { name: 'c.json', text: 'new c' }], ['gone.json']),
    ).toThrow();
    expect(contents(dir)).toEqual(before);
    expect(readFileSync(join(dir, 'c.json', 'keep'), 'utf8')).toBe('x');
  });
});
