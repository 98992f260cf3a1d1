/**
 * A rule's pattern for one field: a glob (`sk-team-a-*`, `gpt-4o?`), or a regular
 * expression written `/…/flags`. Globs match the whole value and are case-sensitive, as
 * identifiers are; a regex matches anywhere unless anchored, and its groups can be used
 * in the rule's `set` values as `$1`, `$2`… and `$<name>` (set-template.ts).
 */
export type MatchPattern = (value: string) => PatternMatch | undefined;

/** A match's groups ('' for one that took part in no match): numbered in order, and the named ones by name. */
export interface PatternMatch {
  groups: readonly string[];
  named: Readonly<Record<string, string>>;
}

const NO_NAMES: Readonly<Record<string, string>> = Object.freeze({});

/** Thrown for a regex that does not compile, with the reason; config validation reports it. */
export class PatternError extends Error {
  override readonly name = 'PatternError';
}

/** `/…/` with letters after it that are not all lowercase flags: a regex mistyped (`/x/I`), never meant as a glob. */
const MISTYPED_FLAGS = /^\/.*\/[A-Za-z]*[A-Z][A-Za-z]*$/s;

export function compilePattern(pattern: string): MatchPattern {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (!regex && MISTYPED_FLAGS.test(pattern)) {
    throw new PatternError(`expected a regular expression's flags in lowercase (/…/i), got ${pattern}`);
  }
  let re: RegExp;
  if (regex) {
    try {
      re = new RegExp(regex[1]!, regex[2]!.replaceAll('g', ''));
    } catch (error) {
      throw new PatternError(`expected a valid regular expression, got ${pattern} (${(error as Error).message})`);
    }
  } else {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 's');
  }
  return (value) => {
    // A sticky (`y`) regex starts where its last match ended: each value starts at 0.
    re.lastIndex = 0;
    const m = re.exec(value);
    if (!m) return undefined;
    const named = m.groups ? Object.fromEntries(Object.entries(m.groups).map(([k, g]) => [k, g ?? ''])) : NO_NAMES;
    return { groups: m.slice(1).map((g) => g ?? ''), named };
  };
}

/** The capturing groups a pattern has, for `$N` and `$<name>` in a rule's `set`: none for a glob. */
export function patternGroups(pattern: string): { count: number; names: string[] } {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (!regex) return { count: 0, names: [] };
  // An empty alternative matches '' whatever the pattern, so every group shows in the result.
  const m = new RegExp(`${regex[1]!}|`, regex[2]!.replaceAll('g', '').replaceAll('y', '')).exec('')!;
  return { count: m.length - 1, names: Object.keys(m.groups ?? {}) };
}
