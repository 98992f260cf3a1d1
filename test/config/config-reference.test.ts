/**
 * The configuration reference in README.md and the starter llmfin.yaml that `llmfin init`
 * writes must not drift from the schema, which is the one truth about llmfin.yaml.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { STARTER_CONFIG } from '../../src/config/starter-config.js';

/** The object types reached through defaults, optionals, arrays and records. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

/**
 * Every option path the schema accepts that `values` (the YAML found at that place: one
 * value, or every element of a list, or every entry of a mapping keyed by user names) does
 * not show. Lists and user-named mappings are descended into so that their elements'
 * options are checked too.
 */
function missingPaths(schema: z.ZodType, values: unknown[], path: string): string[] {
  const s = unwrap(schema);
  if (s instanceof z.ZodArray) return missingPaths(s.element as z.ZodType, values.flatMap((v) => (Array.isArray(v) ? v : [])), `${path}[]`);
  if (s instanceof z.ZodRecord) {
    const inner = unwrap(s.valueType as z.ZodType);
    if (!(inner instanceof z.ZodObject)) return [];
    return missingPaths(inner, values.flatMap((v) => (isMapping(v) ? Object.values(v) : [])), `${path}.*`);
  }
  if (!(s instanceof z.ZodObject)) return [];
  const missing: string[] = [];
  for (const [key, child] of Object.entries(s.shape as Record<string, z.ZodType>)) {
    const childPath = path ? `${path}.${key}` : key;
    const found = values.filter(isMapping).filter((v) => key in v).map((v) => v[key]);
    if (found.length === 0) missing.push(childPath);
    else missing.push(...missingPaths(child, found, childPath));
  }
  return missing;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readmeReferenceYaml(): string {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf('## Configuration reference (`llmfin.yaml`)');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThan(0);
  return blocks.join('\n');
}

/**
 * A commented-out example in the starter config: a comment whose text, without its `# `,
 * is YAML content (`key:` or `- item`), as opposed to prose. Uncommenting removes the `# `.
 */
const EXAMPLE_LINE = /^(\s*)# ((\s*)(- |[a-z_][a-z0-9_]*:( |$)).*)$/;

/** The starter config's example blocks: runs of consecutive commented-out YAML lines. */
function exampleBlocks(lines: string[]): number[][] {
  const blocks: number[][] = [];
  let current: number[] = [];
  lines.forEach((line, i) => {
    if (EXAMPLE_LINE.test(line)) current.push(i);
    else if (current.length > 0) {
      blocks.push(current);
      current = [];
    }
  });
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function uncomment(lines: string[], indexes: number[]): string {
  const set = new Set(indexes);
  return lines.map((line, i) => (set.has(i) ? line.replace(EXAMPLE_LINE, '$1$2') : line)).join('\n');
}

describe('README configuration reference', () => {
  it('is a valid llmfin.yaml (it documents no option the schema rejects)', () => {
    expect(() => parseConfigText(readmeReferenceYaml(), 'README.md')).not.toThrow();
  });

  it('shows every option the schema accepts', () => {
    const doc: unknown = parse(readmeReferenceYaml());
    expect(missingPaths(ConfigSchema, [doc], '')).toEqual([]);
  });
});

describe('starter llmfin.yaml (llmfin init)', () => {
  const lines = STARTER_CONFIG.split('\n');

  it('has every top-level section of the schema', () => {
    const sections = lines.filter((l) => /^[a-z_]+:/.test(l)).map((l) => l.slice(0, l.indexOf(':')));
    expect(sections.sort()).toEqual(Object.keys(ConfigSchema.shape).sort());
  });

  it('parses with every example block uncommented, one at a time', () => {
    const blocks = exampleBlocks(lines);
    expect(blocks.length).toBeGreaterThan(10);
    for (const block of blocks) {
      const text = uncomment(lines, block);
      expect(() => parseConfigText(text, `llmfin.yaml (lines ${block[0]! + 1}-${block.at(-1)! + 1} uncommented)`)).not.toThrow();
    }
  });

  it('parses with all its examples uncommented, and they then set what they show', () => {
    const text = uncomment(lines, exampleBlocks(lines).flat());
    const config = parseConfigText(text, 'llmfin.yaml');
    expect(config.ledger.path).toBe('./llmfin.db');
    expect(config.pricing.discounts).toHaveLength(2);
    expect(config.pricing.custom_models[0]!.cache_read).toBe('0.12');
    expect(config.pricing.self_hosted[0]!.gpus).toBe(2);
    expect(config.pricing.catalogue).toBe('./pricing');
    expect(config.attribution.rules).toHaveLength(2);
    expect(config.attribution.dimensions).toEqual(['cost_center']);
    expect(config.attribution.shared[1]!.weights).toEqual({ search: 2, support: 1 });
    expect(config.budgets[0]!.action).toBe('block');
    expect(config.import.meters[0]!.tokens).toBe('input');
    expect(Object.keys(config.proxy.upstreams)).toEqual(['openai', 'anthropic', 'groq']);
    expect(config.proxy.keys[0]!.name).toBe('search-bot');
    expect(config.proxy.loops).toEqual({ action: 'flag', repeats: 4 });
    expect(config.proxy.retries?.max).toBe(2);
    expect(config.routing.tiers?.map((t) => t.name)).toEqual(['small', 'medium', 'large']);
    expect(config.check.groups.checkout!.max_cost_per_request).toBe('0.002');
    expect(config.check.prompts.model).toBe('gpt-4o');
  });
});
