/**
 * Turns genai-prices `match` rules into the catalogue's exact ids and anchored regexes.
 * genai-prices matches with `equals`, `starts_with`, `contains`, `ends_with`, `regex`
 * and `or`/`and`; prefix and substring rules are convenient but capture newer models
 * with other prices (issue #471), so `starts_with: X` becomes the exact id `X` plus a
 * dated-snapshot family for `X` (see snapshot-pattern.ts), never a prefix regex.
 */
import { escapeRegex } from './snapshot-pattern.js';

export interface MatchRule {
  equals?: string;
  starts_with?: string;
  ends_with?: string;
  contains?: string;
  regex?: string;
  or?: MatchRule[];
  and?: MatchRule[];
}

export interface ConvertedMatch {
  exact: string[];
  /** Family prefixes: the exact id plus its dated snapshots. */
  prefixes: string[];
  regex: string[];
  /** Rules that could not be expressed safely, for the warning log. */
  dropped: string[];
}

/**
 * `normalise` rewrites a rule value into the id shape the resolver will see (Bedrock geo
 * prefixes removed, `x-ai/` provider heads removed) or returns undefined to drop it.
 */
export function convertMatch(rule: MatchRule, normalise: (value: string) => string | undefined): ConvertedMatch {
  const out: ConvertedMatch = { exact: [], prefixes: [], regex: [], dropped: [] };
  walk(rule, normalise, out);
  out.exact = [...new Set(out.exact)];
  out.prefixes = [...new Set(out.prefixes)];
  out.regex = [...new Set(out.regex)];
  return out;
}

function walk(rule: MatchRule, normalise: (value: string) => string | undefined, out: ConvertedMatch): void {
  if (rule.or) for (const r of rule.or) walk(r, normalise, out);
  if (rule.and) out.dropped.push(`and: ${JSON.stringify(rule.and)}`);
  if (rule.equals !== undefined || rule.ends_with !== undefined) {
    const v = normalise(rule.equals ?? rule.ends_with!);
    if (v) out.exact.push(v.toLowerCase());
  }
  const family = rule.starts_with ?? rule.contains;
  if (family !== undefined) addFamily(family, normalise, out);
  if (rule.regex !== undefined) {
    const re = rule.regex;
    if (re.startsWith('^') && re.endsWith('$') && normalise(re.slice(1)) !== undefined) out.regex.push(re);
    else out.dropped.push(`regex: ${re}`);
  }
}

function addFamily(raw: string, normalise: (value: string) => string | undefined, out: ConvertedMatch): void {
  const value = normalise(raw)?.toLowerCase();
  if (!value) return;
  // Fine-tune namespaces ("ft:gpt-4o-2024-"): the suffix is an arbitrary job id, so a
  // prefix pattern is the only way to say it, and no newer base model can fall under it.
  if (value.startsWith('ft:') || value.includes('.ft-')) {
    out.regex.push(`^${escapeRegex(value)}.+$`);
    return;
  }
  // "claude-sonnet-4@" (Vertex): the resolver strips "@version" itself.
  if (value.endsWith('@')) {
    out.exact.push(value.slice(0, -1));
    return;
  }
  // "claude-sonnet-4-2025": the start of a YYYYMMDD date.
  const partialYear = /^(.*-)(\d{4})$/.exec(value);
  if (partialYear && Number(partialYear[2]) >= 2020 && Number(partialYear[2]) <= 2099) {
    out.regex.push(`^${escapeRegex(value)}\\d{4}$`);
    return;
  }
  const trimmed = value.replace(/[-._:]+$/, '');
  if (!trimmed) return;
  out.exact.push(trimmed);
  // A value that already ends in a date is one snapshot, not a family.
  if (!/-(\d{8}|\d{4}-\d{2}-\d{2})$/.test(trimmed)) out.prefixes.push(trimmed);
}
