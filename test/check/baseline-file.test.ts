import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBaseline, stableJson, writeBaseline } from '../../src/check/baseline-file.js';
import type { BaselineFile } from '../../src/check/baseline-schema.js';
import { InputError } from '../../src/shared/errors.js';
import { tempDir } from '../helpers/cli.js';

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
});
