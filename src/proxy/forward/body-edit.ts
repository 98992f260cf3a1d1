/**
 * The changes the proxy makes to a request body, made in its text: a new `model` (a
 * model prefix removed, routing, a budget's downgrade) and `stream_options.include_usage`.
 * Re-serialising the parsed body would change what the proxy does not mean to change: an
 * integer above 2^53 (a `seed`, a metadata value) comes back rounded, `1.0` as `1`, `\u00e9`
 * as `é`, and the client's spacing and duplicate keys are lost. Here every other byte is
 * the client's.
 *
 * The body has already been parsed (it is a JSON object), so the scan trusts its syntax.
 * It reads bytes, not characters: JSON's structure is ASCII, and no byte of a multi-byte
 * UTF-8 character is ASCII. Strings, most of a body, are skipped with indexOf.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const INCLUDE_USAGE = Buffer.from('"include_usage":true');
const INCLUDE_USAGE_FIRST = Buffer.from('"include_usage":true,');
const STREAM_OPTIONS_FIRST = Buffer.from('"stream_options":{"include_usage":true},');
const STREAM_OPTIONS_ONLY = Buffer.from('"stream_options":{"include_usage":true}');
const STREAM_OPTIONS_VALUE = Buffer.from('{"include_usage":true}');
const TRUE = Buffer.from('true');

export interface BodyEdit {
  /** The model to send, in place of every top-level `model`. */
  model?: string | undefined;
  /** Ask for usage on a stream: `stream_options.include_usage: true`. */
  includeUsage?: boolean | undefined;
}

/** One change: bytes [start, end) replaced by `text`. */
interface Splice {
  start: number;
  end: number;
  text: Buffer;
}

/** A member of an object: its key, and where its value starts and ends. */
interface Member {
  key: string;
  valueStart: number;
  valueEnd: number;
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(raw: Buffer, i: number): number {
  while (isSpace(raw[i])) i++;
  return i;
}

/** The index just past the string whose opening quote is at `at`. */
function stringEnd(raw: Buffer, at: number): number {
  let q = raw.indexOf(QUOTE, at + 1);
  for (;;) {
    if (q === -1) return raw.length;
    // Escaped when preceded by an odd number of backslashes.
    let b = q - 1;
    while (raw[b] === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    q = raw.indexOf(QUOTE, q + 1);
  }
}

/** The index just past the value starting at `at`. */
function valueEnd(raw: Buffer, at: number): number {
  const c = raw[at];
  if (c === QUOTE) return stringEnd(raw, at);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    for (let i = at; i < raw.length; i++) {
      const d = raw[i];
      if (d === QUOTE) i = stringEnd(raw, i) - 1;
      else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if ((d === CLOSE_BRACE || d === CLOSE_BRACKET) && --depth === 0) return i + 1;
    }
    return raw.length;
  }
  // A number, true, false or null: up to the next separator.
  let i = at;
  while (i < raw.length) {
    const d = raw[i];
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break;
    i++;
  }
  return i;
}

/** The key of the string at [start, end): read as it is, decoded only when it has an escape. */
function keyText(raw: Buffer, start: number, end: number): string {
  const slice = raw.subarray(start, end);
  return slice.includes(BACKSLASH) ? (JSON.parse(slice.toString('utf8')) as string) : raw.toString('latin1', start + 1, end - 1);
}

/** The members of the object whose opening brace is at `open` named in `keys`, in order. */
function members(raw: Buffer, open: number, keys: ReadonlySet<string>): Member[] {
  const out: Member[] = [];
  let i = skipSpace(raw, open + 1);
  while (i < raw.length && raw[i] === QUOTE) {
    const keyEnd = stringEnd(raw, i);
    const key = keyText(raw, i, keyEnd);
    i = skipSpace(raw, keyEnd);
    if (raw[i] !== COLON) break;
    const start = skipSpace(raw, i + 1);
    const end = valueEnd(raw, start);
    if (keys.has(key)) out.push({ key, valueStart: start, valueEnd: end });
    i = skipSpace(raw, end);
    if (raw[i] !== COMMA) break;
    i = skipSpace(raw, i + 1);
  }
  return out;
}

/** True when the object whose opening brace is at `open` has no members. */
function isEmptyObject(raw: Buffer, open: number): boolean {
  return raw[skipSpace(raw, open + 1)] === CLOSE_BRACE;
}

const TOP_KEYS: ReadonlySet<string> = new Set(['model', 'stream_options']);
const OPTION_KEYS: ReadonlySet<string> = new Set(['include_usage']);

/** The body with `edit` made; `raw` itself when there is nothing to change. */
export function editBody(raw: Buffer, edit: BodyEdit): Buffer {
  if (edit.model === undefined && edit.includeUsage !== true) return raw;
  const open = skipSpace(raw, 0);
  const splices: Splice[] = [];
  let streamOptions = false;
  for (const m of members(raw, open, TOP_KEYS)) {
    if (m.key === 'model') {
      if (edit.model !== undefined) splices.push({ start: m.valueStart, end: m.valueEnd, text: Buffer.from(JSON.stringify(edit.model)) });
    } else if (edit.includeUsage === true) {
      streamOptions = true;
      splices.push(includeUsage(raw, m));
    }
  }
  if (edit.includeUsage === true && !streamOptions) {
    splices.unshift({ start: open + 1, end: open + 1, text: isEmptyObject(raw, open) ? STREAM_OPTIONS_ONLY : STREAM_OPTIONS_FIRST });
  }
  if (splices.length === 0) return raw;
  const parts: Buffer[] = [];
  let at = 0;
  for (const s of splices) {
    parts.push(raw.subarray(at, s.start), s.text);
    at = s.end;
  }
  parts.push(raw.subarray(at));
  return Buffer.concat(parts);
}

/** `include_usage: true` in a `stream_options` value: set in the object it is, or the value replaced when it is not an object. */
function includeUsage(raw: Buffer, m: Member): Splice {
  if (raw[m.valueStart] !== OPEN_BRACE) return { start: m.valueStart, end: m.valueEnd, text: STREAM_OPTIONS_VALUE };
  const inner = members(raw, m.valueStart, OPTION_KEYS);
  const last = inner.at(-1);
  if (last !== undefined) return { start: last.valueStart, end: last.valueEnd, text: TRUE };
  const at = m.valueStart + 1;
  return { start: at, end: at, text: isEmptyObject(raw, m.valueStart) ? INCLUDE_USAGE : INCLUDE_USAGE_FIRST };
}
