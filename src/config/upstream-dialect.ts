/**
 * The API dialect an upstream speaks when its config (or `--upstream NAME=URL`) does not
 * say: Anthropic's when its name or base URL says anthropic (`anthropic`,
 * `https://api.anthropic.com`, DeepSeek's `https://api.deepseek.com/anthropic`), else
 * OpenAI's. Kept free of zod: the proxy's event loop uses it too.
 */
export function impliedDialect(name: string, baseUrl: string): 'openai' | 'anthropic' {
  return /anthropic/i.test(name) || /anthropic/i.test(baseUrl) ? 'anthropic' : 'openai';
}
