// A list or a mapping written wrong in llmfin.yaml is told as the YAML to write there, from
// the schema at that place, with the file, line and option, exit 2 — as `llmfin report
// --config FILE` shows it, and as a routing policy file's mistakes read too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectedShape } from '../../src/config/expected-shape.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('expectedShape', () => {
  it('describes a list of mappings by its required options, a mapping by its options, and a record by its key', () => {
    const schema = z.object({
      jobs: z.array(z.object({ id: z.string(), every: z.number(), note: z.string().optional() }).strict()).default([]),
      pools: z.record(z.enum(['openai', 'anthropic']), z.array(z.string())).optional(),
      plain: z.number(),
    });
    expect(expectedShape(schema, ['jobs'])).toBe('expected a list, each item written "- id: …" with every: … under it');
    expect(expectedShape(schema, ['jobs', 0])).toBe('expected an item written "- id: …" with every: … under it (its options: id, every, note)');
    expect(expectedShape(schema, ['pools'])).toBe('expected a mapping of names to lists, each written "openai: [a, b]" on a line of its own');
    // A mapping is shown by an option it must have, when it has one.
    expect(expectedShape(schema, [])).toBe('expected a mapping of options, written "plain: …" on a line of its own under it (options: jobs, pools, plain)');
    // Not a list or a mapping, or not in the schema: the caller keeps its own words.
    expect(expectedShape(schema, ['plain'])).toBeUndefined();
    expect(expectedShape(schema, ['nowhere'])).toBeUndefined();
  });

  it('says it in JSON for a JSON file, with "…" for the options it may leave out', () => {
    const schema = z.object({
      jobs: z.array(z.object({ id: z.string(), every: z.number(), note: z.string().optional() }).strict()).default([]),
      tags: z.array(z.string()),
      pools: z.record(z.enum(['openai', 'anthropic']), z.array(z.string())).optional(),
      teams: z.record(z.string(), z.object({ lead: z.string() })),
      plain: z.number(),
    });
    expect(expectedShape(schema, ['jobs'], 'json')).toBe('expected a list, written [{"id": …, "every": …, …}, …]');
    expect(expectedShape(schema, ['jobs', 0], 'json')).toBe('expected an item written {"id": …, "every": …, …} (its options: id, every, note)');
    expect(expectedShape(schema, ['tags'], 'json')).toBe('expected a list, written [a, b]');
    expect(expectedShape(schema, ['pools'], 'json')).toBe('expected a mapping of names to lists, each written "openai": [a, b]');
    expect(expectedShape(schema, ['teams'], 'json')).toBe('expected a mapping of names, each written "NAME": {"lead": …}');
    expect(expectedShape(schema, [], 'json')).toBe('expected a mapping of options, written {"tags": …, …} (options: jobs, tags, pools, teams, plain)');
  });
});

describe('llmfin report --config with a list written as a mapping', () => {
  it('exits 2 naming the file, line and option and what to write', async () => {
    const dir = tempDir();
    const config = join(dir, 'team.yaml');
    writeFileSync(config, 'budgets:\n  name: support\n  limit_usd: 500\n');
    const r = await runCli(['report', '--config', config, '--db', join(dir, 'l.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('team.yaml:2: budgets: expected a list, each item written "- name: …" with limit_usd: … under it, got a mapping');
    expect(r.stderr).not.toMatch(/expected (array|record|object)\b/);
  });
});
