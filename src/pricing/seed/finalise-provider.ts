/**
 * Last pass over one provider's models before they are written: `-latest` spellings
 * become aliases, every exact id is claimed by one model only (case-insensitive), and
 * no model's regex matches another model's exact id or an alias (the regex gets a
 * negative lookahead for those ids). These are the invariants the resolver relies on
 * and the catalogue tests check.
 */
import type { Alias, Model } from '../catalogue-schema.js';
import { excludeFromRegex } from './snapshot-pattern.js';
import type { WarningLog } from './warning-log.js';

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function finaliseProvider(provider: string, input: Model[], extraAliases: Alias[], warnings: WarningLog): { models: Model[]; aliases: Alias[] } {
  const models = [...input].sort((a, b) => byCodePoint(a.id.toLowerCase(), b.id.toLowerCase()) || byCodePoint(a.id, b.id));
  const aliases: Alias[] = [...extraAliases];

  // Canonical ids first: two models with one id (case-insensitive) cannot both stay.
  const owner = new Map<string, Model>();
  const kept: Model[] = [];
  for (const m of models) {
    const id = m.id.toLowerCase();
    const other = owner.get(id);
    if (other) {
      warnings.add(`duplicate: ${provider}/${m.id} has the same id as ${provider}/${other.id}; dropped`);
      continue;
    }
    owner.set(id, m);
    kept.push(m);
  }

  // "-latest" spellings are moving names: aliases of the model that owns them today.
  for (const m of kept) {
    const latest = m.match.exact.filter((e) => e !== m.id.toLowerCase() && /-latest$/.test(e));
    m.match.exact = m.match.exact.filter((e) => !latest.includes(e));
    for (const e of latest) aliases.push({ id: e, target: m.id, from: null, to: null });
  }

  // Other exact ids: first claim wins (canonical ids already own themselves).
  for (const m of kept) {
    m.match.exact = m.match.exact.filter((e, i) => {
      if (i === 0) return true;
      const o = owner.get(e);
      if (o && o !== m) {
        if (o.id.toLowerCase() !== e) warnings.add(`shared id: "${e}" is claimed by ${provider}/${o.id} and ${provider}/${m.id}; kept on ${o.id}`);
        return false;
      }
      owner.set(e, m);
      return true;
    });
  }

  // Aliases: one per id, never shadowing an exact id, always pointing at a kept model.
  const modelIds = new Set(kept.map((m) => m.id));
  const seen = new Set<string>();
  const finalAliases = aliases
    .sort((a, b) => byCodePoint(a.id, b.id) || byCodePoint(a.target, b.target))
    .filter((a) => {
      if (seen.has(a.id) || owner.has(a.id) || !modelIds.has(a.target)) return false;
      seen.add(a.id);
      return true;
    });

  // Regexes must not claim another model's exact id or an alias.
  const allExact = kept.flatMap((m) => m.match.exact.map((e) => ({ e, m })));
  for (const m of kept) {
    if (!m.match.regex) continue;
    m.match.regex = m.match.regex.map((r) => {
      const re = new RegExp(r, 'i');
      const foreign = [...allExact.filter((x) => x.m !== m).map((x) => x.e), ...finalAliases.map((a) => a.id)].filter((e) => re.test(e));
      return excludeFromRegex(r, foreign);
    });
  }
  return { models: kept, aliases: finalAliases };
}
