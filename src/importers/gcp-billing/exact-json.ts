/**
 * A JSON parser that keeps every number as the text the file wrote ("0.0384", "1.2E-5"):
 * BigQuery writes cost and credit amounts as JSON numbers, and `JSON.parse` would turn
 * them into binary floats before we could read them as exact decimals.
 */

/** A JSON number as written. */
export class JsonNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

/** A syntax error with the character offset where parsing stopped. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** Deep enough for any billing row; a hostile "[[[[…" stops here instead of exhausting the stack. */
const MAX_DEPTH = 64;

/** Parses one JSON document; for a top-level array, `offsets` (when given) receives each element's start. */
export function parseExactJson(text: string, offsets?: number[]): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`expected ${what} at character ${i + 1}, got ${i < text.length ? JSON.stringify(text[i]) : 'the end of the text'}`, i);
  };
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('a closing quote');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail('a valid string');
    }
  };
  const value = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail(`at most ${MAX_DEPTH} levels of nesting`);
    space();
    const c = text[i];
    if (c === '"') return string();
    if (c === '{') {
      i++;
      const out: { [key: string]: JsonValue } = {};
      space();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail('a property name');
        const key = string();
        space();
        if (text[i] !== ':') fail('":"');
        i++;
        out[key] = value(depth + 1);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return out;
        } else fail('"," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const out: JsonValue[] = [];
      space();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        space();
        if (depth === 0) offsets?.push(i);
        out.push(value(depth + 1));
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return out;
        } else fail('"," or "]"');
      }
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail('a JSON value');
    i += m[0].length;
    return new JsonNumber(m[0]);
  };
  const result = value(0);
  space();
  if (i < text.length) fail('the end of the JSON value');
  return result;
}

/** The 1-based line of a character offset, counting from `from` (at line `line`) for successive offsets. */
export function lineAt(text: string, offset: number, from = 0, line = 1): number {
  for (let k = from; k < offset && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}
