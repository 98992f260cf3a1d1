/**
 * Finds, reads and validates `llmfin.yaml`. Precedence for the file itself:
 * `--config` > `LLMFIN_CONFIG` > `llmfin.yaml` in the working directory or a parent.
 * Every validation problem becomes a `ConfigError` that names the file, the line and
 * the option path: `llmfin.yaml:12: budgets.0.limit_usd: expected number, got string`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, defaultConfig, type Config } from './config-schema.js';
import { ConfigError } from './config-error.js';

export const CONFIG_FILE_NAME = 'llmfin.yaml';

export interface LoadedConfig {
  config: Config;
  /** The file it came from, or undefined when defaults were used. */
  path: string | undefined;
}

export interface ConfigLocation {
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The config file to read, or undefined when there is none (defaults apply). */
export function findConfigFile(location: ConfigLocation): string | undefined {
  const explicit = location.flag ?? (location.env.LLMFIN_CONFIG || undefined);
  if (explicit !== undefined) {
    const path = resolve(location.cwd, explicit);
    if (!existsSync(path)) {
      throw new ConfigError(path, undefined, 'config file not found', {
        hint: location.flag ? 'check the --config path' : 'check the LLMFIN_CONFIG environment variable',
      });
    }
    return path;
  }
  let dir = resolve(location.cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function loadConfig(location: ConfigLocation): LoadedConfig {
  const path = findConfigFile(location);
  if (path === undefined) return { config: defaultConfig(), path: undefined };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(path, undefined, `cannot read config file (${(cause as Error).message})`);
  }
  return { config: parseConfigText(text, path), path };
}

/** Parses YAML text into a validated `Config`; `file` is only used in messages. */
export function parseConfigText(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    throw new ConfigError(file, line, `not valid YAML: ${firstError.message.split('\n')[0]}`);
  }
  // An option left empty (`ledger:` with only comments under it) means "use the default".
  const raw: unknown = dropNulls(doc.toJS()) ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) {
    throw new ConfigError(file, 1, `expected a mapping of options at the top level, got ${describe(raw)}`);
  }
  const result = ConfigSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;

  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  let line: number | undefined;
  if (issue.code === 'unrecognized_keys') line = lineOfKey(doc, lineCounter, path, issue.keys[0]);
  const node = doc.getIn(path, true);
  if (line === undefined && isNode(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
  if (line === undefined) line = lineOfNearestParent(doc, lineCounter, path);
  throw new ConfigError(file, line, formatIssue(issue), { optionPath: path.join('.') });
}

function lineOfKey(doc: ReturnType<typeof parseDocument>, lc: LineCounter, parent: string[], key: string | undefined): number | undefined {
  const container = parent.length === 0 ? doc.contents : doc.getIn(parent, true);
  if (!container || key === undefined || !('items' in (container as object))) return undefined;
  for (const item of (container as { items: Array<{ key?: unknown }> }).items) {
    const k = item.key;
    if (isNode(k) && String((k as { value?: unknown }).value) === key && k.range) return lc.linePos(k.range[0]).line;
  }
  return undefined;
}

function lineOfNearestParent(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: string[]): number | undefined {
  for (let n = path.length - 1; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

function dropNulls(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => (v === null ? v : dropNulls(v)));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== null) out[k] = dropNulls(v);
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

function formatIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  switch (issue.code) {
    case 'invalid_type':
      return `${at}expected ${issue.expected}, got ${describe(issue.input)}`;
    case 'unrecognized_keys':
      return `${at}unknown option "${issue.keys.join('", "')}"`;
    case 'invalid_value':
      return `${at}expected one of ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, got ${describe(issue.input)}`;
    default:
      return `${at}${issue.message}${issue.input === undefined ? '' : `, got ${describe(issue.input)}`}`;
  }
}
