/**
 * What the scorer reads of a request: a bounded window of the latest user turn (its
 * head and a short tail, where the question after a pasted document usually is), the
 * counts of one pass over that window, and the conversation state the caller already
 * knows. Building it costs the same for a 200-character prompt and a 128k one.
 */

/** The text and state of a request, as the proxy or a command extracted it. */
export interface RouteText {
  /** The latest user turn (or the whole prompt). Only `scanChars` of it are read. */
  prompt: string;
  /** The latest user turn's full length when `prompt` holds only part of it. */
  promptChars?: number | undefined;
  /** Characters in the whole conversation, when known (default: the prompt's). */
  contextChars?: number | undefined;
  /** Messages in the conversation so far, the latest included (default 1). */
  turns?: number | undefined;
  /** Tool results in the conversation that reported an error. */
  toolErrors?: number | undefined;
  /** Repeated identical tool calls or user turns (an agent going round in circles). */
  repeats?: number | undefined;
  /** The request's max_tokens / max_output_tokens, when set. */
  maxTokens?: number | undefined;
}

export interface PromptView {
  /** The first `scanChars` characters of the prompt (counted char by char). */
  readonly head: string;
  /** The first `KEYWORD_CHARS` of the head: what keyword patterns read (regexes cost ~10x a char pass). */
  readonly lead: string;
  /** The last characters of a prompt longer than the head ('' otherwise). */
  readonly tail: string;
  /** The whole prompt's length in characters. */
  readonly chars: number;
  readonly contextChars: number;
  readonly digits: number;
  /** + - * / = ^ % < > outside words. */
  readonly operators: number;
  readonly newlines: number;
  /** Runs of three backticks (fenced blocks open and close). */
  readonly fences: number;
  readonly braces: number;
  readonly semicolons: number;
  readonly questionMarks: number;
  /** Lines that start with `1.`, `2)`, `-` or `*`. */
  readonly listItems: number;
  readonly turns: number;
  readonly toolErrors: number;
  readonly repeats: number;
  readonly maxTokens: number;
}

/** Characters of the tail read besides the head. */
export const TAIL_CHARS = 256;
/** Characters of the head that keyword patterns read. */
export const KEYWORD_CHARS = 1024;

export function buildPromptView(text: RouteText, scanChars: number): PromptView {
  const prompt = text.prompt;
  const chars = Math.max(prompt.length, text.promptChars ?? 0);
  const n = prompt.length;
  const head = n > scanChars ? prompt.slice(0, scanChars) : prompt;
  const tail = n > scanChars ? prompt.slice(Math.max(scanChars, n - TAIL_CHARS)) : '';
  const counts = { digits: 0, operators: 0, newlines: 0, fences: 0, braces: 0, semicolons: 0, questionMarks: 0, listItems: 0 };
  countChars(head, counts);
  if (tail) countChars(tail, counts);
  return {
    head,
    lead: head.length > KEYWORD_CHARS ? head.slice(0, KEYWORD_CHARS) : head,
    tail,
    chars,
    contextChars: Math.max(chars, text.contextChars ?? 0),
    ...counts,
    turns: Math.max(1, text.turns ?? 1),
    toolErrors: Math.max(0, text.toolErrors ?? 0),
    repeats: Math.max(0, text.repeats ?? 0),
    maxTokens: Math.max(0, text.maxTokens ?? 0),
  };
}

type Counts = { digits: number; operators: number; newlines: number; fences: number; braces: number; semicolons: number; questionMarks: number; listItems: number };

// What countChars does with an ASCII character (any other is OTHER).
const OTHER = 0;
const DIGIT = 1;
const NEWLINE = 2;
/** Space or tab: indentation keeps a line's start. */
const BLANK = 3;
/** `-` or `*`: a list bullet at a line's start (before a space), else an operator. */
const BULLET = 4;
/** + / = ^ % < > */
const OPERATOR = 5;
const BRACE = 6;
const SEMICOLON = 7;
const QUESTION = 8;
const BACKTICK = 9;
const KIND = new Uint8Array(128);
for (let c = 48; c <= 57; c++) KIND[c] = DIGIT;
KIND[10] = NEWLINE;
KIND[32] = BLANK;
KIND[9] = BLANK;
KIND[45] = BULLET;
KIND[42] = BULLET;
for (const c of [43, 47, 61, 94, 37, 60, 62]) KIND[c] = OPERATOR;
KIND[123] = BRACE;
KIND[125] = BRACE;
KIND[59] = SEMICOLON;
KIND[63] = QUESTION;
KIND[96] = BACKTICK;

/**
 * One pass over char codes: no allocation, no regex. A table lookup sorts each character,
 * so the plain letters that make most of a prompt cost one comparison; the counts are
 * locals, stored once at the end (a switch over codes and a field store per hit took ~1.5x
 * as long over a 2 KB prompt).
 */
function countChars(s: string, c: Counts): void {
  let digits = 0;
  let operators = 0;
  let newlines = 0;
  let fences = 0;
  let braces = 0;
  let semicolons = 0;
  let questionMarks = 0;
  let listItems = 0;
  let lineStart = true;
  let ticks = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const ch = s.charCodeAt(i);
    const kind = ch < 128 ? KIND[ch]! : OTHER;
    if (kind === OTHER) {
      ticks = 0;
      lineStart = false;
      continue;
    }
    if (kind === BACKTICK) {
      if (++ticks === 3) fences++;
      continue;
    }
    ticks = 0;
    switch (kind) {
      case DIGIT:
        digits++;
        // "1." or "2)" at a line start is a list item, not arithmetic.
        if (lineStart) {
          const next = s.charCodeAt(i + 1);
          if (next === 46 || next === 41) listItems++;
        }
        break;
      case NEWLINE:
        newlines++;
        lineStart = true;
        continue;
      case BLANK:
        continue; // indentation keeps lineStart
      case BULLET:
        if (lineStart && s.charCodeAt(i + 1) === 32) listItems++;
        else operators++;
        break;
      case OPERATOR:
        operators++;
        break;
      case BRACE:
        braces++;
        break;
      case SEMICOLON:
        semicolons++;
        break;
      case QUESTION:
        questionMarks++;
        break;
    }
    lineStart = false;
  }
  c.digits += digits;
  c.operators += operators;
  c.newlines += newlines;
  c.fences += fences;
  c.braces += braces;
  c.semicolons += semicolons;
  c.questionMarks += questionMarks;
  c.listItems += listItems;
}
