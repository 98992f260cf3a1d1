/**
 * The one truth about `llmfin.yaml`. Types, defaults, validation and the error
 * messages users see all come from this schema; nothing else in the code reads raw
 * YAML. Every section has a default, so an empty file (or none) is a valid config, and
 * an unknown key is an error rather than a silently ignored typo.
 */
import { z } from 'zod';
import { IDENTIFIER_FIELDS, isIdentifierField } from '../attribution/identifiers.js';
import { compilePattern } from '../attribution/match-pattern.js';
import { setProblems } from '../attribution/attributor.js';
import { isRecordedOnlyDimension } from '../attribution/recorded-only-dimensions.js';
import { dimensionNames, isReportFigureKey, isTimeDimension } from '../reports/report-dimensions.js';
import { RoutingSchema } from './routing-config-schema.js';
import { impliedDialect } from './upstream-dialect.js';
import { dec } from '../shared/money.js';
import { namesEnvironmentVariable } from './names-environment-variable.js';
import { timeZoneIssue } from './time-zone-issue.js';

/**
 * A YAML number as the decimal it was written as: `0.0000005` is a number whose String()
 * is "5e-7", which the decimal check below would refuse, quoting text the file never had.
 */
const numberText = (v: string | number): string => (typeof v === 'number' && Number.isFinite(v) ? dec(v).toFixed() : String(v));

const decimal = z
  .union([z.string(), z.number()])
  .transform(numberText)
  .pipe(z.string().regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal such as 0.30'));

const positiveNumber = z.number().positive();

/**
 * A file or folder path, relative to llmfin.yaml (`~` is the home folder). llmfin.yaml
 * expands no environment variables: `$HOME/ledger.db` would be a folder named "$HOME",
 * so a reference is refused rather than silently taken as text.
 */
const pathText = z
  .string()
  .min(1)
  .refine((p) => !namesEnvironmentVariable(p), 'expected a path; environment variables are not expanded in llmfin.yaml (use ~ for the home folder, or LLMFIN_DB for the ledger)');

/**
 * A day (`2026-01-01`, midnight UTC) or an ISO 8601 time. Checked here because the pricer
 * compares times with Date.parse, and a window bound it cannot read (NaN) would be no
 * bound at all: a discount would apply forever. A time without a zone is UTC, as on the
 * command line: Date.parse would read it in the machine's zone, and the same request
 * would get the discount on one machine and not on another.
 */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const dateText = z
  .string()
  .refine((v) => {
    const m = ISO_TIME.exec(v);
    if (!m || Number.isNaN(Date.parse(v))) return false;
    const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return day.getUTCMonth() === Number(m[2]) - 1 && day.getUTCDate() === Number(m[3]);
  }, 'expected a date such as 2026-01-01 (or an ISO 8601 time)')
  .transform((v) => (/T/.test(v) && !/(Z|[+-]\d{2}:\d{2})$/.test(v) ? `${v}Z` : v));

/** A percentage discount on a provider, or on some of its models (glob: `gpt-4o*`). */
const Discount = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1).optional(),
    percent: z.number().gt(0).lte(100),
    /** Optional validity window [from, to), e.g. a negotiated rate for one contract year. */
    from: dateText.optional(),
    to: dateText.optional(),
  })
  .strict()
  .refine((d) => d.from === undefined || d.to === undefined || Date.parse(d.from) < Date.parse(d.to), {
    message: 'expected to after from',
    path: ['to'],
  });

/** A model the public catalogue does not know, priced per 1M tokens. */
const CustomModel = z
  .object({
    provider: z.string().min(1),
    id: z.string().min(1),
    /** Other ids that mean this model; `*` globs allowed. */
    match: z.array(z.string().min(1)).default([]),
    input: decimal,
    output: decimal,
    cache_read: decimal.optional(),
    cache_write_5m: decimal.optional(),
    cache_write_1h: decimal.optional(),
    per_request: decimal.optional(),
    /** USD per server-side web search the provider reports (Anthropic's `server_tool_use.web_search_requests`, OpenAI's `web_search_call` items). */
    web_search: decimal.optional(),
    input_includes_cache: z.boolean().default(true),
  })
  .strict();

/**
 * A model you host yourself: its token price is what the GPUs cost per second divided
 * by the tokens they serve per second.
 */
const SelfHostedModel = z
  .object({
    id: z.string().min(1),
    provider: z.string().min(1).default('self-hosted'),
    match: z.array(z.string().min(1)).default([]),
    gpu_usd_per_hour: decimal,
    gpus: z.number().int().positive().default(1),
    /** Throughput for both input and output, unless the two are given separately. */
    tokens_per_second: positiveNumber.optional(),
    input_tokens_per_second: positiveNumber.optional(),
    output_tokens_per_second: positiveNumber.optional(),
  })
  .strict()
  .refine(
    (m) => m.tokens_per_second !== undefined || (m.input_tokens_per_second !== undefined && m.output_tokens_per_second !== undefined),
    { message: 'expected tokens_per_second, or both input_tokens_per_second and output_tokens_per_second' },
  );

const Pricing = z
  .object({
    /** A catalogue folder to use instead of the bundled one (what `pricing update --out` wrote). */
    catalogue: pathText.optional(),
    discounts: z.array(Discount).default([]),
    custom_models: z.array(CustomModel).default([]),
    self_hosted: z.array(SelfHostedModel).default([]),
  })
  .strict()
  // The first model of an id wins, so a second one of the same provider would never price anything.
  .superRefine((pricing, ctx) => {
    const seen = new Map<string, string>();
    const models = [
      ...pricing.custom_models.map((m, i) => ({ where: ['custom_models', i] as const, provider: m.provider, id: m.id })),
      ...pricing.self_hosted.map((m, i) => ({ where: ['self_hosted', i] as const, provider: m.provider, id: m.id })),
    ];
    for (const m of models) {
      const key = `${m.provider.toLowerCase()}/${m.id.toLowerCase()}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: [...m.where, 'id'], message: `model "${m.id}" of provider ${m.provider} is already defined at pricing.${first}; give each model one entry` });
      } else {
        seen.set(key, m.where.join('.'));
      }
    }
  });

const DIMENSION_KEY = /^[a-z][a-z0-9_]*$/;
/** What a dimension name that DIMENSION_KEY refuses is told: the rule in words, not the pattern. */
const DIMENSION_NAME = 'expected a dimension name such as team or cost_center (lowercase letters, digits and _)';

/**
 * One attribution rule: when every `match` pattern matches the row's identifiers, set the
 * dimensions in `set`. Patterns are globs (`sk-team-a-*`) or `/regex/` whose groups `set`
 * values can use as `$1`. Rules are ordered; the first that sets a dimension wins, and a
 * value the row recorded itself (a header, a tag) wins over rules unless `override`.
 */
const AttributionRule = z
  .object({
    name: z.string().optional(),
    match: z
      .record(z.string(), z.string())
      .refine((m) => Object.keys(m).length > 0, { message: 'expected at least one field to match' })
      .superRefine((m, ctx) => {
        for (const [field, pattern] of Object.entries(m)) {
          if (!isIdentifierField(field)) {
            ctx.addIssue({ code: 'custom', path: [field], message: `expected one of ${IDENTIFIER_FIELDS.join(', ')} or tags.KEY, got "${field}"` });
            continue;
          }
          // An identifier a row does not record matches nothing (attributor.ts); none is ever empty.
          if (pattern === '') {
            const what = field.startsWith('tags.') ? `tag ${field.slice(5)}` : field;
            ctx.addIssue({ code: 'custom', path: [field], message: `expected a glob or /regex/, got nothing: a row that records no ${what} matches no pattern, so this rule would never apply` });
            continue;
          }
          try {
            compilePattern(pattern);
          } catch (error) {
            ctx.addIssue({ code: 'custom', path: [field], message: (error as Error).message });
          }
        }
      }),
    set: z
      .record(z.string().regex(DIMENSION_KEY, DIMENSION_NAME), z.string().min(1))
      .refine((m) => Object.keys(m).length > 0, { message: 'expected at least one dimension to set' }),
    override: z.boolean().default(false),
  })
  .strict()
  .superRefine((rule, ctx) => {
    // The rule's name too: its line is that of the value, and rules look alike.
    const named = rule.name === undefined ? '' : `rule "${rule.name}": `;
    for (const p of setProblems(rule.match, rule.set)) ctx.addIssue({ code: 'custom', path: ['set', p.dimension], message: `${named}${p.message}` });
  });

/**
 * A shared cost to split for chargeback: the spend whose dimensions match `from` (a
 * platform team, `(unattributed)`, a commitment's line) is spread over the values of
 * `over` — evenly, in proportion to their own spend, or by fixed weights.
 */
const SharedCost = z
  .object({
    name: z.string().min(1),
    from: z.record(z.string().regex(DIMENSION_KEY, DIMENSION_NAME), z.string()).refine((m) => Object.keys(m).length > 0, { message: 'expected at least one dimension = value' }),
    over: z.string().regex(DIMENSION_KEY, DIMENSION_NAME).default('team'),
    method: z.enum(['even', 'proportional', 'weights']).default('proportional'),
    weights: z.record(z.string(), z.number().positive()).optional(),
    /** Only these recipients; default every value of `over` with spend in the period. */
    to: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((s) => s.method !== 'weights' || (s.weights !== undefined && Object.keys(s.weights).length > 0), {
    message: 'expected weights (value: number) with method: weights',
    path: ['weights'],
  })
  // Weights beside another method (the default is proportional) would be ignored without a word.
  .superRefine((s, ctx) => {
    if (s.weights !== undefined && s.method !== 'weights') {
      ctx.addIssue({ code: 'custom', path: ['weights'], message: `expected method: weights to split by these weights (method is ${s.method}, which ignores them)` });
    }
  });

const Attribution = z
  .object({
    rules: z.array(AttributionRule).default([]),
    /** Custom tag keys that reports may group by, beyond the built-in dimensions. */
    dimensions: z.array(z.string().regex(DIMENSION_KEY, DIMENSION_NAME)).default([]),
    shared: z.array(SharedCost).default([]),
  })
  .strict()
  .superRefine((a, ctx) => {
    // A report-only dimension is what each row recorded (the tier the provider billed): a
    // rule setting it would be ignored, so a report by it would not show what the rule says.
    a.rules.forEach((rule, i) => {
      for (const dimension of Object.keys(rule.set).filter(isRecordedOnlyDimension)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'set', dimension],
          message: `rule ${rule.name === undefined ? String(i + 1) : `"${rule.name}"`}: ${dimension} is recorded on each row (the tier the provider served and billed it at; none is standard) and reported as recorded: an attribution rule cannot set it — remove ${dimension} from the rule's set`,
        });
      }
      // `report --by day` groups by each row's date: a rule's "day" would show in --explain and nowhere else.
      for (const dimension of Object.keys(rule.set).filter(isTimeDimension)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'set', dimension],
          message: `rule ${rule.name === undefined ? String(i + 1) : `"${rule.name}"`}: ${dimension} is the time of each row (\`report --by ${dimension}\` groups by it): an attribution rule cannot set it — name the dimension otherwise, or remove it from the rule's set`,
        });
      }
      for (const dimension of Object.keys(rule.set).filter(isReportFigureKey)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'set', dimension], message: `rule ${rule.name === undefined ? String(i + 1) : `"${rule.name}"`}: ${figureKeyProblem(dimension)}` });
      }
    });
    a.dimensions.forEach((dimension, i) => {
      if (isReportFigureKey(dimension)) ctx.addIssue({ code: 'custom', path: ['dimensions', i], message: figureKeyProblem(dimension) });
    });
    // Checked here rather than when a chargeback runs, so that the message names the line.
    const known = dimensionNames(a.dimensions, [...new Set(a.rules.flatMap((r) => Object.keys(r.set)))]);
    const unknown = (name: string) => `expected a dimension (${known.join(', ')}), got "${name}"`;
    a.shared.forEach((line, i) => {
      for (const d of Object.keys(line.from)) if (!known.includes(d)) ctx.addIssue({ code: 'custom', path: ['shared', i, 'from', d], message: unknown(d) });
      if (!known.includes(line.over)) ctx.addIssue({ code: 'custom', path: ['shared', i, 'over'], message: unknown(line.over) });
      // One chargeback has one column of recipients.
      else if (line.over !== a.shared[0]!.over) {
        ctx.addIssue({ code: 'custom', path: ['shared', i, 'over'], message: `expected every shared cost to split over the same dimension as attribution.shared.0 (${a.shared[0]!.over}), got "${line.over}"` });
      }
    });
    // A shared line is known by its name (shared_usd.NAME, its column): two of one name would write over each other.
    a.shared.forEach((line, i) => {
      const first = a.shared.findIndex((s) => s.name === line.name);
      if (first < i) {
        ctx.addIssue({ code: 'custom', path: ['shared', i, 'name'], message: `the name "${line.name}" is already that of attribution.shared.${first}; give each shared cost its own name` });
      }
    });
  });

function figureKeyProblem(dimension: string): string {
  return `${dimension} is a figure of every report row (\`report --format json\` writes it beside the dimensions): a dimension of that name would hide its values — name the dimension otherwise`;
}

/** What a budget's scope may name: attribution dimensions, plus `key` (a proxy key's name). */
export const BUDGET_SCOPE_KEYS = ['team', 'feature', 'customer', 'agent', 'environment', 'project', 'provider', 'model', 'key'] as const;

/**
 * A spending limit over a calendar period for a scope (all keys must match; an empty
 * scope is the whole organisation). Past `soft_limit_percent` an alert is raised; at the
 * limit the action applies: `alert` only tells, `block` refuses requests (HTTP 429),
 * `throttle` allows `throttle_rpm` requests per minute, `downgrade` sends requests to
 * `downgrade_to` instead.
 */
const Budget = z
  .object({
    name: z.string().min(1),
    scope: z
      .record(z.string(), z.string().min(1))
      .default({})
      .superRefine((scope, ctx) => {
        for (const key of Object.keys(scope)) {
          if (!(BUDGET_SCOPE_KEYS as readonly string[]).includes(key) && !/^tags\.[a-z0-9_.-]+$/i.test(key)) {
            ctx.addIssue({ code: 'custom', path: [key], message: `expected one of ${BUDGET_SCOPE_KEYS.join(', ')} or tags.KEY, got "${key}"` });
          }
        }
      }),
    period: z.enum(['daily', 'weekly', 'monthly']).default('monthly'),
    limit_usd: z.number().positive(),
    soft_limit_percent: z.number().gt(0).lte(100).default(80),
    action: z.enum(['alert', 'throttle', 'downgrade', 'block']).default('alert'),
    /** Requests per minute allowed past the limit with action throttle. */
    throttle_rpm: z.number().int().positive().optional(),
    /** The model requests go to past the limit with action downgrade; without it, the cheapest tier of `routing:`. */
    downgrade_to: z.string().min(1).optional(),
    /** IANA time zone of the period boundaries (default UTC). */
    timezone: z
      .string()
      .superRefine((tz, ctx) => {
        const issue = timeZoneIssue(tz);
        if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue, input: tz });
      })
      .default('UTC'),
    /** POSTed a JSON alert when the soft or hard limit is crossed (http or https: it is POSTed to). */
    webhook: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict()
  .refine((b) => b.action !== 'throttle' || b.throttle_rpm !== undefined, { message: 'expected throttle_rpm with action: throttle', path: ['throttle_rpm'] })
  // An option of another action would be silently ignored: the budget would not do what it says.
  .superRefine((b, ctx) => {
    for (const [option, action] of [['throttle_rpm', 'throttle'], ['downgrade_to', 'downgrade']] as const) {
      if (b[option] !== undefined && b.action !== action) {
        ctx.addIssue({ code: 'custom', path: [option], message: `expected action: ${action} with ${option} (the action is ${b.action}, which ignores it)` });
      }
    }
  });

/** The name of an environment variable, never its value or a `$NAME` reference to it. */
const envVarName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected the name of an environment variable such as OPENAI_API_KEY (the name alone, without $)');

const Upstream = z
  .object({
    // http or https only (as --upstream), and no user:password@ in it: the URL is shown in
    // the banner, /llmfin/health and error messages, and a key belongs in api_key_env.
    base_url: z.url({ protocol: /^https?$/ }).superRefine((u, ctx) => {
      // Runs after a failed URL check too (zod goes on to report every issue): nothing to add then.
      if (!URL.canParse(u)) return;
      const url = new URL(u);
      if (url.username === '' && url.password === '') return;
      url.username = '***';
      url.password = '';
      // The message shows the URL with its credentials masked, never as written.
      ctx.addIssue({ code: 'custom', message: "expected a URL without credentials (name the key's environment variable in api_key_env)", input: url.href });
    }),
    /** Name of the environment variable holding the key; the key itself never lives in config. */
    api_key_env: envVarName.optional(),
    /** Absent: Anthropic's when the name or base URL says anthropic, else OpenAI's (upstream-dialect.ts). */
    dialect: z.enum(['openai', 'anthropic']).optional(),
    /**
     * Catalogue provider id the upstream's models are priced under (groq, together,
     * deepseek…). Default: the upstream's name when the catalogue knows it, else the
     * dialect's provider.
     */
    provider: z.string().min(1).optional(),
  })
  .strict();

/** `proxy.upstreams`; also read from a whole llmfin.yaml given as `route --policy` (load-policy-file.ts). */
export const ProxyUpstreams = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'expected an upstream name of letters, digits, - and _'), Upstream)
  // An upstream named anthropic (or at api.anthropic.com) speaks Anthropic's API unless it says otherwise.
  .transform((ups) => Object.fromEntries(Object.entries(ups).map(([name, u]) => [name, { ...u, dialect: u.dialect ?? impliedDialect(name, u.base_url) }])));

/**
 * A proxy key: a caller that presents the value of `key_env` (an `llmfin-sk-…` secret)
 * as its API key gets `tags` pinned to its requests, which request headers cannot
 * override, and the upstream's configured key is used for it.
 */
const ProxyKey = z
  .object({
    key_env: envVarName,
    /** Recorded on rows as the tag `llmfin_key` and used by budgets (`scope: { key: … }`); default key_env. */
    name: z.string().min(1).optional(),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const Proxy = z
  .object({
    /** An empty host would make the server listen on every interface; 0.0.0.0 says so on purpose. */
    host: z.string().min(1, 'expected a host to listen on, such as 127.0.0.1 (0.0.0.0 for every interface)').default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8787),
    store_prompts: z.boolean().default(false),
    upstreams: ProxyUpstreams.default({}),
    /** Proxy keys that pin attribution to a caller so that it cannot be spoofed by headers. */
    keys: z.array(ProxyKey).default([]),
    /** Refuse requests that do not present one of `keys` (so that every request is attributed to a key). */
    require_key: z.boolean().optional(),
    /** One line per request on stderr: text (default) or json. */
    log_format: z.enum(['text', 'json']).optional(),
    /** How often queued rows are written to the ledger (ms, default and maximum 250). */
    flush_interval_ms: z.number().int().min(10).max(250).optional(),
    /** How long to wait for an upstream's response headers, then between body chunks (ms, default 600000). */
    upstream_timeout_ms: z.number().int().positive().optional(),
    /**
     * Retries of a failed upstream call, made by the proxy before anything is sent to the
     * client (never once a response has started). Off when absent: the official SDKs retry
     * on their own, and two layers retrying multiply the calls. Each attempt is its own
     * ledger row (`request id#attempt`); only an attempt the model ran on costs money.
     */
    retries: z
      .object({
        /** Retries after the first attempt (0–5). */
        max: z.number().int().min(0).max(5).default(2),
        /** Upstream statuses retried (529: Anthropic overloaded). */
        on_status: z.array(z.number().int().min(400).max(599)).default([429, 500, 502, 503, 504, 529]),
        /** Retry when the upstream cannot be reached or drops the connection before answering. */
        on_unreachable: z.boolean().default(true),
        /**
         * Retry when the upstream does not answer within upstream_timeout_ms. Off by default:
         * the model may have run and been billed for the call that timed out.
         */
        on_timeout: z.boolean().default(false),
        /** First wait when the upstream gives no Retry-After; doubled per retry, with jitter (ms). */
        backoff_ms: z.number().int().min(0).max(60_000).default(500),
        /** Longest wait before a retry (ms); an upstream asking for longer (Retry-After) gets its error passed on. */
        max_wait_ms: z.number().int().min(0).max(600_000).default(30_000),
      })
      .strict()
      .optional(),
    /** Output tokens assumed for a request without max_tokens when reserving its maximum cost (default 4096). */
    default_max_output_tokens: z.number().int().positive().optional(),
    /**
     * Live agent-loop detection per trace (`x-llmfin-trace-id`): the same call `repeats`
     * times in a trace's recent calls, the same error, or an A-B-A-B oscillation. `flag`
     * logs it, answers with `x-llmfin-loop` and tags the row `loop`; `block` also refuses
     * the repeat that completes a loop with a 429.
     */
    loops: z
      .object({
        action: z.enum(['flag', 'block']).default('flag'),
        /** Absent: `anomalies.loop_repeats` (one definition of a loop for the proxy and `llmfin anomalies`). */
        repeats: z.number().int().min(2).max(50).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * A bill meter (CUR usage type, Azure meter name, GCP SKU description) that llmfin does
 * not recognise, mapped to the model and token kind it bills; see `llmfin import`'s list
 * of unclassified meters.
 */
const MeterMapping = z
  .object({
    /** Glob over the meter text as `llmfin import` lists it, case-insensitive. */
    match: z.string().min(1),
    /** Only for this import source (aws-cur, azure-cost, gcp-billing). */
    source: z.enum(['aws-cur', 'azure-cost', 'gcp-billing']).optional(),
    model: z.string().min(1),
    tokens: z.enum(['input', 'output', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'audio_input', 'audio_output', 'image_input', 'image_output']),
    batch: z.boolean().default(false),
  })
  .strict();

const Import = z.object({ meters: z.array(MeterMapping).default([]) }).strict();

/**
 * A tolerance in percent: `10%`, `"10%"` or `10` all mean ten percent (a bare number is
 * a percentage, never a fraction, so `0.1` is a tenth of a percent). Kept as decimal text
 * so that "exactly at the tolerance" is decided exactly.
 */
const percent = z
  .union([z.string(), z.number()])
  .transform((v) => numberText(v).trim())
  .pipe(z.string().regex(/^\d+(\.\d+)?%?$/, 'expected a percentage such as 10%'))
  .transform((v) => v.replace(/%$/, ''));

/** Thresholds for one group of `llmfin check` (a feature with the default `by: feature`). */
const CheckGroup = z
  .object({
    /** Cost per request may grow by at most this much against the baseline. */
    max_increase: percent.optional(),
    /** Tokens per request may grow by at most this much (default: max_increase). */
    max_token_increase: percent.optional(),
    /** An absolute cap in USD per request at current prices, baseline or not. */
    max_cost_per_request: decimal.optional(),
  })
  .strict();

/** `llmfin check` and `llmfin baseline save`; command-line flags win over these. */
const Check = z
  .object({
    /** The committed baseline file, relative to this config file. */
    baseline: pathText.default('llmfin.baseline.json'),
    /** How requests are grouped: feature, scenario (tag `scenario`, else the feature) or model. */
    by: z.enum(['feature', 'scenario', 'model']).default('feature'),
    max_increase: percent.default('10'),
    max_token_increase: percent.optional(),
    /** A group with no baseline fails the check instead of warning. */
    strict: z.boolean().default(false),
    /** Per-group thresholds and caps, keyed by group name. */
    groups: z.record(z.string().min(1), CheckGroup).default({}),
    /** Prompt templates whose token counts `check --prompts` compares (globs, relative to the working directory). */
    prompts: z
      .object({
        paths: z.array(z.string().min(1)).default([]),
        /** The model a template is priced and tokenized for (default: the baseline's, else gpt-4o). */
        model: z.string().min(1).optional(),
      })
      .strict()
      .default({ paths: [] }),
  })
  .strict();

/**
 * `llmfin anomalies`: what is worth an alert. An anomaly must cost at least
 * `min_impact_usd` over its baseline; a trace (session, agent run) costing more than
 * `runaway_session_usd` is a runaway; `loop_repeats` identical calls in a trace are a
 * loop; `sensitivity` picks the detectors' thresholds (anomalies/sensitivity.ts).
 */
const Anomalies = z
  .object({
    min_impact_usd: z.number().nonnegative().default(10),
    runaway_session_usd: z.number().positive().default(25),
    loop_repeats: z.number().int().min(2).max(50).default(4),
    sensitivity: z.enum(['low', 'medium', 'high']).default('medium'),
  })
  .strict();

export const ConfigSchema = z
  .object({
    /** Where the ledger lives; `--db` and `LLMFIN_DB` win over this. */
    ledger: z.object({ path: pathText.optional() }).strict().default({}),
    pricing: Pricing.default({ discounts: [], custom_models: [], self_hosted: [] }),
    attribution: Attribution.default({ rules: [], dimensions: [], shared: [] }),
    /** A budget is known by its name (alerts, status, the spend the proxy starts from), so names are unique. */
    budgets: z
      .array(Budget)
      .superRefine((budgets, ctx) => {
        const seen = new Set<string>();
        budgets.forEach((b, i) => {
          if (seen.has(b.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `budget "${b.name}" is defined twice; give each budget its own name` });
          seen.add(b.name);
        });
      })
      .default([]),
    import: Import.default({ meters: [] }),
    proxy: Proxy.default({ host: '127.0.0.1', port: 8787, store_prompts: false, upstreams: {}, keys: [] }),
    /** Model routing (routing-config-schema.ts); `{}` is off. */
    routing: RoutingSchema.default({}),
    check: Check.default({ baseline: 'llmfin.baseline.json', by: 'feature', max_increase: '10', strict: false, groups: {}, prompts: { paths: [] } }),
    anomalies: Anomalies.default({ min_impact_usd: 10, runaway_session_usd: 25, loop_repeats: 4, sensitivity: 'medium' }),
  })
  .strict()
  .superRefine((config, ctx) => {
    // A budget scoped on a proxy key that is not configured matches no request: a typo would be a budget that never applies.
    const names = config.proxy.keys.map((k) => k.name ?? k.key_env);
    config.budgets.forEach((b, i) => {
      const key = b.scope.key;
      if (key === undefined || names.includes(key)) return;
      const known = names.length > 0 ? `one of ${names.join(', ')}` : 'none is configured';
      ctx.addIssue({ code: 'custom', path: ['budgets', i, 'scope', 'key'], message: `expected the name of a proxy key in proxy.keys (${known}), got "${key}"` });
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
export type MeterMappingConfig = z.infer<typeof MeterMapping>;
export type BudgetConfig = z.infer<typeof Budget>;
export type AnomaliesConfig = z.infer<typeof Anomalies>;
export type AttributionRuleConfig = z.infer<typeof AttributionRule>;
export type SharedCostConfig = z.infer<typeof SharedCost>;
export type DiscountConfig = z.infer<typeof Discount>;
export type CustomModelConfig = z.infer<typeof CustomModel>;
export type SelfHostedModelConfig = z.infer<typeof SelfHostedModel>;
export type CheckConfig = z.infer<typeof Check>;
export type CheckGroupConfig = z.infer<typeof CheckGroup>;
export type ProxyConfig = z.infer<typeof Proxy>;
export type ProxyUpstreamConfig = z.infer<typeof Upstream> & { dialect: 'openai' | 'anthropic' };
export type ProxyKeyConfig = z.infer<typeof ProxyKey>;
