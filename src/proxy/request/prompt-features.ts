/**
 * What the ledger keeps of a prompt: a sha256 of its text and a few cheap features
 * (length, whether it contains code, message count) — never the text itself unless
 * `proxy.store_prompts: true` (PRODUCT.md, Privacy).
 */
import { createHash } from 'node:crypto';

export interface PromptFeatures {
  /** sha256 hex of the prompt's text parts joined with newlines. */
  hash: string;
  chars: number;
  hasCode: boolean;
  messages: number;
  /** The text, only when prompts are stored. */
  text?: string;
}

const CODE = /```|^\s*(?:def|class|function|import|from|#include|public|package|const|let|var|SELECT|fn)\s|[;{}]\s*$/m;

export function promptFeatures(parts: readonly string[], messages: number, keepText: boolean): PromptFeatures {
  const text = parts.length === 1 ? parts[0]! : parts.join('\n');
  const features: PromptFeatures = {
    hash: createHash('sha256').update(text).digest('hex'),
    chars: text.length,
    hasCode: CODE.test(text),
    messages,
  };
  if (keepText) features.text = text;
  return features;
}
