/**
 * One OTLP span with GenAI usage → one metered ledger row, priced from the catalogue.
 * Attribute names follow the GenAI semantic conventions (v1.37–1.41) and accept the
 * deprecated ones older instrumentations still emit (`gen_ai.system`,
 * `gen_ai.usage.prompt_tokens`/`completion_tokens`).
 *
 * Token convention: the conventions say `gen_ai.usage.input_tokens` SHOULD include
 * cache reads and writes, for every provider (Anthropic included), and reasoning SHOULD
 * be inside output_tokens; we read them so. A span whose input is smaller than its
 * cache counts cannot be inclusive: it comes from an instrumentation that copied
 * Anthropic's disjoint numbers, and is read that way (likewise reasoning > output).
 */
import type { NewUsageEntry } from '../../ledger/ledger-schema.js';
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import type { ReportedUsage } from '../../pricing/token-usage.js';
import { buildEntry } from '../entry-builder.js';
import type { ImportContext } from '../importer.js';
import { DIMENSION_TAGS, tagDims } from '../tag-dims.js';

export type Attributes = Map<string, unknown>;
export type SpanResult = { ok: true; entry: NewUsageEntry } | { ok: false; column: string; message: string };

/** gen_ai.provider.name / gen_ai.system values → catalogue provider ids (others pass through). */
const PROVIDERS: Record<string, string> = {
  openai: 'openai', anthropic: 'anthropic',
  'aws.bedrock': 'bedrock', aws_bedrock: 'bedrock', bedrock: 'bedrock',
  'gcp.vertex_ai': 'vertex', vertex_ai: 'vertex',
  // gcp.gen_ai is the google-genai SDK when it cannot tell Vertex from the Gemini API; the Gemini API's prices apply.
  'gcp.gemini': 'google', gemini: 'google', 'gcp.gen_ai': 'google',
  'az.ai.openai': 'azure', 'azure.ai.openai': 'azure', 'az.ai.inference': 'azure', 'azure.ai.inference': 'azure',
  mistral_ai: 'mistral', mistralai: 'mistral', x_ai: 'xai', xai: 'xai', deepseek: 'deepseek', groq: 'groq',
  cohere: 'cohere', perplexity: 'perplexity', moonshot_ai: 'moonshotai', together_ai: 'together', fireworks: 'fireworks', cerebras: 'cerebras',
};

const SERVICE_TIERS: Record<string, ServiceTier> = { flex: 'flex', priority: 'priority', batch: 'batch' };

/** Resource attributes that describe the process, not who the usage belongs to: left out of tags. */
const NOISE = /^(telemetry|process|host|os|container|service\.instance)\./;

/** Decodes an OTLP/JSON AnyValue (ints are strings in OTLP/JSON; some producers write numbers). */
export function anyValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return o.stringValue;
  if ('intValue' in o) return o.intValue;
  if ('doubleValue' in o) return o.doubleValue;
  if ('boolValue' in o) return o.boolValue;
  if ('arrayValue' in o) {
    const values = (o.arrayValue as { values?: unknown[] } | undefined)?.values;
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  return undefined;
}

export function attributes(list: unknown, into: Attributes = new Map()): Attributes {
  if (!Array.isArray(list)) return into;
  for (const kv of list) {
    if (kv === null || typeof kv !== 'object') continue;
    const { key, value } = kv as { key?: unknown; value?: unknown };
    if (typeof key === 'string') into.set(key, anyValue(value));
  }
  return into;
}

const USAGE_KEYS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.prompt_tokens', 'gen_ai.usage.completion_tokens'];

/** Whether a span carries token usage (spans without it — tools, retrieval, workflows — are not rows, but see `isBareCall`). */
export function hasUsage(attrs: Attributes): boolean {
  return USAGE_KEYS.some((k) => attrs.get(k) !== undefined);
}

/** Operations that are one call to a model, which the provider bills. */
const MODEL_CALLS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings']);

/**
 * A model call that reports no usage (an instrumentation that could not read a streamed
 * response's usage, or one that records none): the call was made and billed, so it is a
 * row whose cost is unknown, never left out (a silent $0). A span without an operation
 * name is taken for one when it names a model, as older instrumentations' calls do. A
 * failed call (status ERROR) is left out: a refused request is not billed.
 */
export function isBareCall(span: Record<string, unknown>, attrs: Attributes): boolean {
  if (hasUsage(attrs)) return false;
  const status = span.status !== null && typeof span.status === 'object' ? (span.status as Record<string, unknown>).code : undefined;
  if (status === 2 || status === 'STATUS_CODE_ERROR') return false;
  const operation = str(attrs.get('gen_ai.operation.name'));
  if (operation !== '') return MODEL_CALLS.has(operation);
  return str(attrs.get('gen_ai.request.model')) !== '' || str(attrs.get('gen_ai.response.model')) !== '';
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function shown(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? 'nothing' : JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** A token count: intValue text or number, or an integral double. */
function tokens(v: unknown): number | undefined | 'bad' {
  if (v === undefined || v === null) return undefined;
  const t = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : 'x') : typeof v === 'string' ? v.trim() : 'x';
  if (!/^\d+$/.test(t)) return 'bad';
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : 'bad';
}

/** Nanoseconds since the epoch (a string of digits in OTLP/JSON) → ISO, to the millisecond. */
export function nanosToIso(v: unknown): string | undefined {
  const t = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^\d{1,21}$/.test(t) || /^0+$/.test(t)) return undefined;
  const date = new Date(Number(BigInt(t) / 1_000_000n));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export interface SpanInput {
  span: Record<string, unknown>;
  attrs: Attributes;
  resource: Attributes;
}

/** Span ids above a span in its file (ending with the first parent the file lacks) and below it. */
export interface SpanLinks {
  ancestors: string[];
  descendants: string[];
}

export function readSpan({ span, attrs, resource }: SpanInput, ctx: ImportContext, links?: SpanLinks): SpanResult {
  const bad = (column: string, expected: string, got: unknown): SpanResult => ({ ok: false, column, message: `expected ${expected}, got ${got === undefined ? 'nothing' : shown(got)}` });
  const traceId = str(span.traceId).toLowerCase();
  const spanId = str(span.spanId).toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(traceId)) return bad('traceId', 'a 32-digit hex trace id', span.traceId);
  if (!/^[0-9a-f]{16}$/.test(spanId)) return bad('spanId', 'a 16-digit hex span id', span.spanId);
  const ts = nanosToIso(span.startTimeUnixNano);
  if (!ts) return bad('startTimeUnixNano', 'nanoseconds since 1970 as a string of digits', span.startTimeUnixNano);

  const counts: Record<string, number> = {};
  const read: Array<[string, string[]]> = [
    ['input', ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens']],
    ['output', ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens']],
    ['cacheRead', ['gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens']],
    ['cacheWrite', ['gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_creation_input_tokens']],
    ['reasoning', ['gen_ai.usage.reasoning.output_tokens', 'gen_ai.usage.reasoning_tokens']],
  ];
  for (const [name, keys] of read) {
    const key = keys.find((k) => attrs.get(k) !== undefined) ?? keys[0]!;
    const n = tokens(attrs.get(key));
    if (n === 'bad') return bad(key, 'a whole number of tokens', attrs.get(key));
    counts[name] = n ?? 0;
  }
  const requested = str(attrs.get('gen_ai.request.model'));
  const model = str(attrs.get('gen_ai.response.model')) || requested;
  const reported = hasUsage(attrs);
  if (model === '' && reported) return bad('gen_ai.request.model', 'the model of a span with token usage', undefined);

  // The span names its provider; a process that only ever calls one may say it once, on its resource.
  const system = [attrs, resource].map((a) => str(a.get('gen_ai.provider.name')) || str(a.get('gen_ai.system'))).find((v) => v !== '')?.toLowerCase() ?? '';
  const provider = system !== '' ? (PROVIDERS[system] ?? system) : (ctx.pricer.price({ model, at: new Date(ts), usage: { input: 0, output: 0 } }).provider ?? 'unknown');

  const usage: ReportedUsage = { input: counts.input!, output: counts.output!, cacheRead: counts.cacheRead, cacheWrite5m: counts.cacheWrite, reasoning: counts.reasoning };
  const inclusive = usage.input >= counts.cacheRead! + counts.cacheWrite!;
  const convention = { input_includes_cache: inclusive, output_includes_reasoning: usage.output >= counts.reasoning! };
  const tier = SERVICE_TIERS[str(attrs.get('openai.response.service_tier')) || str(attrs.get('openai.request.service_tier'))];

  const tags: Record<string, string> = {};
  for (const [k, v] of resource) if (!NOISE.test(k) && str(v) !== '') tags[k] = str(v);
  for (const k of ['gen_ai.conversation.id', 'gen_ai.agent.id', 'gen_ai.operation.name']) if (str(attrs.get(k)) !== '') tags[k] = str(attrs.get(k));
  // A span attribute named like a dimension (`team`, `feature`…) is kept too, over a resource's.
  for (const [k, v] of attrs) if (DIMENSION_TAGS[k.trim().toLowerCase()] !== undefined && str(v) !== '') tags[k] = str(v);
  const tagged = tagDims(tags);
  const pick = (...values: unknown[]) => values.map(str).find((v) => v !== '') ?? null;

  const entry = buildEntry(
    {
      source: 'otel',
      provenance: 'metered',
      dedupeKey: `${traceId}:${spanId}`,
      provider,
      ts,
      model,
      modelRequested: requested || null,
      usage: reported ? usage : undefined,
      description: reported ? undefined : 'the span reports no token usage (no gen_ai.usage.* attributes): its cost is unknown',
      convention,
      serviceTier: tier,
      dims: {
        agent: pick(attrs.get('gen_ai.agent.name'), resource.get('gen_ai.agent.name')) ?? tagged.agent ?? null,
        // A `project` attribute names the project on purpose; `service.name` only by default.
        project: tagged.project ?? pick(resource.get('service.name')),
        environment: pick(resource.get('deployment.environment.name'), resource.get('deployment.environment')) ?? tagged.environment ?? null,
        team: tagged.team ?? null,
        feature: tagged.feature ?? null,
        customer: tagged.customer ?? null,
        user: pick(attrs.get('enduser.id'), attrs.get('user.id'), resource.get('enduser.id')),
        trace_id: traceId,
        request_id: spanId,
      },
      tags,
      raw: {
        ...(reported
          ? {
              convention: inclusive ? 'semconv (input includes cache)' : 'input excludes cache',
              input_tokens: counts.input, output_tokens: counts.output, cache_read_tokens: counts.cacheRead, cache_creation_tokens: counts.cacheWrite,
              reasoning_tokens: counts.reasoning,
            }
          : { usage: 'none reported' }),
        response_id: str(attrs.get('gen_ai.response.id')) || null, span_name: str(span.name) || null,
        end: nanosToIso(span.endTimeUnixNano) ?? null,
        // For span-totals.ts: only when there are any, so most rows' raw usage does not grow.
        ...(links && links.ancestors.length > 0 ? { ancestor_span_ids: links.ancestors } : {}),
        ...(links && links.descendants.length > 0 ? { descendant_span_ids: links.descendants } : {}),
      },
    },
    ctx,
  );
  return { ok: true, entry };
}
