/**
 * Reading and writing the baseline file. Writes are atomic (a temporary file in the
 * same folder, then a rename) so that an interrupted CI job never leaves half a
 * baseline, and deterministic (keys sorted at every level, two-space indent, final
 * newline) so that saving the same run twice gives the same bytes.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { jsonFileIssue } from '../config/json-file-issue.js';
import { parseJsonDocument } from '../importers/json-document.js';
import { InputError } from '../shared/errors.js';
import { BASELINE_KIND, BASELINE_SCHEMA_VERSION, BaselineFile } from './baseline-schema.js';

const EXPECTED = `a baseline written by \`llmfin baseline save\` (JSON with "kind": "${BASELINE_KIND}", "schema_version": ${BASELINE_SCHEMA_VERSION})`;

/** Reads and validates a baseline; every problem is an InputError naming the file (exit 2). */
export function readBaseline(path: string): BaselineFile {
  if (!existsSync(path)) {
    throw new InputError(path, undefined, `no such baseline file; expected ${EXPECTED}`, {
      hint: 'record a run and write one with `llmfin baseline save --out FILE`, then commit it',
    });
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    // A folder, or a file this user may not read: say which, not "not valid JSON".
    const code = (cause as NodeJS.ErrnoException).code;
    const what = code === 'EISDIR' ? 'a directory, not a baseline file' : `cannot be read (${code ?? (cause as Error).message})`;
    throw new InputError(path, undefined, `${what}; expected ${EXPECTED}`, { cause });
  }
  // Two common ways a committed baseline breaks, named as such rather than as a JSON parse error.
  if (text.trim() === '') {
    throw new InputError(path, undefined, `is empty; expected ${EXPECTED}`, { hint: 'save it again with `llmfin baseline save --out FILE` (and check that the job writing it did not fail)' });
  }
  if (/^(<{7}|={7}|>{7})( |$)/m.test(text)) {
    throw new InputError(path, undefined, `holds git merge conflict markers (<<<<<<< … >>>>>>>); expected ${EXPECTED}`, {
      hint: `keep one side (\`git checkout --theirs ${basename(path)}\`) or delete the file, then save it again with \`llmfin baseline save\``,
    });
  }
  // A hand edit (a dropped comma in a 2,000-line baseline) is found by its line and column, not a character offset.
  const doc = parseJsonDocument(text);
  if (!doc.ok) throw new InputError(path, doc.line, doc.message, { hint: 'fix it there, or save it again with `llmfin baseline save`' });
  const raw = doc.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || (raw as { kind?: unknown }).kind !== BASELINE_KIND) {
    throw new InputError(path, undefined, `not an llmfin baseline; expected ${EXPECTED}`);
  }
  const version = (raw as { schema_version?: unknown }).schema_version;
  if (typeof version === 'number' && version > BASELINE_SCHEMA_VERSION) {
    throw new InputError(path, undefined, `baseline schema_version ${version} is newer than this llmfin reads (${BASELINE_SCHEMA_VERSION})`, {
      hint: 'upgrade llmfin, or save the baseline again with this version',
    });
  }
  const parsed = BaselineFile.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    // A hand edit: at its line, with what to write there (zod's "expected object" says neither).
    const issue = jsonFileIssue(text, BaselineFile, parsed.error.issues);
    throw new InputError(path, issue.line, issue.message, { hint: 'fix it there, or save it again with `llmfin baseline save`' });
  }
  return parsed.data;
}

/** Reads a baseline if the file exists and is one, else undefined (for updating one section). */
export function readBaselineIfAny(path: string): BaselineFile | undefined {
  if (!existsSync(path)) return undefined;
  if (statSync(path).isDirectory()) throw new InputError(path, undefined, 'a directory, not a file to write the baseline to', { hint: 'give --out a file name, such as llmfin.baseline.json' });
  // An empty file (created by hand, or by a job that failed before writing) has no section to keep.
  if (statSync(path).isFile() && readFileSync(path, 'utf8').trim() === '') return undefined;
  try {
    return readBaseline(path);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // The reader's hints say "save it again", which is what failed: a save keeps the other
    // section from the file, so it will not replace one it cannot read; say how out of it.
    const problem = error.message.slice(`${error.file}${error.line === undefined ? '' : `:${error.line}`}: `.length);
    throw new InputError(error.file, error.line, `${problem}; \`baseline save\` keeps the section it does not write from the file already there, so it does not replace one it cannot read`, {
      cause: error,
      hint: 'fix the file, or delete it and save again (its other section is then lost), or write elsewhere with --out',
    });
  }
}

/** JSON with object keys sorted at every level; arrays keep their (already sorted) order. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** Writes the baseline atomically. */
export function writeBaseline(path: string, baseline: BaselineFile): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, stableJson(baseline));
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    // A folder that does not exist or cannot be written is the user's to fix (exit 2).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR' || code === 'EROFS') {
      throw new InputError(path, undefined, `cannot write the baseline (${code})`, { cause: error, hint: 'check that its folder exists and is writable' });
    }
    throw error;
  }
}
