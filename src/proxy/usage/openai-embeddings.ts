/**
 * OpenAI Embeddings (`/v1/embeddings`): input tokens only, never streamed. Responses can
 * be megabytes of vectors, so the usage object (at the end of the body) is read without
 * parsing the vectors when the body is large.
 */
import type { CapturedUsage, JsonObject, PreparedRequest, RequestFacts, StreamUsageReader, UsageCapture } from './usage-capture.js';
import { isObject, readable, tokens } from './usage-capture.js';

export const openaiEmbeddingsCapture: UsageCapture = {
  dialect: 'openai',
  endpoint: '/v1/embeddings',

  facts(body: JsonObject): RequestFacts {
    const promptText: string[] = [];
    let messageCount = 0;
    if (typeof body.input === 'string') {
      promptText.push(body.input);
      messageCount = 1;
    } else if (Array.isArray(body.input)) {
      messageCount = body.input.length;
      for (const item of body.input) {
        if (typeof item === 'string') promptText.push(item);
        // Pre-tokenised input: the token ids stand in for the text.
        else if (Array.isArray(item) || typeof item === 'number') promptText.push(String(item));
      }
    }
    return { stream: false, promptText, messageCount, maxOutputTokens: 0 };
  },

  prepare(): PreparedRequest {
    return { injectedUsage: false };
  },

  fromJson(body: unknown): CapturedUsage | undefined {
    if (!isObject(body) || !isObject(body.usage)) return undefined;
    return {
      reported: { input: tokens(body.usage.prompt_tokens), output: 0 },
      raw: body.usage,
      servedModel: typeof body.model === 'string' ? body.model : undefined,
      // No output: only the input count has to be readable.
      ...readable(body.usage.prompt_tokens, 0, true),
    };
  },

  streamReader(): StreamUsageReader {
    // Embeddings are never streamed; a stream here is read for nothing and estimated.
    return { outputChars: 0, done: false, onEvent: () => undefined, result: () => undefined };
  },
};
