/**
 * Checks a catalogue file against the catalogue schema, for a folder other than the bundled
 * one (written by `llmfin pricing update`, which a user may then edit by hand: a price, a
 * match): a mistake is told at its line with what to write there (json-file-issue.ts), not
 * in zod's words. Imported only for such a folder, so that zod stays off the start-up path
 * of a command priced from the bundled catalogue.
 */
import { jsonFileIssue, type JsonFileIssue } from '../config/json-file-issue.js';
import { CatalogueManifest, ProviderFile } from './catalogue-schema.js';

const SCHEMAS = { manifest: CatalogueManifest, provider: ProviderFile } as const;

/** Which schema a catalogue file is read with: its manifest.json, or a provider's file. */
export type CatalogueFileKind = keyof typeof SCHEMAS;

/** The file's value as the schema reads it, or its first mistake, placed in `text`. */
export function checkCatalogueFile(kind: CatalogueFileKind, text: string, raw: unknown): { ok: true; value: unknown } | ({ ok: false } & JsonFileIssue) {
  const schema = SCHEMAS[kind];
  const result = schema.safeParse(raw, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, ...jsonFileIssue(text, schema, result.error.issues) };
}
