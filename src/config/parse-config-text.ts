/**
 * Parses `llmfin.yaml` text with the zod schema and turns the first problem into a
 * `ConfigError` that names the line and option path:
 * `llmfin.yaml:12: budgets.0.limit_usd: expected number, got string "ten"`.
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './config-schema.js';
import { ConfigError } from './config-error.js';
import { suggestOption } from './option-suggestion.js';

/** Parses YAML text into a validated `Config`; `file` is only used in messages. */
export function parseConfigText(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *shared`) as most YAML users know them, though YAML 1.2 dropped them.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    // The yaml library's own advice for several documents names one of its functions.
    const message = firstError.code === 'MULTIPLE_DOCS' ? 'expected one YAML document, found another after a "---" line' : firstError.message.split('\n')[0];
    throw new ConfigError(file, line, `not valid YAML: ${message}`);
  }
  // An option left empty (`ledger:` with only comments under it) means "use the default".
  // It is read as absent, not deleted: an unknown option left empty is still reported, and
  // so is an empty value where one is required (`scope: { team: }` is not the whole org).
  let js: unknown;
  try {
    js = doc.toJS();
  } catch (error) {
    // Anchors and aliases that expand past the yaml library's limit (a "billion laughs").
    throw new ConfigError(file, 1, `not valid YAML: ${(error as Error).message}`);
  }
  const raw: unknown = emptyAsAbsent(js) ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) {
    throw new ConfigError(file, 1, `expected a mapping of options at the top level, got ${describe(raw)}`);
  }
  const result = ConfigSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;

  // An unknown option first: a misspelt `limit` explains the missing `limit_usd` beside it.
  const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
  const path = issue.path.map(String);
  let line: number | undefined;
  if (issue.code === 'unrecognized_keys') line = lineOfKey(doc, lineCounter, path, issue.keys[0]);
  const node = doc.getIn(path, true);
  if (line === undefined && isNode(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
  if (line === undefined) line = lineOfNearestParent(doc, lineCounter, path);
  throw new ConfigError(file, line, formatIssue(issue), { optionPath: path.join('.') });
}

function lineOfKey(doc: Document, lc: LineCounter, parent: string[], key: string | undefined): number | undefined {
  const container = parent.length === 0 ? doc.contents : doc.getIn(parent, true);
  if (!container || key === undefined || !('items' in (container as object))) return undefined;
  for (const item of (container as { items: Array<{ key?: unknown }> }).items) {
    const k = item.key;
    if (isNode(k) && String((k as { value?: unknown }).value) === key && k.range) return lc.linePos(k.range[0]).line;
  }
  return undefined;
}

function lineOfNearestParent(doc: Document, lc: LineCounter, path: string[]): number | undefined {
  for (let n = path.length - 1; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

/** An option left empty (null in YAML) as absent, at every depth: it means "use the default". */
export function emptyAsAbsent(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => (v === null ? v : emptyAsAbsent(v)));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = emptyAsAbsent(v);
    return out;
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
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
  if (issue.code === 'unrecognized_keys') {
    const suggestion = issue.keys.length === 1 ? suggestOption(ConfigSchema, issue.path.map(String), issue.keys[0]!) : undefined;
    return `${at}unknown option "${issue.keys.join('", "')}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  }
  return `${at}${issueText(issue)}`;
}

/**
 * What is wrong with one value, in words, with what the file had: "expected a number less
 * than 1, got number 10". Without the option path, which the caller puts in front as its
 * file spells it (a routing policy file may hold the routing section at its top level).
 * Unknown options are the caller's to word: their suggestions depend on its schema.
 */
export function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      // YAML reads `customer: 12345` or `enabled: yes`-style values as numbers and booleans: say how to write text.
      const quote = issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean') ? ` (quote it to make it text: "${String(issue.input)}")` : '';
      return `expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}, got ${describe(issue.input)}${quote}`;
    }
    case 'too_small':
    case 'too_big': {
      // zod's own wording ("Too small: expected number to be >0"); a message the schema chose is kept.
      const bound = /^Too (small|big)\b/.test(issue.message) ? boundText(issue) : undefined;
      return `${bound ?? issue.message}, got ${describe(issue.input)}`;
    }
    case 'invalid_key':
      // A user-chosen name (an upstream's) that is not allowed: the rule it broke.
      return `${issue.issues[0]?.message ?? issue.message}, got ${describe(issue.path.at(-1))}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, got ${describe(issue.input)}`;
    case 'invalid_union': {
      // A decimal or a percentage may be written as a number or as text.
      const expected = issue.errors.map((branch) => (branch.length === 1 && branch[0]!.code === 'invalid_type' ? branch[0]!.expected : undefined));
      if (expected.every((e) => e !== undefined)) return `expected ${expected.join(' or ')}, got ${describe(issue.input)}`;
      return `${issue.message}, got ${describe(issue.input)}`;
    }
    case 'invalid_format':
      if (issue.format === 'url') return `expected a URL such as https://api.example.com, got ${describe(issue.input)}`;
      return `${issue.message}, got ${describe(issue.input)}`;
    case 'custom':
      // A rule over a whole mapping (throttle_rpm with action: throttle) was given the
      // mapping, which "got a mapping" would only confuse; a rule over one value names it.
      return typeof issue.input === 'object' && issue.input !== null ? issue.message : `${issue.message}${issue.input === undefined ? '' : `, got ${describe(issue.input)}`}`;
    default:
      return `${issue.message}${issue.input === undefined ? '' : `, got ${describe(issue.input)}`}`;
  }
}
