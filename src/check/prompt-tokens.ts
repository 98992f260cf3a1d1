/**
 * Token counts of prompt templates without calling any API. OpenAI models get their
 * real tokenizer (gpt-tokenizer, pure JS): `o200k_base` for GPT-4o, GPT-4.1, GPT-4.5,
 * GPT-5, gpt-oss and the o-series, `cl100k_base` for GPT-4, GPT-3.5 and the
 * text-embedding models. Every other model is an approximation, one token per four
 * characters (rounded up): Anthropic, Google and open models do not publish an offline
 * tokenizer, and four characters per token is the usual rule of thumb for English
 * prose. The name of what counted (`tokenizer`) is kept in the baseline, and a change
 * of tokenizer is reported rather than compared silently.
 *
 * The tokenizers are loaded on first use (their rank tables are a few MB).
 */
export type TokenizerName = 'o200k_base' | 'cl100k_base' | 'chars/4';

type Counter = (text: string) => number;

const O200K = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4|codex)/;
const CL100K = /^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada)/;

/** The tokenizer llmfin uses for a model id (`openai/gpt-4o` and `gpt-4o-2024-08-06` work too). */
export function tokenizerFor(model: string): TokenizerName {
  const id = model.toLowerCase().replace(/^(openai|azure)\//, '');
  if (O200K.test(id)) return 'o200k_base';
  if (CL100K.test(id)) return 'cl100k_base';
  return 'chars/4';
}

const loaded = new Map<TokenizerName, Counter>();

export async function tokenCounter(name: TokenizerName): Promise<Counter> {
  const have = loaded.get(name);
  if (have) return have;
  let counter: Counter;
  // A template that mentions `<|endoftext|>` is text, not a control token: count it as text.
  const asText = { disallowedSpecial: new Set<string>() };
  if (name === 'o200k_base') {
    const { countTokens: count } = await import('gpt-tokenizer/encoding/o200k_base');
    counter = (text) => count(text, asText);
  } else if (name === 'cl100k_base') {
    const { countTokens: count } = await import('gpt-tokenizer/encoding/cl100k_base');
    counter = (text) => count(text, asText);
  } else counter = (text) => Math.ceil([...text].length / 4);
  loaded.set(name, counter);
  return counter;
}

/** Counts the tokens of `text` for `model`. */
export async function countTokens(model: string, text: string): Promise<{ tokens: number; tokenizer: TokenizerName }> {
  const tokenizer = tokenizerFor(model);
  return { tokens: (await tokenCounter(tokenizer))(text), tokenizer };
}
