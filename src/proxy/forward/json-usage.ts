/**
 * Usage from a complete (non-streamed) response body. The body is forwarded as the
 * upstream sent it; this only reads it. Large bodies (embedding vectors) are not parsed
 * whole: the top-level `usage` and `model` members are cut out from the end, where
 * every provider puts them.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { CapturedUsage, UsageCapture } from '../usage/usage-capture.js';
import { memberValue, valueAt } from '../usage/json-members.js';

const WHOLE_PARSE_LIMIT = 256 * 1024;

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === undefined || encoding === 'identity' || encoding === '') return body;
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body);
  if (encoding === 'br') return brotliDecompressSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  throw new Error(`unsupported content-encoding ${encoding}`);
}

/**
 * The top-level `usage`, `model` and `service_tier` members (and a response's `id` and
 * `conversation`), cut out of the body text and parsed alone; undefined when there is no usage object. Every provider's response puts
 * `model` before its generated content (so the first `"model":` is the top-level one, not
 * one inside a tool call's input) and `usage` after it (so the last `"usage":` is);
 * `service_tier` is top-level only (Anthropic's sits inside usage, which is read from there).
 */
function topMembers(text: string, members: typeof MEMBERS): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, fromEnd] of members) {
    const at = memberValue(text, key, fromEnd);
    if (at === -1) continue;
    const value = valueAt(text, at);
    if (value === undefined) continue;
    try {
      out[key] = JSON.parse(value);
    } catch {
      // Not a value we can read: treated as absent.
    }
  }
  return typeof out.usage === 'object' && out.usage !== null ? out : undefined;
}

const MEMBERS: ReadonlyArray<readonly [string, boolean]> = [
  ['usage', true],
  ['model', false],
  ['service_tier', true],
];
/** A Responses API response's too: its id (its first member) and its conversation (an object; a metadata key's value is a string). */
const RESPONSE_MEMBERS: typeof MEMBERS = [...MEMBERS, ['id', false], ['conversation', false]];

/**
 * Usage from a JSON response. Only the members that carry usage are parsed: parsing the
 * whole body (choices, content, embedding vectors) would build objects nobody reads. A
 * body where they cannot be found that way (no usage, unusual layout) is parsed whole when
 * small enough, so nothing a full parse would find is missed.
 */
export function usageFromBody(capture: UsageCapture, body: Buffer, encoding: string | undefined): CapturedUsage | undefined {
  let text: string;
  try {
    text = decode(body, encoding?.toLowerCase()).toString('utf8');
  } catch {
    return undefined;
  }
  // A Responses API body whose output has web search calls is read whole: each call is
  // billed, and they are counted from `output`, which the members cut out below leave out.
  // Parsed whole, it holds all the members would: its answer is final, not parsed again below.
  if (capture.endpoint === '/v1/responses' && text.length <= RESPONSE_PARSE_LIMIT && text.includes('"web_search_call"')) {
    let whole: unknown;
    try {
      whole = JSON.parse(text);
    } catch {
      whole = undefined;
    }
    if (whole !== undefined) return capture.fromJson(whole);
  }
  // Only a Responses API body is searched for its id and conversation (a large embeddings body would be scanned for nothing).
  const members = topMembers(text, capture.endpoint === '/v1/responses' ? RESPONSE_MEMBERS : MEMBERS);
  if (members !== undefined) {
    const usage = capture.fromJson(members);
    if (usage !== undefined) return usage;
  }
  if (text.length > WHOLE_PARSE_LIMIT) return undefined;
  try {
    return capture.fromJson(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * The top-level `model` a JSON response names, for one without usage (the row is estimated,
 * and priced for the model that served it, as a stream's is from its events).
 */
export function modelFromBody(body: Buffer, encoding: string | undefined): string | undefined {
  let text: string;
  try {
    text = decode(body, encoding?.toLowerCase()).toString('utf8');
  } catch {
    return undefined;
  }
  const at = memberValue(text, 'model', false);
  const value = at === -1 ? undefined : valueAt(text, at);
  if (value === undefined || value.charCodeAt(0) !== 0x22) return undefined;
  try {
    const model: unknown = JSON.parse(value);
    return typeof model === 'string' && model !== '' ? model : undefined;
  } catch {
    return undefined;
  }
}

/** The most of a body `responseObject` parses: a response object with its whole output. */
const RESPONSE_PARSE_LIMIT = 16 * 1024 * 1024;

/**
 * A JSON body as an object (decoded first), or undefined: for the few responses read whole
 * (a background response's, background-responses.ts), never for every request.
 */
export function responseObject(body: Buffer, encoding: string | undefined): Record<string, unknown> | undefined {
  try {
    const text = decode(body, encoding?.toLowerCase()).toString('utf8');
    if (text.length > RESPONSE_PARSE_LIMIT) return undefined;
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
