/**
 * `--skip-invalid`'s rejects file: one JSON line per bad row — the file, its line, the
 * column and the reason, and the text of that line of the file, so a row can be fixed
 * without opening the source beside it. The texts are read in a second pass over the file
 * once its import has run (importers hand over issues, not raw text), for up to
 * TEXT_LIMIT rejects: past that, a file is more likely the wrong source than a few bad
 * rows, and holding its rejects to add their texts would no longer be constant memory.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import type { SourceInput } from './source-input.js';
import { UsageError } from '../shared/errors.js';

/** Rejects of one file that get their line's text. */
export const TEXT_LIMIT = 10_000;
/** Characters of a line's text kept (a minified JSON export can be one long line). */
export const TEXT_CHARS = 2_000;

export interface Reject {
  line: number | undefined;
  column: string | undefined;
  reason: string;
}

export class RejectsFile {
  readonly path: string;
  readonly #fileName: string;
  #started: boolean;
  /** Rejects waiting for their texts; undefined once past TEXT_LIMIT (then written as they come). */
  #pending: Reject[] | undefined = [];

  /** `append`: an earlier file of the same command wrote its rejects to `path` (one --rejects file for several files). */
  constructor(path: string, fileName: string, append: boolean) {
    this.path = path;
    this.#fileName = fileName;
    this.#started = append;
  }

  add(reject: Reject): void {
    if (!this.#started) {
      this.#guard(() => writeFileSync(this.path, ''));
      this.#started = true;
    }
    if (this.#pending === undefined) return this.#write([reject], new Map());
    this.#pending.push(reject);
    if (this.#pending.length > TEXT_LIMIT) {
      this.#write(this.#pending, new Map());
      this.#pending = undefined;
    }
  }

  /**
   * Writes the rejects still held, each with the text of its line in the input `open`
   * returns: called only when there are such rejects, so a file without them is not opened again.
   */
  async finish(open: () => SourceInput): Promise<void> {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending === undefined || pending.length === 0) return;
    const wanted = new Set<number>();
    for (const r of pending) if (r.line !== undefined) wanted.add(r.line);
    const texts = new Map<number, string>();
    if (wanted.size > 0) {
      const last = Math.max(...wanted);
      for await (const { line, text } of open().lines()) {
        if (wanted.has(line)) texts.set(line, text.length > TEXT_CHARS ? `${text.slice(0, TEXT_CHARS)}…` : text);
        if (line >= last) break;
      }
    }
    this.#write(pending, texts);
  }

  #write(rejects: readonly Reject[], texts: ReadonlyMap<number, string>): void {
    let out = '';
    for (const r of rejects) {
      // The file each row is from: one rejects file may hold several files' rows.
      out += `${JSON.stringify({ file: this.#fileName, line: r.line ?? null, column: r.column ?? null, reason: r.reason, text: r.line === undefined ? null : (texts.get(r.line) ?? null) })}\n`;
    }
    this.#guard(() => appendFileSync(this.path, out));
  }

  /**
   * A rejects file that cannot be written (a folder, a folder that does not exist, one
   * without write access, as beside an input on a read-only mount) is the user's to fix,
   * not an internal error. Thrown while the file's rows are read, it aborts the import.
   */
  #guard(write: () => void): void {
    try {
      write();
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === undefined) throw cause;
      const why = code === 'EISDIR' ? 'it is a folder' : code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied' : code;
      throw new UsageError(`--skip-invalid: cannot write the rejected rows of ${this.#fileName} to ${this.path} (${why}); nothing was imported from ${this.#fileName}`, {
        option: '--rejects',
        hint: 'give --rejects a file in a folder you can write to',
      });
    }
  }
}
