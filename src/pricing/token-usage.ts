/**
 * One token taxonomy for every source (PRODUCT.md, Ledger). Providers report usage in
 * different conventions; `normaliseUsage` turns a report into disjoint buckets so that
 * each token is priced exactly once (pricing.md §5, bugs #1, #2, #3, #5, #6).
 */
import type { UsageConvention } from './catalogue-schema.js';

/**
 * The ledger's own convention: `input_tokens` counts every input token (cache reads and
 * writes are parts of it) and `output_tokens` includes reasoning. Anything that prices a
 * ledger row again (re-pricing, routing simulation, CI baselines, forecasts) uses it.
 */
export const LEDGER_CONVENTION: UsageConvention = { input_includes_cache: true, output_includes_reasoning: true };

/**
 * Input that leaves cached tokens out (Anthropic's Messages API and the sources that
 * report it that way: Bedrock's Claude, LiteLLM's and FOCUS rows whose prompt is smaller
 * than their cache); output includes reasoning.
 */
export const CACHE_OUTSIDE_INPUT: UsageConvention = { input_includes_cache: false, output_includes_reasoning: true };

/** A ledger row's token columns, by their ledger names; modality columns where the caller read them. */
export interface LedgerTokenColumns {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  reasoning_tokens: number;
  input_audio_tokens?: number;
  input_image_tokens?: number;
  output_audio_tokens?: number;
  output_image_tokens?: number;
  requests?: number;
  web_search_requests?: number;
}

/** A ledger row's tokens as a usage to price in LEDGER_CONVENTION. */
export function ledgerUsage(row: LedgerTokenColumns): ReportedUsage {
  const usage: ReportedUsage = {
    input: row.input_tokens,
    output: row.output_tokens,
    cacheRead: row.cache_read_tokens,
    cacheWrite5m: row.cache_write_5m_tokens,
    cacheWrite1h: row.cache_write_1h_tokens,
    reasoning: row.reasoning_tokens,
  };
  if (row.input_audio_tokens !== undefined) usage.inputAudio = row.input_audio_tokens;
  if (row.input_image_tokens !== undefined) usage.inputImage = row.input_image_tokens;
  if (row.output_audio_tokens !== undefined) usage.outputAudio = row.output_audio_tokens;
  if (row.output_image_tokens !== undefined) usage.outputImage = row.output_image_tokens;
  if (row.requests !== undefined) usage.requests = row.requests;
  if (row.web_search_requests !== undefined) usage.webSearches = row.web_search_requests;
  return usage;
}

/** Usage as the provider reported it, in the provider's own convention. */
export interface ReportedUsage {
  /** Input tokens as reported: includes cache reads/writes for OpenAI and Gemini, excludes them for Anthropic. */
  input: number;
  /** Output tokens as reported: includes reasoning for OpenAI/Anthropic, excludes Gemini's thoughts. */
  output: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  /** Reasoning/thinking tokens (a subset of output, or an addition to it, per convention). */
  reasoning?: number;
  /** Modality tokens, part of the reported input/output counts (OpenAI's *_tokens_details). */
  inputAudio?: number;
  outputAudio?: number;
  inputImage?: number;
  outputImage?: number;
  /** Requests this usage covers (1 for a single call; more for an aggregated export row). */
  requests?: number;
  /** Server-side web searches the provider ran and bills per search (`server_tool_use.web_search_requests`). */
  webSearches?: number;
}

/** Disjoint buckets: the sum of the input buckets is every input token, counted once. */
export interface TokenUsage {
  /** Text input that was neither read from nor written to a cache. */
  uncachedInput: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  inputAudio: number;
  inputImage: number;
  /** All output tokens billed at an output rate, reasoning included. */
  output: number;
  /** The part of `output` that was reasoning (for reporting and a separate reasoning rate). */
  reasoning: number;
  outputAudio: number;
  outputImage: number;
  requests: number;
  /** Server-side web searches, billed per search on top of the tokens. */
  webSearches: number;
}

/** Why a usage report cannot be normalised: the numbers contradict each other. */
export class UsageInconsistencyError extends Error {
  override readonly name = 'UsageInconsistencyError';
  readonly usage: ReportedUsage;
  constructor(message: string, usage: ReportedUsage) {
    super(message);
    this.usage = usage;
  }
}

function count(name: string, value: number | undefined, usage: ReportedUsage): number {
  const v = value ?? 0;
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new UsageInconsistencyError(`${name} must be a whole number of tokens >= 0, got ${String(value)}`, usage);
  }
  return v;
}

/**
 * Splits a reported usage into disjoint buckets.
 * - `input_includes_cache`: uncached = input − cache read − cache writes (OpenAI, Gemini).
 * - `output_includes_reasoning: false`: Gemini's thoughts are added to output, not inside it.
 * - Modality tokens are parts of the reported input/output and are taken out of the text buckets.
 */
export function normaliseUsage(reported: ReportedUsage, convention: UsageConvention): TokenUsage {
  const input = count('input', reported.input, reported);
  const output = count('output', reported.output, reported);
  const cacheRead = count('cache read', reported.cacheRead, reported);
  const cacheWrite5m = count('cache write 5m', reported.cacheWrite5m, reported);
  const cacheWrite1h = count('cache write 1h', reported.cacheWrite1h, reported);
  const reasoning = count('reasoning', reported.reasoning, reported);
  const inputAudio = count('input audio', reported.inputAudio, reported);
  const inputImage = count('input image', reported.inputImage, reported);
  const outputAudio = count('output audio', reported.outputAudio, reported);
  const outputImage = count('output image', reported.outputImage, reported);
  const requests = reported.requests === undefined ? 1 : count('requests', reported.requests, reported);
  const webSearches = count('web searches', reported.webSearches, reported);

  const cached = cacheRead + cacheWrite5m + cacheWrite1h;
  let uncachedInput = input - inputAudio - inputImage;
  if (convention.input_includes_cache) uncachedInput -= cached;
  if (uncachedInput < 0) {
    const parts = convention.input_includes_cache ? 'cache and modality tokens' : 'modality tokens';
    throw new UsageInconsistencyError(
      `input (${input}) is smaller than the ${parts} it should contain (${input - uncachedInput}); ` +
        (convention.input_includes_cache ? 'this provider reports input including cached tokens' : ''),
      reported,
    );
  }

  const billedOutput = convention.output_includes_reasoning ? output : output + reasoning;
  if (convention.output_includes_reasoning && reasoning > output) {
    throw new UsageInconsistencyError(
      `reasoning (${reasoning}) exceeds output (${output}); this provider counts reasoning inside output`,
      reported,
    );
  }
  if (outputAudio + outputImage > billedOutput) {
    throw new UsageInconsistencyError(`output audio/image tokens exceed output (${billedOutput})`, reported);
  }

  return {
    uncachedInput,
    cacheRead,
    cacheWrite5m,
    cacheWrite1h,
    inputAudio,
    inputImage,
    output: billedOutput - outputAudio - outputImage,
    reasoning,
    outputAudio,
    outputImage,
    requests,
    webSearches,
  };
}

/** Every input token: uncached + cache read + cache writes + modalities (the long-context basis). */
export function totalInputTokens(u: TokenUsage): number {
  return u.uncachedInput + u.cacheRead + u.cacheWrite5m + u.cacheWrite1h + u.inputAudio + u.inputImage;
}

export function emptyUsage(): TokenUsage {
  return {
    uncachedInput: 0,
    cacheRead: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    inputAudio: 0,
    inputImage: 0,
    output: 0,
    reasoning: 0,
    outputAudio: 0,
    outputImage: 0,
    requests: 1,
    webSearches: 0,
  };
}
