/**
 * Pulls what the scorer needs out of a request body, for every dialect the proxy
 * speaks: the latest user turn, the system prompt's hash, the conversation depth, tool
 * errors and repeats. Bounded: strings are never copied beyond `maxChars`, the
 * conversation is walked once, and repeats are looked for in the last 24 messages only.
 */
import type { Dialect } from './compile-policy.js';
import type { RouteText } from './prompt-view.js';
import { textHash } from './text-hash.js';

export interface ExtractedRouteText extends RouteText {
  /** `textHash` of the system prompt (instructions), or undefined when there is none. */
  systemHash: string | undefined;
  /**
   * `textHash` of the latest user turn and of how many messages follow it: the same hash
   * again in a trace is a retry. An agent's tool steps keep the user turn and add tool
   * calls and results after it, so each step hashes differently and is no retry; the same
   * step sent again, or the user asking the same thing in a new turn, hashes the same.
   */
  promptHash: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const ERROR_TEXT = /\b(?:error|exception|traceback|failed|failure|not found|denied|invalid)\b/i;
const REPEAT_WINDOW = 24;

/**
 * From an OpenAI chat (`messages`), OpenAI responses (`input`, `instructions`), Anthropic
 * messages (`messages`, `system`) body, or a plain `{ prompt }`. Unknown shapes give an
 * empty prompt (no evidence), never an exception.
 */
export function extractRouteText(body: unknown, dialect: Dialect, maxChars = 16_384): ExtractedRouteText {
  if (!isObject(body)) return empty();
  const maxTokens = num(body.max_tokens) ?? num(body.max_completion_tokens) ?? num(body.max_output_tokens);
  let system = dialect === 'anthropic' ? textOf(body.system, maxChars) : typeof body.instructions === 'string' ? body.instructions : '';
  let items: unknown[] = [];
  if (Array.isArray(body.messages)) items = body.messages;
  else if (Array.isArray(body.input)) items = body.input;
  else if (typeof body.input === 'string') items = [{ role: 'user', content: body.input }];
  else if (typeof body.prompt === 'string') items = [{ role: 'user', content: body.prompt }];

  let prompt = '';
  let promptChars = 0;
  let promptAt = -1;
  let contextChars = system.length;
  let toolErrors = 0;
  let turns = 0;
  // Recent user turns, hashed only when there are two or more to compare (most requests have one).
  const userTexts: string[] = [];
  const callHashes: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const m = items[i];
    if (!isObject(m)) continue;
    const role = typeof m.role === 'string' ? m.role : typeof m.type === 'string' ? m.type : '';
    const recent = i >= items.length - REPEAT_WINDOW;
    if ((role === 'system' || role === 'developer') && dialect !== 'anthropic') {
      // As Anthropic's `system` field and the Responses API's `instructions` are: part of the
      // context, no turn of the conversation. The same request scores the same in either dialect.
      if (!system) system = textOf(m.content, maxChars);
      contextChars += charsOf(m.content);
      continue;
    }
    turns++;
    const content = m.content ?? m.output;
    contextChars += charsOf(content);
    if (role === 'tool' || role === 'function_call_output') {
      if (ERROR_TEXT.test(textOf(content, 300))) toolErrors++;
      continue;
    }
    if (Array.isArray(content)) {
      for (const block of content) {
        if (!isObject(block)) continue;
        if (block.type === 'tool_result') {
          if (block.is_error === true || ERROR_TEXT.test(textOf(block.content, 300))) toolErrors++;
        } else if (block.type === 'tool_use' && recent) {
          callHashes.push(textHash(`${String(block.name)}:${JSON.stringify(block.input ?? null).slice(0, 512)}`));
        }
      }
    }
    if (role === 'assistant' && Array.isArray(m.tool_calls) && recent) {
      for (const call of m.tool_calls) {
        const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
        if (fn) callHashes.push(textHash(`${String(fn.name)}:${String(fn.arguments ?? '').slice(0, 512)}`));
      }
    }
    if (role === 'function_call' && recent) callHashes.push(textHash(`${String(m.name)}:${String(m.arguments ?? '').slice(0, 512)}`));
    if (role === 'user' || role === 'message') {
      const text = textOf(content, maxChars);
      if (text.length > 0) {
        prompt = text;
        promptChars = charsOf(content);
        promptAt = i;
        if (recent) userTexts.push(text);
      }
    }
  }
  return {
    prompt,
    promptChars,
    contextChars,
    turns: Math.max(1, turns),
    toolErrors,
    repeats: (userTexts.length < 2 ? 0 : duplicates(userTexts.map((t) => textHash(t, 512)))) + duplicates(callHashes),
    maxTokens,
    systemHash: system ? textHash(system) : undefined,
    promptHash: promptAt >= 0 && promptAt < items.length - 1 ? textHash(`${items.length - 1 - promptAt}\u0000${prompt}`) : textHash(prompt),
  };
}

function empty(): ExtractedRouteText {
  return { prompt: '', promptChars: 0, contextChars: 0, turns: 1, toolErrors: 0, repeats: 0, maxTokens: undefined, systemHash: undefined, promptHash: textHash('') };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Text of a string or of text parts, at most `max` characters (a single string is not copied). */
function textOf(content: unknown, max: number): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) {
    if (out.length >= max) break;
    // Only text parts: a tool result or image in a user turn is not what the user asked.
    if (isObject(part) && typeof part.type === 'string' && part.type !== 'text' && part.type !== 'input_text') continue;
    const t = isObject(part) ? (typeof part.text === 'string' ? part.text : typeof part.content === 'string' ? part.content : '') : typeof part === 'string' ? part : '';
    if (t) out += (out ? '\n' : '') + (t.length > max - out.length ? t.slice(0, max - out.length) : t);
  }
  return out;
}

function charsOf(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let n = 0;
  for (const part of content) if (isObject(part) && typeof part.text === 'string') n += part.text.length;
  return n;
}

/** How many entries repeat an earlier one. */
function duplicates(hashes: string[]): number {
  if (hashes.length < 2) return 0;
  return hashes.length - new Set(hashes).size;
}
