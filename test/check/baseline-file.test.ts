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

describe('a hand-edited baseline that does not match the schema', () => {
  const slice = {
    provider: 'openai', model: 'gpt-4o', service_tier: null, region: null, requests: 1, input: 1000, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0,
    input_audio: 0, input_image: 0, output: 100, reasoning: 0, output_audio: 0, output_image: 0, web_searches: 0, recorded_cost_usd: '0.0035',
  };
  const group = {
    requests: 1, cost_usd: '0.0035', cost_per_request_usd: '0.0035', input_tokens_per_request: 1000, output_tokens_per_request: 100, cache_hit_ratio: 0,
    model_mix: { 'gpt-4o': 1 }, token_mix: [slice],
  };
  const usage = { group_by: 'feature', run_id: null, since: null, until: null, catalogue_version: 'test.1', priced_at: '2026-11-10T12:00:00.000Z', groups: { checkout: group }, prices: {} };
  /** The baseline as `baseline save` writes it (sorted keys, one value a line), with `edit` applied. */
  function written(edit: (b: { usage: typeof usage } & Omit<BaselineFile, 'usage'>) => unknown): string {
    const file = join(tempDir(), 'llmfin.baseline.json');
    const b = structuredClone({ ...empty, usage });
    writeFileSync(file, stableJson(edit(b) ?? b));
    return file;
  }

  it('reads the unedited file', () => {
    expect(readBaseline(written(() => undefined)).usage?.groups.checkout?.requests).toBe(1);
  });

  it('names the line and the option and says what to write there, in JSON, not zod\'s types', () => {
    // Lines: 1 {, 2 kind, 3 llmfin_version, 4 prompts, 5 schema_version, 6 usage.
    const section = written((b) => ({ ...b, usage: 'checkout' }));
    expect(() => readBaseline(section)).toThrow(InputError);
    expect(() => readBaseline(section)).toThrow(
      `${section}:6: usage: expected a mapping of options, written {"group_by": …, …} (options: group_by, run_id, since, until, catalogue_version, …), got string "checkout"`,
    );
    // Under usage: catalogue_version 7, group_by 8, groups 9; checkout 10, its model_mix 15–17, requests 19, token_mix 20.
    const groups = written((b) => void (b.usage.groups = [] as never));
    expect(() => readBaseline(groups)).toThrow(`${groups}:9: usage.groups: expected a mapping of names, each written "NAME": {"requests": …, "cost_usd": …, "cost_per_request_usd": …, "input_tokens_per_request": …, "output_tokens_per_request": …, "cache_hit_ratio": …, "model_mix": …, "token_mix": …}, got a list`);
    const mix = written((b) => void (b.usage.groups.checkout.token_mix = slice as never));
    expect(() => readBaseline(mix)).toThrow(`${mix}:20: usage.groups.checkout.token_mix: expected a list, written [{"provider": …, "model": …, "service_tier": …, "region": …, "requests": …, "input": …, "cache_read": …, "cache_write_5m": …, "cache_write_1h": …, "input_audio": …, "input_image": …, "output": …, "reasoning": …, "output_audio": …, "output_image": …, "recorded_cost_usd": …, …}, …], got a mapping`);
    // A number written as text: where it is, and how to write it.
    const count = written((b) => void (b.usage.groups.checkout.requests = '1' as never));
    expect(() => readBaseline(count)).toThrow(`${count}:19: usage.groups.checkout.requests: expected number, got string "1"`);
  });

  it('names an unknown option at its own line, with the option it is a slip of', () => {
    // token_mix at line 20, its item's keys from line 22: cache_read, cache_write_1h, cache_write_5m, then inptu (sorted before input_audio).
    const file = written((b) => {
      const { input, ...rest } = b.usage.groups.checkout.token_mix[0]!;
      b.usage.groups.checkout.token_mix[0] = { ...rest, inptu: input } as never;
    });
    expect(() => readBaseline(file)).toThrow(`${file}:25: usage.groups.checkout.token_mix.0: unknown option "inptu" (did you mean "usage.groups.checkout.token_mix.0.input"?)`);
  });

  it('exits 2 from llmfin check, with the message and a hint', async () => {
    const file = written((b) => ({ ...b, usage: 'checkout' }));
    const r = await runCli(['check', '--baseline', file, '--db', join(tempDir(), 'none.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`llmfin: error: ${file}:6: usage: expected a mapping of options, written {"group_by": …, …}`);
    expect(r.stderr).toContain('hint: fix it there, or save it again with `llmfin baseline save`');
    expect(r.stderr).not.toMatch(/Invalid input|expected object|received string/);
  });
});
