/**
 * "did you mean …?" for an unknown option in llmfin.yaml: the known option at the same
 * place that is closest in spelling (`budget` → `budgets`, `hots` → `host`), or the place
 * where an option of that exact name lives (`upstreams` at the top → `proxy.upstreams`).
 * The names come from the zod schema itself, so a new option is suggested with no list to
 * keep in step.
 */
import type { z } from 'zod';
import { defOf, schemaAt } from './schema-at.js';

/** The options of the mapping at `path` (list indices and record keys step through), or none. */
export function optionsAt(schema: z.ZodType, path: readonly string[]): Record<string, z.ZodType> | undefined {
  const s = schemaAt(schema, path);
  if (s === undefined) return undefined;
  const def = defOf(s);
  return def.type === 'object' ? def.shape : undefined;
}

/** Edit distance with adjacent swaps (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The suggestion for unknown option `key` in the mapping at `path`, as an option path
 * relative to the file (`budgets`, `proxy.upstreams`), or undefined when nothing is close.
 */
export function suggestOption(schema: z.ZodType, path: readonly string[], key: string): string | undefined {
  const here = optionsAt(schema, path);
  if (here === undefined) return undefined;
  const norm = key.toLowerCase().replace(/-/g, '_');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const known of Object.keys(here)) {
    const d = distance(norm, known);
    // Close enough to be a slip: one edit in a short name, two in a longer one.
    if (d <= (known.length <= 4 ? 1 : 2) && d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  // The name without its unit or qualifier: `limit` for `limit_usd`.
  if (best === undefined) best = Object.keys(here).find((known) => known.startsWith(`${norm}_`));
  // The full path, list index included, as every other config error names an option (`budgets.0.limit_usd`).
  const at = path;
  if (best !== undefined) return [...at, best].join('.');
  // The right name in the wrong place: an option of a section one level down.
  for (const [section, inner] of Object.entries(here)) {
    const options = optionsAt(inner, []);
    if (options !== undefined && Object.hasOwn(options, norm)) return [...at, section, norm].join('.');
  }
  return undefined;
}

/**
 * `unknown option "x" (did you mean "y"?)` for the keys zod found at `path` of `root`: the
 * one wording of a misspelt option in llmfin.yaml, a routing policy file and the JSON
 * files users edit. `shownAs` puts what the file writes before the path (`routing.`).
 */
export function unknownOptionText(root: z.ZodType, path: readonly string[], keys: readonly string[], shownAs = ''): string {
  const suggestion = keys.length === 1 ? suggestOption(root, path, keys[0]!) : undefined;
  return `unknown option "${keys.join('", "')}"${suggestion ? ` (did you mean "${shownAs}${suggestion}"?)` : ''}`;
}
