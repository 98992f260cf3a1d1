/**
 * Whole-file JSON documents (API responses saved to disk) with line numbers: where a
 * parse failed, and on which line each object of an array starts, so that a bad row in
 * a pretty-printed array is reported at its own line rather than at line 1.
 */
import { InputError } from '../shared/errors.js';

export type JsonDocument = { ok: true; value: unknown } | { ok: false; line: number; message: string };

/**
 * A saved document (JSON, YAML, or a CSV past whose mistake no row can be parsed) that
 * cannot be read has no good rows: it is refused whole at its line, with --skip-invalid
 * too, where rejecting it as one row would record an empty batch and exit 0, as if the
 * file had been imported.
 */
export function unreadableDocument(fileName: string, line: number, message: string): InputError {
  return new InputError(fileName, line, message, {
    hint: 'nothing was imported from this file: --skip-invalid skips bad rows, not a file that cannot be read; fix it, or export it again if it was cut short (still being written, or copied before its end)',
  });
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The 1-based column of `position` on its line: an API page saved as `curl` gave it is one
 * line of thousands of characters, where the line alone does not find the mistake.
 */
function columnAt(text: string, position: number): number {
  return position - text.lastIndexOf('\n', position - 1);
}

/** Where a line of JSON lines that does not parse goes wrong, as " at column N" for its message. */
export function jsonLineColumn(line: string): string {
  return ` at column ${Math.min(syntaxErrorOffset(line), line.length) + 1}`;
}

/**
 * Where the comma is when the parse stopped at a `}` or `]` that follows one (`[1, 2,]`,
 * as editors and hand-written exports leave them); undefined for any other mistake.
 */
function trailingComma(text: string, position: number): number | undefined {
  const c = text[position];
  if (c !== '}' && c !== ']') return undefined;
  let i = position - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === ',' ? i : undefined;
}

/**
 * The offset of the first syntax error in `text` (its length when the text ends too soon).
 * V8 names the position for some mistakes only ("Unexpected token ']', … is not valid
 * JSON" has none), so a failed parse is scanned again here, on the error path alone.
 */
export function syntaxErrorOffset(text: string): number {
  const n = text.length;
  let i = 0;
  const fail = (): never => {
    throw new RangeError(String(i));
  };
  const ws = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  const string = () => {
    for (i++; i < n; ) {
      const c = text.charCodeAt(i);
      if (c === 34) return void i++;
      if (c < 32) fail();
      i += c === 92 ? 2 : 1;
    }
    fail();
  };
  const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '"') return string();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (close === '}') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    LITERAL.lastIndex = i;
    if (!LITERAL.test(text)) fail();
    i = LITERAL.lastIndex;
  };
  try {
    value();
    ws();
    if (i < n) fail();
  } catch (stop) {
    if (stop instanceof RangeError && /^\d+$/.test(stop.message)) return Math.min(Number(stop.message), n);
    // Nested past the stack (no real export is): the start is all that can be said.
    if (stop instanceof RangeError) return 0;
    throw stop;
  }
  return n;
}

/** Parses a JSON document; on failure, the line of the error and why. */
export function parseJsonDocument(text: string): JsonDocument {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const at = /position (\d+)/.exec(message);
    const position = at ? Number(at[1]) : syntaxErrorOffset(text);
    const comma = trailingComma(text, position);
    if (comma !== undefined) {
      return { ok: false, line: lineAt(text, comma), message: `expected valid JSON, got a trailing comma before "${text[position]}" at column ${columnAt(text, comma)}` };
    }
    // V8 quotes a slice of the input in its message, and names the position; keep only the reason.
    const reason = message.replace(/,? ?".*" is not valid JSON/s, '').replace(/ (?:in|after) JSON at position \d+.*$/s, '').trim();
    const got = reason === '' ? 'invalid JSON' : reason.charAt(0).toLowerCase() + reason.slice(1);
    return { ok: false, line: lineAt(text, position), message: `expected valid JSON, got ${got} at column ${columnAt(text, position)}` };
  }
}

/**
 * Lines on which the objects directly inside the document's main array start: the
 * top-level array, or the array under one key of a top-level object (`{"data": [...]}`).
 */
export function arrayObjectLines(text: string, key?: string): number[] {
  return objectLinesInArrays(text, (depth, arrayKey) => (key === undefined ? depth === 0 : depth === 1 && arrayKey === key));
}

/** Lines on which the objects directly inside every `"results": [...]` array start, at any depth. */
export function resultObjectLines(text: string): number[] {
  return objectLinesInArrays(text, (_depth, arrayKey) => arrayKey === 'results');
}

/**
 * Lines on which the objects directly inside the arrays `wanted` picks start, in document
 * order: `wanted` sees each array's depth (0 for a top-level one) and the key it is the
 * value of (undefined for an array element). A scan of brackets outside strings; cheap,
 * and only used for messages.
 */
function objectLinesInArrays(text: string, wanted: (depth: number, key: string | undefined) => boolean): number[] {
  const lines: number[] = [];
  // Per open bracket: whether it is a wanted array (its objects are the ones to find).
  const stack: boolean[] = [];
  let line = 1;
  let lastString = '';
  let afterKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (c === 34) {
      // A string: skip to its closing quote (JSON has no newline inside one).
      const start = i + 1;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
      lastString = text.slice(start, i);
      afterKey = false;
      continue;
    }
    if (c === 58) {
      // ':' after a string: that string was a key.
      afterKey = true;
      continue;
    }
    if (c === 123 || c === 91) {
      if (c === 123 && stack[stack.length - 1] === true) lines.push(line);
      stack.push(c === 91 && wanted(stack.length, afterKey ? lastString : undefined));
    } else if (c === 125 || c === 93) stack.pop();
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) afterKey = false;
  }
  return lines;
}
