/**
 * What a file must hold where its schema wants a list, a mapping of names or a mapping of
 * options, as YAML to write: `a list of items, each written "- name: …" with limit_usd: …
 * under it`, or as JSON in a JSON file (a baseline, a price catalogue): `[{"name": …,
 * "limit_usd": …}, …]`. zod names its own types ("expected array", "expected record"),
 * which say nothing to someone editing the file. The words are read off the schema at
 * that place (schema-at.ts), so a new option or list is described with nothing else to change.
 */
import type { z } from 'zod';
import { defOf, isOptional, schemaAt, unwrap } from './schema-at.js';

/** Options named before "…" when a mapping has many. */
const SHOWN_OPTIONS = 5;

/** The container types zod reports as `expected array`, `expected record`, `expected object`. */
export const CONTAINER_TYPES: ReadonlySet<string> = new Set(['array', 'record', 'object']);

/** How the file is written: what to write is told in its own syntax. */
export type Notation = 'yaml' | 'json';

/**
 * "expected …" for the value at `path` of `root`, or undefined when the schema there is not
 * a list or a mapping (the caller keeps its own wording then). A path ending in a list index
 * is an item of that list, which is written after its "- " (in YAML).
 */
export function expectedShape(root: z.ZodType, path: readonly PropertyKey[], notation: Notation = 'yaml'): string | undefined {
  const schema = schemaAt(root, path);
  if (schema === undefined) return undefined;
  const def = defOf(schema);
  const item = typeof path.at(-1) === 'number';
  const json = notation === 'json';
  if (def.type === 'object' && def.shape) {
    const [first, ...rest] = required(def.shape);
    const names = Object.keys(def.shape);
    const options = `${names.slice(0, SHOWN_OPTIONS).join(', ')}${names.length > SHOWN_OPTIONS ? ', …' : ''}`;
    if (item) return `expected an item written ${json ? jsonObject([first, ...rest], names) : `"- ${first}: …"${under(rest)}`} (its options: ${options})`;
    return `expected a mapping of options, written ${json ? jsonObject([first], names) : `"${first}: …" on a line of its own under it`} (options: ${options})`;
  }
  if (def.type === 'array' && def.element) {
    const element = defOf(unwrap(def.element));
    if (element.type === 'object' && element.shape) {
      const [first, ...rest] = required(element.shape);
      return json ? `expected a list, written [${jsonObject([first, ...rest], Object.keys(element.shape))}, …]` : `expected a list, each item written "- ${first}: …"${under(rest)}`;
    }
    return json ? 'expected a list, written [a, b]' : 'expected a list, each item written "- …" on a line of its own (or [a, b] on one line)';
  }
  if (def.type === 'record' && def.valueType) {
    const name = exampleKey(def.keyType);
    const value = defOf(unwrap(def.valueType));
    if (value.type === 'object' && value.shape) {
      const [first, ...rest] = required(value.shape);
      if (json) return `expected a mapping of names, each written "${name}": ${jsonObject([first, ...rest], Object.keys(value.shape))}`;
      return `expected a mapping of names, each written "${name}:" with ${first}: …${rest.length > 0 ? `, ${rest.map((k) => `${k}: …`).join(', ')}` : ''} under it`;
    }
    if (value.type === 'array') return `expected a mapping of names to lists, each written ${json ? `"${name}": [a, b]` : `"${name}: [a, b]" on a line of its own`}`;
    return `expected a mapping of names to values, each written ${json ? `"${name}": …` : `"${name}: …" on a line of its own`}`;
  }
  return undefined;
}

/** A JSON object of `keys`, each value left as "…", and "…" for the other options it may have: `{"name": …, "limit_usd": …, …}`. */
const jsonObject = (keys: readonly string[], options: readonly string[]) => `{${[...keys.map((k) => `"${k}": …`), ...(options.length > keys.length ? ['…'] : [])].join(', ')}}`;

/** A mapping's options that must be written, in the schema's order (its first option when none must). */
function required(shape: Record<string, z.ZodType>): [string, ...string[]] {
  const names = Object.keys(shape);
  const must = names.filter((k) => !isOptional(shape[k]!));
  return (must.length > 0 ? must : names.slice(0, 1)) as [string, ...string[]];
}

/** " with limit_usd: … under it" for an item's other required options. */
const under = (rest: readonly string[]) => (rest.length > 0 ? ` with ${rest.map((k) => `${k}: …`).join(', ')} under it` : '');

/** The name a record's key is written as: the first of its allowed values, else NAME. */
function exampleKey(keyType: z.ZodType | undefined): string {
  if (keyType === undefined) return 'NAME';
  const def = defOf(unwrap(keyType));
  const first = def.type === 'enum' && def.entries ? Object.values(def.entries)[0] : undefined;
  return first === undefined ? 'NAME' : String(first);
}
