/**
 * The zod schema at an option path of llmfin.yaml (list indices and record keys step
 * through), unwrapped of optional, default and the like: what "did you mean" suggestions
 * and the wording of a wrong value read, so that both follow the schema with no list of
 * their own to keep in step.
 */
import type { z } from 'zod';

/** Wrappers whose inner schema holds the options (optional, default, …). */
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** The parts of a zod definition these readers use. */
export interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, string | number>;
}

export const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** Whether a mapping's option may be left out (it is optional or has a default). */
export const isOptional = (schema: z.ZodType): boolean => ['optional', 'default', 'prefault'].includes(defOf(schema).type);

export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 16; i++) {
    const def = defOf(s);
    if (WRAPPERS.has(def.type) && def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
  return s;
}

/** The schema at `path`, unwrapped, or undefined when the path leaves the schema. */
export function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s = unwrap(schema);
  for (const step of path) {
    const def = defOf(s);
    if (def.type === 'object' && def.shape) {
      const next = def.shape[String(step)];
      if (next === undefined) return undefined;
      s = unwrap(next);
    } else if (def.type === 'array' && def.element) s = unwrap(def.element);
    else if (def.type === 'record' && def.valueType) s = unwrap(def.valueType);
    else return undefined;
  }
  return s;
}
