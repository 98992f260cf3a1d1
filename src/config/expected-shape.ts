/**
 * What a file must hold where its schema wants a list, a mapping of names or a mapping of
 * options, as YAML to write: `a list of items, each written "- name: …" with limit_usd: …
 * under it`. zod names its own types ("expected array", "expected record"), which say
 * nothing to someone editing llmfin.yaml. The words are read off the schema at that place
 * (schema-at.ts), so a new option or list is described with nothing else to change.
 */
import type { z } from 'zod';
import { defOf, isOptional, schemaAt, unwrap } from './schema-at.js';

/** Options named before "…" when a mapping has many. */
const SHOWN_OPTIONS = 5;

/** The container types zod reports as `expected array`, `expected record`, `expected object`. */
export const CONTAINER_TYPES: ReadonlySet<string> = new Set(['array', 'record', 'object']);

/**
 * "expected …" for the value at `path` of `root`, or undefined when the schema there is not
 * a list or a mapping (the caller keeps its own wording then). A path ending in a list index
 * is an item of that list, which is written after its "- ".
 */
export function expectedShape(root: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  const schema = schemaAt(root, path);
  if (schema === undefined) return undefined;
  const def = defOf(schema);
  const item = typeof path.at(-1) === 'number';
  if (def.type === 'object' && def.shape) {
    const [first, ...rest] = required(def.shape);
    const names = Object.keys(def.shape);
    const options = `${names.slice(0, SHOWN_OPTIONS).join(', ')}${names.length > SHOWN_OPTIONS ? ', …' : ''}`;
    if (item) return `expected an item written "- ${first}: …"${under(rest)} (its options: ${options})`;
    return `expected a mapping of options, written "${first}: …" on a line of its own under it (options: ${options})`;
  }
  if (def.type === 'array' && def.element) {
    const element = defOf(unwrap(def.element));
    if (element.type === 'object' && element.shape) {
      const [first, ...rest] = required(element.shape);
      return `expected a list, each item written "- ${first}: …"${under(rest)}`;
    }
    return 'expected a list, each item written "- …" on a line of its own (or [a, b] on one line)';
  }
  if (def.type === 'record' && def.valueType) {
    const name = exampleKey(def.keyType);
    const value = defOf(unwrap(def.valueType));
    if (value.type === 'object' && value.shape) {
      const [first, ...rest] = required(value.shape);
      return `expected a mapping of names, each written "${name}:" with ${first}: …${rest.length > 0 ? `, ${rest.map((k) => `${k}: …`).join(', ')}` : ''} under it`;
    }
    if (value.type === 'array') return `expected a mapping of names to lists, each written "${name}: [a, b]" on a line of its own`;
    return `expected a mapping of names to values, each written "${name}: …" on a line of its own`;
  }
  return undefined;
}

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
