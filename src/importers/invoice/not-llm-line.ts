/**
 * A cloud provider's invoice bills every service of the account: an AWS bill's Bedrock line
 * sits beside EC2 and S3, an Azure one's OpenAI line beside virtual machines. Typed in
 * whole, each line counted as LLM usage (the default kind) and reconcile set the month's
 * EC2 against Bedrock's rows. A line of such an invoice with no `kind` and no `model`,
 * whose description names no LLM service, is taken as `other`: in the invoice's total, out
 * of its usage. A line naming one (or with a model), or given a kind, is as written.
 */

/** Catalogue providers whose invoices are a whole cloud account's (aws → bedrock). */
const CLOUD_PROVIDERS = new Set(['bedrock', 'azure', 'vertex']);

/** Names of LLM services and model families as cloud bills print them. */
const LLM_SERVICE =
  /bedrock|anthropic|claude|titan|nova|llama|mistral|mixtral|cohere|command|jurassic|ai21|deepseek|openai|gpt|o[134]\b|dall-?e|whisper|embedding|foundry|cognitive services|ai services|ai studio|vertex|gemini|gemma|palm|generative|model garden|tokens?\b|llm|\bai\b/i;

/** True when an invoice line of `provider` (catalogue id) is not LLM usage by the rule above. */
export function isNotLlmLine(provider: string, line: { kind?: string | undefined; model?: string | undefined; description?: string | undefined }): boolean {
  if (!CLOUD_PROVIDERS.has(provider) || line.kind !== undefined || line.model !== undefined) return false;
  const description = line.description?.trim() ?? '';
  return description !== '' && !LLM_SERVICE.test(description);
}
