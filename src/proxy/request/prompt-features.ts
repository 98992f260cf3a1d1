/**
 * What the ledger keeps of a prompt: a sha256 of its text and a few cheap features
 * (length, whether it contains code, message count) — never the text itself unless
 * `proxy.store_prompts: true` (PRODUCT.md, Privacy).
 */
import { hash as oneShotHash } from 'node:crypto';

export interface PromptFeatures {
  /** sha256 hex of the prompt's text parts joined with newlines. */
  hash: string;
  chars: number;
  hasCode: boolean;
  messages: number;
  /** The text, only when prompts are stored. */
  text?: string;
}

/** Signs of code in a prompt, looked up with indexOf (a multiline regex over every prompt costs more than the hash). */
const CODE_MARKERS = ['```', '\ndef ', '\nclass ', 'function ', '\nimport ', '#include', '\npublic ', '\nconst ', '\nlet ', ');\n', '};', '=> {'];

function hasCode(text: string): boolean {
  for (const marker of CODE_MARKERS) if (text.includes(marker)) return true;
  return /^(?:def|class|import|const|let|package|SELECT) /.test(text);
}

function joined(parts: readonly string[]): string {
  return parts.length === 1 ? parts[0]! : parts.join('\n');
}

/**
 * sha256 hex of a text. The one-shot `crypto.hash` (Node >= 20.12) skips the Hash object
 * and its stream machinery that `createHash().update().digest()` builds: about half the
 * cost for a prompt of a few KB, and it runs once per request.
 */
function sha256Hex(text: string): string {
  return oneShotHash('sha256', text, 'hex');
}

/** The row's `prompt_hash`: sha256 hex of the text parts joined with newlines. */
export function promptHash(parts: readonly string[]): string {
  return sha256Hex(joined(parts));
}

/** @param hash the prompt's hash when it was already computed (loop detection needs it before forwarding) */
export function promptFeatures(parts: readonly string[], messages: number, keepText: boolean, hash?: string): PromptFeatures {
  const text = joined(parts);
  const features: PromptFeatures = {
    hash: hash ?? sha256Hex(text),
    chars: text.length,
    hasCode: hasCode(text),
    messages,
  };
  if (keepText) features.text = text;
  return features;
}
