/**
 * Reads a policy for `llmfin route simulate --policy FILE`: a YAML file holding either a
 * whole llmfin.yaml (its `routing:` and `proxy.upstreams` are used) or just the routing
 * section. Problems are ConfigErrors naming the file, line and option (exit 2).
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { ConfigSchema, ProxyUpstreams, type Config } from '../config/config-schema.js';
import { RoutingSchema, type RoutingConfig } from '../config/routing-config-schema.js';
import { optionsAt, suggestOption, unknownOptionText } from '../config/option-suggestion.js';
import { describeValue, issueText } from '../config/parse-config-text.js';
import { readYamlDocument, type YamlDocument } from '../config/read-yaml-document.js';

export interface PolicyFile {
  routing: RoutingConfig;
  /** The file's own upstreams when it is a whole llmfin.yaml. */
  upstreams: Config['proxy']['upstreams'] | undefined;
}

export function loadPolicyFile(path: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(path, undefined, `cannot read the policy file (${(cause as Error).message})`);
  }
  // Read as llmfin.yaml is, so that its routing: section copied here means the same (merge
  // keys, an option left empty meaning "use the default") and its mistakes are worded alike.
  const yaml = readYamlDocument(text, path);
  const raw: unknown = yaml.value ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(path, 1, `expected a mapping: a routing section, or an llmfin.yaml with routing:, got ${describeValue(raw)}`);
  const whole = 'routing' in raw;
  if (!whole) noRoutingSection(path, yaml, Object.keys(raw));
  const section = whole ? (raw as { routing: unknown }).routing ?? {} : raw;
  const result = RoutingSchema.safeParse(section, { reportInput: true });
  if (!result.success) {
    // An unknown option first: a misspelt `models` explains the missing one beside it.
    const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
    const optionPath = [...(whole ? ['routing'] : []), ...issue.path.map(String)];
    throw new ConfigError(path, lineOfIssue(yaml, optionPath, issue), `${optionPath.join('.') || 'routing'}: ${describeIssue(issue, whole)}`, { optionPath: optionPath.join('.') });
  }
  // The file's own upstreams decide which dialect each pool speaks: read as llmfin.yaml reads
  // them (an upstream named anthropic speaks Anthropic's API), never taken as written.
  const proxy: unknown = whole ? (raw as { proxy?: unknown }).proxy : undefined;
  const upstreamsRaw = typeof proxy === 'object' && proxy !== null && !Array.isArray(proxy) ? (proxy as { upstreams?: unknown }).upstreams : undefined;
  if (upstreamsRaw === undefined) return { routing: result.data, upstreams: undefined };
  const upstreams = ProxyUpstreams.safeParse(upstreamsRaw, { reportInput: true });
  if (!upstreams.success) {
    const issue = upstreams.error.issues[0]!;
    const optionPath = ['proxy', 'upstreams', ...issue.path.map(String)];
    // Worded as llmfin.yaml words it, "did you mean" included: these are its proxy.upstreams.
    const what = issue.code === 'unrecognized_keys' ? unknownOptionText(ConfigSchema, optionPath, issue.keys) : issueText(issue, ProxyUpstreams);
    throw new ConfigError(path, lineOfIssue(yaml, optionPath, issue), `${optionPath.join('.')}: ${what}`, { optionPath: optionPath.join('.') });
  }
  return { routing: result.data, upstreams: upstreams.data };
}

/**
 * Where a routing option (`routing.tiers.0.models.groq`, as compiling a policy names it) is
 * in a YAML file: its line, and its path as the file spells it (a policy file that holds
 * the routing section at its top level has no `routing.` in front). Undefined line when the
 * file cannot be read or parsed (the path is then given as it came).
 */
export function locateOption(file: string, optionPath: string): { line: number | undefined; path: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { line: undefined, path: optionPath };
  }
  let yaml: YamlDocument;
  try {
    yaml = readYamlDocument(text, file);
  } catch {
    return { line: undefined, path: optionPath };
  }
  let segments = optionPath.split('.');
  const value = yaml.value;
  const whole = typeof value === 'object' && value !== null && 'routing' in value;
  if (segments[0] === 'routing' && !whole) segments = segments.slice(1);
  return { line: yaml.lineOf(segments), path: segments.join('.') };
}

/**
 * A file with llmfin.yaml's sections (ledger:, proxy:…) is an llmfin.yaml, not a routing
 * section at its top level: without `routing:` (or with it misspelt), say so, rather than
 * "routing: unknown option "ledger"" about a routing section the file does not have.
 */
function noRoutingSection(path: string, yaml: YamlDocument, keys: readonly string[]): void {
  const routingOptions = optionsAt(RoutingSchema, []) ?? {};
  const sections = keys.filter((k) => !Object.hasOwn(routingOptions, k) && Object.hasOwn(optionsAt(ConfigSchema, []) ?? {}, k));
  if (sections.length === 0) return;
  const misspelt = keys.find((k) => suggestOption(ConfigSchema, [], k) === 'routing');
  if (misspelt !== undefined) throw new ConfigError(path, yaml.lineOf([], misspelt), `unknown option "${misspelt}" (did you mean "routing"?)`, { optionPath: misspelt });
  throw new ConfigError(path, 1, `no routing: section in this llmfin.yaml (it has ${sections.join(', ')})`, {
    hint: 'a policy file holds tiers: at its top level, or is an llmfin.yaml with routing: { tiers: … }',
  });
}

/** The line of the option an issue is about: an unknown option's own line, as llmfin.yaml's errors give it. */
function lineOfIssue(yaml: YamlDocument, optionPath: readonly string[], issue: z.core.$ZodIssue): number | undefined {
  return yaml.lineOf(optionPath, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined);
}

/**
 * In the words llmfin.yaml's errors use, with what the file had ("expected a number less
 * than 1, got number 10"; a missing option "got nothing"), not zod's "Too big: expected number to be <1".
 */
function describeIssue(issue: z.core.$ZodIssue, whole: boolean): string {
  if (issue.code === 'unrecognized_keys') return unknownOptionText(RoutingSchema, issue.path.map(String), issue.keys, whole ? 'routing.' : '');
  return issueText(issue, RoutingSchema);
}
