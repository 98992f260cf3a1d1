/**
 * A rule's pattern for one field: a glob (`sk-team-a-*`, `gpt-4o?`), or a regular
 * expression written `/…/flags`. Globs match the whole value and are case-sensitive, as
 * identifiers are; a regex matches anywhere unless anchored, and its groups can be used
 * in the rule's `set` values as `$1`, `$2`….
 */
export type MatchPattern = (value: string) => readonly string[] | undefined;

/** Thrown for a regex that does not compile, with the reason; config validation reports it. */
export class PatternError extends Error {
  override readonly name = 'PatternError';
}

export function compilePattern(pattern: string): MatchPattern {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  let re: RegExp;
  if (regex) {
    try {
      re = new RegExp(regex[1]!, regex[2]!.replace('g', ''));
    } catch (error) {
      throw new PatternError(`expected a valid regular expression, got ${pattern} (${(error as Error).message})`);
    }
  } else {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 's');
  }
  return (value) => {
    const m = re.exec(value);
    return m ? m.slice(1).map((g) => g ?? '') : undefined;
  };
}
