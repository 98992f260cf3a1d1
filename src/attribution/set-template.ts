/**
 * A rule's `set` value with references to the groups of its /regex/ patterns: `$1`, `$12`
 * (every digit after the `$` is the number: `$10` is group ten, never group one and a "0"),
 * `${1}0` for a group followed by a digit, and `$<name>` for a named group `(?<name>…)`.
 * Any other `$` is itself. References are checked when the config loads (setProblems):
 * one that names no group would otherwise become the dimension's literal value.
 */

/** A reference to a group in a `set` value, or a `$<`/`${` that is not one (`bad`). */
export type SetReference = { text: string } & ({ number: number } | { name: string } | { bad: string });

const REFERENCE = /\$(?:(\d+)|\{(\d+)\}|<([A-Za-z_$][\w$]*)>|(<[^>]*>?|\{[^}]*\}?))/g;

export function setReferences(template: string): SetReference[] {
  return [...template.matchAll(REFERENCE)].map((m) => {
    const [text, digits, braced, name, bad] = m;
    if (digits !== undefined || braced !== undefined) return { text, number: Number(digits ?? braced) };
    if (name !== undefined) return { text, name };
    return { text, bad: bad! };
  });
}

/**
 * `template` with its references replaced by the groups of a match: `groups` numbered from
 * 1 over the rule's patterns in order, `named` by name. A reference to a group that took
 * part in no match is ''. Config validation has refused references to groups that do not exist.
 */
export function fillSet(template: string, groups: readonly string[], named: Readonly<Record<string, string>>): string {
  return template.replace(REFERENCE, (whole, digits: string | undefined, braced: string | undefined, name: string | undefined) => {
    if (digits !== undefined || braced !== undefined) return groups[Number(digits ?? braced) - 1] ?? whole;
    if (name !== undefined) return named[name] ?? whole;
    return whole;
  });
}
