/**
 * Members of a JSON text read without parsing the whole of it: a response body's or a
 * stream chunk's `usage`, `model` and `service_tier`, found by their quoted key and cut
 * out as text (json-usage.ts for whole bodies, openai-chat.ts for stream chunks). Read by
 * character codes: this runs on every response.
 */

/** True for the four characters JSON allows between tokens. */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * The balanced JSON value starting at `start` (an object, or a string closed within
 * 1024 characters), or undefined. Read by character codes, without a regular expression
 * or one-character strings: this runs on every response.
 */
export function valueAt(text: string, start: number): string | undefined {
  let i = start;
  while (isSpace(text.charCodeAt(i))) i++;
  const open = text.charCodeAt(i);
  if (open === 0x22) {
    const end = Math.min(text.length, i + 1024);
    for (let j = i + 1; j < end; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x5c) j++;
      else if (c === 0x22) return text.slice(i, j + 1);
    }
    return undefined;
  }
  if (open !== 0x7b) return undefined;
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (inString) {
      if (c === 0x5c) j++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return text.slice(i, j + 1);
  }
  return undefined;
}

/** Where the value of member `"key"` starts (after the colon), searching from the end or the start; -1 when absent. */
export function memberValue(text: string, key: string, fromEnd: boolean): number {
  const quoted = `"${key}"`;
  let at = fromEnd ? text.lastIndexOf(quoted) : text.indexOf(quoted);
  while (at !== -1) {
    let i = at + quoted.length;
    while (isSpace(text.charCodeAt(i))) i++;
    // A key, not a string value that happens to read "usage".
    if (text.charCodeAt(i) === 0x3a) return i + 1;
    at = fromEnd ? text.lastIndexOf(quoted, at - 1) : text.indexOf(quoted, at + 1);
  }
  return -1;
}
