/**
 * Applies the ordered attribution rules of `llmfin.yaml` to a row's identifiers.
 * Rules are evaluated at report time over the ledger's distinct identifier
 * combinations, so editing a rule re-attributes all history without a re-import.
 *
 * For each dimension: a matching rule with `override: true` wins (first in order);
 * otherwise the value the row recorded (a proxy header, a tag, an export's label);
 * otherwise the first matching rule that sets it; otherwise `(unattributed)`.
 */
import type { AttributionRuleConfig } from '../config/config-schema.js';
import { compilePattern, patternGroups, type MatchPattern } from './match-pattern.js';
import { fillSet, setReferences } from './set-template.js';
import { fieldValue, tagsOf, type IdentifierField, type Identifiers } from './identifiers.js';
import { CATALOGUE_MODEL, isRecordedOnlyDimension, RECORDED_ONLY_ABSENT } from './recorded-only-dimensions.js';

/** Dimensions a row records in its own columns (the rest come from tags or rules). */
const RECORDED_DIMENSIONS = new Set<string>(['provider', 'source', 'account', 'model', 'project', 'api_key', 'workspace', 'user', 'customer', 'team', 'feature', 'agent', 'environment', 'trace']);

interface CompiledRule {
  index: number;
  name: string;
  override: boolean;
  matchers: Array<{ field: string; match: MatchPattern }>;
  set: Record<string, string>;
}

/** Who decided a dimension's value, for `llmfin attribute --explain`. */
export type Decision =
  | { value: string; by: 'rule'; rule: string; index: number }
  /** `absent`: the row records none, and the dimension's value for none is `value` (service_tier: standard). */
  | { value: string; by: 'recorded'; field: string; absent?: true }
  | { value: null; by: 'none' };

export class Attributor {
  readonly #rules: CompiledRule[];
  readonly #setters = new Map<string, CompiledRule[]>();

  constructor(rules: readonly AttributionRuleConfig[]) {
    this.#rules = rules.map((r, index) => ({
      index,
      name: r.name ?? `rule ${index + 1}`,
      override: r.override,
      matchers: Object.entries(r.match).map(([field, pattern]) => ({ field, match: compilePattern(pattern) })),
      set: r.set,
    }));
    for (const rule of this.#rules) {
      for (const dim of Object.keys(rule.set)) this.#setters.set(dim, [...(this.#setters.get(dim) ?? []), rule]);
    }
  }

  /** Dimensions some rule can set (custom ones like `cost_center` become reportable). */
  get ruleDimensions(): string[] {
    return [...this.#setters.keys()];
  }

  /**
   * The identifier fields needed to decide `dim`: its own column or tag and every field
   * a rule that sets it matches on. Reports group the ledger by these and nothing more.
   */
  fieldsFor(dim: string): string[] {
    if (isRecordedOnlyDimension(dim) || dim === CATALOGUE_MODEL) return [dim];
    const fields = new Set<string>(RECORDED_DIMENSIONS.has(dim) ? [dim] : [`tags.${dim}`]);
    for (const rule of this.#setters.get(dim) ?? []) for (const m of rule.matchers) fields.add(m.field);
    return [...fields];
  }

  /** The rules in config order: their 1-based number, name and the fields they match on. */
  get rules(): Array<{ number: number; name: string; fields: string[] }> {
    return this.#rules.map((r) => ({ number: r.index + 1, name: r.name, fields: r.matchers.map((m) => m.field) }));
  }

  /** Whether every pattern of rule `number` (1-based, as `rules` lists it) matches `ids`. */
  matches(number: number, ids: Identifiers): boolean {
    const rule = this.#rules[number - 1];
    return (
      rule !== undefined &&
      rule.matchers.every(({ field, match }) => {
        const value = fieldValue(ids, field);
        return value !== undefined && match(value) !== undefined;
      })
    );
  }

  /** The value of `dim` for `ids` and who decided it. */
  decide(ids: Identifiers, dim: string): Decision {
    // A report-only dimension is what the row recorded, and no rule's (the config refuses one that sets it).
    if (isRecordedOnlyDimension(dim)) {
      const recorded = fieldValue(ids, dim);
      return recorded !== undefined ? { value: recorded, by: 'recorded', field: dim } : { value: RECORDED_ONLY_ABSENT[dim], by: 'recorded', field: dim, absent: true };
    }
    if (dim === CATALOGUE_MODEL) {
      // What the pricing matched, never a rule's: a row without a price has none.
      const recorded = fieldValue(ids, dim);
      return recorded !== undefined ? { value: recorded, by: 'recorded', field: dim } : { value: null, by: 'none' };
    }
    const rules = this.#setters.get(dim) ?? [];
    for (const rule of rules) {
      if (!rule.override) continue;
      const value = this.#apply(rule, ids, dim);
      if (value !== undefined) return { value, by: 'rule', rule: rule.name, index: rule.index };
    }
    const recordedField = RECORDED_DIMENSIONS.has(dim) ? dim : `tags.${dim}`;
    const recorded = fieldValue(ids, recordedField);
    if (recorded !== undefined) return { value: recorded, by: 'recorded', field: recordedField };
    for (const rule of rules) {
      if (rule.override) continue;
      const value = this.#apply(rule, ids, dim);
      if (value !== undefined) return { value, by: 'rule', rule: rule.name, index: rule.index };
    }
    return { value: null, by: 'none' };
  }

  /** `dim`'s value, or null when nothing decides it. */
  value(ids: Identifiers, dim: string): string | null {
    return this.decide(ids, dim).value;
  }

  /** Every dimension decided for `ids`: recorded columns, tags and rule-set ones. */
  explain(ids: Identifiers, dims: readonly string[]): Array<{ dimension: string } & Decision> {
    const all = new Set([...dims, ...this.ruleDimensions, ...Object.keys(tagsOf(ids.tags))]);
    return [...all].map((dimension) => ({ dimension, ...this.decide(ids, dimension) }));
  }

  /** The rule's value for `dim` when all its patterns match, `$N` and `$<name>` filled from regex groups; never empty. */
  #apply(rule: CompiledRule, ids: Identifiers, dim: string): string | undefined {
    const groups: string[] = [];
    let named: Record<string, string> = {};
    for (const { field, match } of rule.matchers) {
      const value = fieldValue(ids, field);
      if (value === undefined) return undefined;
      const m = match(value);
      if (m === undefined) return undefined;
      groups.push(...m.groups);
      // A name is in one pattern only (setProblems), so nothing is written over.
      if (Object.keys(m.named).length > 0) named = { ...named, ...m.named };
    }
    const value = fillSet(rule.set[dim]!, groups, named);
    // An optional group that took part in no match leaves nothing: no dimension value is
    // empty (an identifier never is), so the rule does not set it and the next one may.
    return value === '' ? undefined : value;
  }
}

/**
 * What is wrong with a rule's `set` values, per dimension: a `$N` or `$<name>` that names
 * no group of the rule's /regex/ patterns (numbered over the patterns in the order they
 * are written) would otherwise become the dimension's literal value, such as a team named
 * "$1" or "$<team>", and `$10` read as `$1` and a "0" would be a wrong team without a word.
 */
export function setProblems(match: Readonly<Record<string, string>>, set: Readonly<Record<string, string>>): Array<{ dimension: string; message: string }> {
  let groups = 0;
  const names: string[] = [];
  const problems: Array<{ dimension: string; message: string }> = [];
  try {
    for (const pattern of Object.values(match)) {
      const found = patternGroups(pattern);
      groups += found.count;
      names.push(...found.names);
    }
  } catch {
    return []; // A pattern that does not compile is reported on its own.
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  for (const [dimension, template] of Object.entries(set)) {
    for (const ref of setReferences(template)) {
      const message = referenceProblem(ref, groups, names, twice);
      if (message !== undefined) {
        problems.push({ dimension, message });
        break;
      }
    }
  }
  return problems;
}

function referenceProblem(ref: ReturnType<typeof setReferences>[number], groups: number, names: readonly string[], twice: string | undefined): string | undefined {
  if ('bad' in ref) return `expected $<name> (a named group) or \${N} (a numbered one), got ${ref.text}`;
  if ('name' in ref) {
    if (!names.includes(ref.name)) {
      return names.length === 0
        ? `expected ${ref.text} to name a group (?<${ref.name}>…) of the rule's /regex/ patterns, but they have no named group`
        : `expected ${names.map((n) => `$<${n}>`).join(', ')} (the named groups of the rule's /regex/ patterns), got ${ref.text}`;
    }
    if (ref.name === twice) return `${ref.text} names a group of two of the rule's patterns; give the groups different names`;
    return undefined;
  }
  const n = ref.number;
  if (n >= 1 && n <= groups) return undefined;
  if (groups === 0) return `expected ${ref.text} to name a group of the rule's /regex/ patterns, but they have none (a glob such as sk-* has no groups: write /^sk-([a-z]+)/ to capture one)`;
  const range = groups === 1 ? '$1' : `$1 to $${groups}`;
  // `$10` in a rule of fewer than ten groups was most likely meant as group 1 and a "0".
  const first = Number(ref.text[1]);
  const split = ref.text.startsWith('${') || ref.text.length < 3 || groups > 9 || first < 1 || first > groups ? '' : `; for group ${first} followed by "${ref.text.slice(2)}", write \${${first}}${ref.text.slice(2)}`;
  return `expected ${range} (the groups of the rule's /regex/ patterns), got ${ref.text}${split}`;
}

export type { IdentifierField };
