/**
 * Whole-file JSON documents (API responses saved to disk) with line numbers: where a
 * parse failed, and on which line each object of an array starts, so that a bad row in
 * a pretty-printed array is reported at its own line rather than at line 1.
 */

export type JsonDocument = { ok: true; value: unknown } | { ok: false; line: number; message: string };

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses a JSON document; on failure, the line of the error (from V8's "position N") and why. */
export function parseJsonDocument(text: string): JsonDocument {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const at = /position (\d+)/.exec(message);
    const line = at ? lineAt(text, Number(at[1])) : /end of JSON input/.test(message) ? lineAt(text, text.length) : 1;
    // V8 quotes a slice of the input in its message; keep only the reason.
    const reason = message.replace(/,? ?".*" is not valid JSON/s, '').replace(/ in JSON at position \d+.*$/s, '').trim();
    const got = reason === '' ? 'invalid JSON' : reason.charAt(0).toLowerCase() + reason.slice(1);
    return { ok: false, line, message: `expected valid JSON, got ${got}` };
  }
}

/**
 * Lines on which the objects directly inside the document's main array start: the
 * top-level array, or the array under one key of a top-level object (`{"data": [...]}`).
 * A scan of brackets outside strings; cheap, and only used for messages.
 */
export function arrayObjectLines(text: string, key?: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let lastString = '';
  let stringStart = 0;
  // Depth at which the wanted array's elements open: 1 for a top-level array, 2 under a key.
  let elementDepth = key === undefined ? 1 : -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        lastString = text.slice(stringStart, i);
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      stringStart = i + 1;
    } else if (c === '{' || c === '[') {
      if (c === '{' && depth === elementDepth) lines.push(line);
      if (c === '[' && key !== undefined && depth === 1 && lastString === key) elementDepth = 2;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (key !== undefined && depth === 1 && elementDepth === 2) elementDepth = -1;
    }
  }
  return lines;
}
