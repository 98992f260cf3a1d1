import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBaseline, readBaselineIfAny, stableJson, writeBaseline } from '../../src/check/baseline-file.js';
import type { BaselineFile } from '../../src/check/baseline-schema.js';
import { InputError } from '../../src/shared/errors.js';
import { runCli, tempDir } from '../helpers/cli.js';

const empty: BaselineFile = { schema_version: 1, kind: 'llmfin-baseline', llmfin_version: 'test', usage: null, prompts: null };

describe('baseline file', () => {
  it('sorts keys at every level, keeps array order, ends with a newline', () => {
    expect(stableJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{\n  "a": {\n    "c": null,\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
  });

  it('writes atomically (no temporary file left) and reads back what it wrote', () => {
    const dir = tempDir();
    const file = join(dir, 'llmfin.baseline.json');
    writeBaseline(file, empty);
    expect(readdirSync(dir)).toEqual(['llmfin.baseline.json']);
    expect(readBaseline(file)).toEqual(empty);
    expect(readFileSync(file, 'utf8')).toBe(stableJson(empty));
  });

  it('names the file when it cannot write, as bad input', () => {
    const file = join(tempDir(), 'no', 'such', 'folder', 'b.json');
    expect(() => writeBaseline(file, empty)).toThrow(InputError);
    expect(() => writeBaseline(file, empty)).toThrow(`${file}: cannot write the baseline (ENOENT)`);
  });

  it('names an empty baseline and one with merge conflict markers as such, not as bad JSON', () => {
    const dir = tempDir();
    const file = join(dir, 'llmfin.baseline.json');
    writeFileSync(file, '\n');
    expect(() => readBaseline(file)).toThrow(`${file}: is empty; expected a baseline written by \`llmfin baseline save\``);
    const good = stableJson(empty);
    writeFileSync(file, `<<<<<<< HEAD\n${good}=======\n${good.replace('"test"', '"other"')}>>>>>>> pr-812\n`);
    expect(() => readBaseline(file)).toThrow(`${file}: holds git merge conflict markers`);
    expect(() => readBaseline(file)).toThrow(InputError);
    // A value that merely holds "=======" inside a string is JSON as usual, and an empty file has nothing for a save to keep.
    writeFileSync(file, '');
    expect(readBaselineIfAny(file)).toBeUndefined();
    writeFileSync(file, good.replace('"test"', '"a ======= b"'));
    expect(readBaseline(file).llmfin_version).toBe('a ======= b');
  });

  it('names the line and column of a hand edit that broke the JSON, not a character offset', () => {
    const file = join(tempDir(), 'llmfin.baseline.json');
    // The comma after "kind" dropped: the parser stops at the start of line 3.
    writeFileSync(file, stableJson(empty).replace('"llmfin-baseline",', '"llmfin-baseline"'));
    expect(() => readBaseline(file)).toThrow(InputError);
    expect(() => readBaseline(file)).toThrow(`${file}:3: expected valid JSON, got expected ',' or '}' after property value at column 3`);
    writeFileSync(file, stableJson(empty).replace('"prompts": null,', '"prompts": null,,'));
    expect(() => readBaseline(file)).toThrow(`${file}:4: expected valid JSON, got expected double-quoted property name at column 19`);
  });

  it('names a directory given as the baseline as a directory, not as bad JSON', async () => {
    const dir = tempDir();
    expect(() => readBaseline(dir)).toThrow(InputError);
    expect(() => readBaseline(dir)).toThrow(`${dir}: a directory, not a baseline file; expected a baseline written by \`llmfin baseline save\``);
    const r = await runCli(['check', '--baseline', dir, '--db', join(dir, 'none.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`llmfin: error: ${dir}: a directory, not a baseline file`);
  });
});
