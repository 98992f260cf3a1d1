/**
 * "Did you mean …?" for a model id the catalogue does not know: the catalogue ids
 * closest to it by edit distance, so that `claude-sonet-4-5` points at
 * `claude-sonnet-4-5` instead of leaving the user to search. Only for error messages:
 * a suggestion is never used to price anything (pricing.md §6: no loose matching).
 */
import type { PriceCatalogue } from './price-catalogue.js';
import { catalogueMakers, isMakerPrefixed, withoutMaker } from './maker-prefix.js';
import { parseModelId } from './resolve-model.js';

/**
 * Edit distance where changing one digit into another costs 2, not 1: `gpt-9` is not a
 * typo of `gpt-5`, it names another model. Stops early once it exceeds `max` (returns
 * max + 1 then).
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const isDigit = (c: string) => c >= '0' && c <= '9';
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const x = a[i - 1]!;
      const y = b[j - 1]!;
      const cost = x === y ? 0 : isDigit(x) && isDigit(y) ? 2 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** "did you mean a, b or c? " for a hint, or '' when nothing is close. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const list = suggestions.length === 1 ? suggestions[0]! : `${suggestions.slice(0, -1).join(', ')} or ${suggestions.at(-1)!}`;
  return `did you mean ${list}? `;
}

/**
 * The hint for an id the catalogue does not know: "did you mean a or b? Or <next>", or
 * `next` alone (lower-case, as a sentence of its own) when nothing is close.
 */
export function unknownModelHint(catalogue: PriceCatalogue, model: string, provider: string | undefined, next: string): string {
  const close = didYouMean(suggestModels(catalogue, model, provider));
  return close === '' ? next : `${close}Or ${next}`;
}

/**
 * Up to `limit` ids nearest to `model` (within the named provider when one is given):
 * only those at the smallest distance found, ties in the catalogue's provider order (the
 * order an id without a provider is resolved in). Each is the spelling of a catalogue id
 * or alias nearest to what was typed, so it can be given back as it is. Nothing when the
 * id is known (it was refused for another reason) or nothing is within a typo or two.
 */
export function suggestModels(catalogue: PriceCatalogue, model: string, provider?: string, limit = 3): string[] {
  const parsed = parseModelId(model, provider, (p) => catalogue.canonicalProviderId(p) !== undefined);
  const wanted = parsed.id;
  if (wanted === '') return [];
  const file = parsed.provider === undefined ? undefined : catalogue.provider(parsed.provider);
  if (parsed.provider !== undefined && file === undefined) return [];
  // One typo in a short id, proportionally more in a long one: a typo or two, not the
  // five or six that turn `sonnet` into `haiku` (a quarter of a 24-character id did).
  const max = Math.max(1, Math.floor(wanted.length / 6));
  // Bedrock puts the maker in front of an id (`anthropic.claude-sonnet-4-5`) where other
  // providers and most code write it bare: with a provider named, each side is also
  // compared without its maker, so the bare id on Bedrock points at the maker's id, and
  // the maker's id elsewhere at the bare one, however far apart their spellings are.
  // (Without one, a bare id is the first-party provider's, and Bedrock's ids are noise.)
  const makers = catalogueMakers(catalogue);
  const wantedBare = withoutMaker(wanted, makers);
  let best = max;
  let found: string[] = [];
  for (const f of file === undefined ? catalogue.all() : [file]) {
    const prefixed = isMakerPrefixed(f.provider);
    const spellings = [...f.models.flatMap((m) => [m.id, ...m.match.exact]), ...f.aliases.map((a) => a.id)];
    for (const id of spellings) {
      const lower = id.toLowerCase();
      // What was typed against the spelling; and the bare id typed against a Bedrock id
      // without its maker, or a maker's id typed against another provider's bare id.
      const pairs: [string, string][] = [[wanted, lower]];
      if (file !== undefined && prefixed && wantedBare === undefined) {
        const bare = withoutMaker(lower, makers);
        if (bare !== undefined) pairs.push([wanted, bare]);
      }
      if (file !== undefined && !prefixed && wantedBare !== undefined) pairs.push([wantedBare, lower]);
      let d = best + 1;
      for (const [w, form] of pairs) {
        // The numbers in an id are its version and date: an id whose digits differ is
        // another model however close its spelling (`claude-3-7-sonnet-latest` for
        // `claude-3-5-sonnet-latest`, a TTS model for `gemini-2.5-pro-preview-06-05`), and
        // a long id's allowance of typos would otherwise reach it.
        if (digitsOf(form) !== digitsOf(w)) continue;
        const x = editDistance(w, form, Math.min(d, best));
        if (x === 0 && form === lower && w === wanted) return [];
        d = Math.min(d, x);
      }
      if (d > best) continue;
      if (d < best) [best, found] = [d, []];
      if (!found.includes(id)) found.push(id);
    }
  }
  return found.slice(0, limit);
}

/** The digits of an id, in order: `claude-3-5-sonnet-20241022` → `3520241022`. */
function digitsOf(id: string): string {
  return id.replace(/\D/g, '');
}
