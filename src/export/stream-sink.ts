/**
 * An export sink over a writable stream such as stdout. When the stream's buffer is
 * full (`write` returns false) it waits for 'drain', so piping a large ledger into a
 * slow reader does not pile the whole export up in memory.
 */
import { EventEmitter, once } from 'node:events';
import type { ExportSink } from './write-export.js';

/** The part of a stream the sink needs; a plain object (a test's captured output) works too. */
export interface WritableLike {
  write(chunk: string): unknown;
}

export function streamSink(stream: WritableLike): ExportSink {
  return {
    async write(text) {
      const ok = stream.write(text);
      // `once` rejects if the stream errors instead (a closed pipe), so a dead reader ends the export.
      if (ok === false && stream instanceof EventEmitter) await once(stream, 'drain');
    },
  };
}
