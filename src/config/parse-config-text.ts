/**
 * Parses `llmfin.yaml` text with the zod schema and turns the first problem into a
 * `ConfigError` that names the line and option path:
 * `llmfin.yaml:12: budgets.0.limit_usd: expected number, got string "ten"`.
 */
import type { z } from 'zod';
import { ConfigSchema, type Config } from './config-schema.js';
import { ConfigError } from './config-error.js';
import { CONTAINER_TYPES, expectedShape, type Notation } from './expected-shape.js';
import { unknownOptionText } from './option-suggestion.js';
import { readYamlDocument } from './read-yaml-document.js';

/** Parses YAML text into a validated `Config`; `file` is only used in messages. */
export function parseConfigText(text: string, file: string): Config {
  const yaml = readYamlDocument(text, file);
  const raw: unknown = yaml.value ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) {
    throw new ConfigError(file, 1, `expected a mapping of options at the top level, got ${describeValue(raw)}`);
  }
  const result = ConfigSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;

  // An unknown option first: a misspelt `limit` explains the missing `limit_usd` beside it.
  const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
  const path = issue.path.map(String);
  const line = yaml.lineOf(path, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
  throw new ConfigError(file, line, formatIssue(issue), { optionPath: path.join('.') });
}

/** A value as an error names what the file had: `string "ten"`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  // YAML's explicit tags make objects that are not mappings: name them as the file wrote them.
  if (value instanceof Uint8Array) return `binary data (a !!binary value of ${value.length} bytes)`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'a date (!!timestamp)' : `a date (!!timestamp ${value.toISOString()})`;
  if (value instanceof Set) return 'a set (!!set)';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${String(value)}`;
}

/** A number, text or list out of its range, in words: "expected a number greater than 0". */
function boundText(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string | undefined {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'number' || issue.origin === 'int') {
    const words = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
    return `expected a number ${words} ${limit}`;
  }
  if (issue.origin === 'string') {
    if (small && limit === 1) return 'expected a non-empty text';
    return `expected a text of ${small ? 'at least' : 'at most'} ${limit} characters`;
  }
  if (issue.origin === 'array') return `expected ${small ? 'at least' : 'at most'} ${limit} ${limit === 1 ? 'item' : 'items'}`;
  return undefined;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') return `${at}${unknownOptionText(ConfigSchema, issue.path.map(String), issue.keys)}`;
  return `${at}${issueText(issue, ConfigSchema)}`;
}

/**
 * What is wrong with one value, in words, with what the file had: "expected a number less
 * than 1, got number 10". Without the option path, which the caller puts in front as its
 * file spells it (a routing policy file may hold the routing section at its top level).
 * `root`, the schema the issue's path starts from, words a wrong list or mapping as what
 * to write there, in the file's `notation`. Unknown options are the caller's to word: their
 * suggestions depend on its schema.
 */
export function issueText(issue: z.core.$ZodIssue, root?: z.ZodType, notation: Notation = 'yaml'): string {
  switch (issue.code) {
    case 'invalid_type': {
      // A list or a mapping: what to write there, from the schema, not zod's "expected record".
      const shape = root !== undefined && CONTAINER_TYPES.has(issue.expected) ? expectedShape(root, issue.path, notation) : undefined;
      if (shape !== undefined) return `${shape}, got ${describeValue(issue.input)}`;
      // YAML reads `customer: 12345` or `enabled: yes`-style values as numbers and booleans: say how to write text.
      const quote = issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean') ? ` (quote it to make it text: "${String(issue.input)}")` : '';
      // YAML's .inf and .nan, or a number past the largest one (1e400), are numbers zod refuses: "expected number, got number" would contradict itself.
      const finite = issue.expected === 'number' && typeof issue.input === 'number' ? 'a finite number' : undefined;
      return `expected ${finite ?? (issue.expected === 'int' ? 'a whole number' : issue.expected)}, got ${describeValue(issue.input)}${quote}`;
    }
    case 'too_small':
    case 'too_big': {
      // zod's own wording ("Too small: expected number to be >0"); a message the schema chose is kept.
      const bound = /^Too (small|big)\b/.test(issue.message) ? boundText(issue) : undefined;
      return `${bound ?? issue.message}, got ${describeValue(issue.input)}`;
    }
    case 'invalid_key':
      // A user-chosen name (an upstream's) that is not allowed: the rule it broke.
      return `${issue.issues[0]?.message ?? issue.message}, got ${describeValue(issue.path.at(-1))}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, got ${describeValue(issue.input)}`;
    case 'invalid_union': {
      // A decimal or a percentage may be written as a number or as text.
      const expected = issue.errors.map((branch) => (branch.length === 1 && branch[0]!.code === 'invalid_type' ? branch[0]!.expected : undefined));
      if (expected.every((e) => e !== undefined)) return `expected ${expected.join(' or ')}, got ${describeValue(issue.input)}`;
      return `${issue.message}, got ${describeValue(issue.input)}`;
    }
    case 'invalid_format':
      if (issue.format === 'url') return `expected a URL such as https://api.example.com, got ${describeValue(issue.input)}`;
      return `${issue.message}, got ${describeValue(issue.input)}`;
    case 'custom':
      // A rule over a whole mapping (throttle_rpm with action: throttle) was given the
      // mapping, which "got a mapping" would only confuse; a rule over one value names it.
      return typeof issue.input === 'object' && issue.input !== null ? issue.message : `${issue.message}${issue.input === undefined ? '' : `, got ${describeValue(issue.input)}`}`;
    default:
      return `${issue.message}${issue.input === undefined ? '' : `, got ${describeValue(issue.input)}`}`;
  }
}
