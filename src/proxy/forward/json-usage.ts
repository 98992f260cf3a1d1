/**
 * Usage from a complete (non-streamed) response body. The body is forwarded as the
 * upstream sent it; this only reads it. Large bodies (embedding vectors) are not parsed
 * whole: the top-level `usage` and `model` members are cut out from the end, where
 * every provider puts them.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { CapturedUsage, UsageCapture } from '../usage/usage-capture.js';

const WHOLE_PARSE_LIMIT = 256 * 1024;

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === undefined || encoding === 'identity' || encoding === '') return body;
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body);
  if (encoding === 'br') return brotliDecompressSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  throw new Error(`unsupported content-encoding ${encoding}`);
}

/** The balanced JSON value starting at `start` (an object or a string), or undefined. */
function valueAt(text: string, start: number): string | undefined {
  let i = start;
  while (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t') i++;
  const open = text[i];
  if (open === '"') {
    const end = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i, i + 1024));
    return end?.[0];
  }
  if (open !== '{') return undefined;
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(i, j + 1);
  }
  return undefined;
}

/** `{usage, model}` cut from the end of a big body, parsed; undefined when not found. */
function tailMembers(text: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const key of ['usage', 'model']) {
    const at = text.lastIndexOf(`"${key}":`);
    if (at === -1) continue;
    const value = valueAt(text, at + key.length + 3);
    if (value === undefined) continue;
    try {
      out[key] = JSON.parse(value);
    } catch {
      // Not this one: the key text appeared inside a string.
    }
  }
  return 'usage' in out ? out : undefined;
}

export function usageFromBody(capture: UsageCapture, body: Buffer, encoding: string | undefined): CapturedUsage | undefined {
  let text: string;
  try {
    text = decode(body, encoding?.toLowerCase()).toString('utf8');
  } catch {
    return undefined;
  }
  if (text.length > WHOLE_PARSE_LIMIT) return capture.fromJson(tailMembers(text));
  try {
    return capture.fromJson(JSON.parse(text));
  } catch {
    return undefined;
  }
}
