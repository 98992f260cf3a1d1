// The sample company's workloads, shared by make-demo-fixtures.mjs (October) and
// make-demo-history.mjs (August and September at a lower, growing level).
export const customers = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'];
export const customerWeight = { acme: 0.32, globex: 0.22, initech: 0.16, umbrella: 0.13, hooli: 0.1, stark: 0.07 };

// requests/day on a weekday, tokens per request (input incl. cache, cache read share, output, reasoning)
export const workloads = [
  { team: 'support', feature: 'ticket-summary', provider: 'anthropic', model: 'claude-haiku-4-5', perCustomer: true, rpd: 9000, inTok: 2400, cacheShare: 0.55, write5m: 40, outTok: 220, key: 'sk-support-prod' },
  { team: 'support', feature: 'support-agent', agent: 'support-agent', provider: 'anthropic', model: 'claude-sonnet-4-5', perCustomer: true, rpd: 2600, inTok: 14000, cacheShare: 0.7, write1h: 900, outTok: 650, key: 'sk-support-prod' },
  { team: 'search', feature: 'semantic-search', provider: 'openai', model: 'text-embedding-3-small', perCustomer: true, rpd: 60000, inTok: 380, outTok: 0, key: 'sk-search-prod' },
  { team: 'search', feature: 'answer-synthesis', provider: 'openai', model: 'gpt-4.1-mini', perCustomer: true, rpd: 14000, inTok: 3100, cacheShare: 0.35, outTok: 420, key: 'sk-search-prod' },
  { team: 'growth', feature: 'email-drafts', provider: 'openai', model: 'gpt-4o-mini', rpd: 5200, inTok: 900, outTok: 380, key: 'sk-growth' },
  { team: 'growth', feature: 'landing-copy', provider: 'google', model: 'gemini-2.5-flash', rpd: 700, inTok: 1800, outTok: 900, reasoning: 400, key: 'sk-growth' },
  { team: 'platform', feature: 'code-review-bot', agent: 'coder', provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', rpd: 1100, inTok: 22000, cacheShare: 0.6, write5m: 2500, outTok: 1100, key: 'aws-platform' },
  { team: 'data-science', feature: 'research-agent', agent: 'research-agent', provider: 'openai', model: 'o3', rpd: 450, inTok: 8000, cacheShare: 0.4, outTok: 2600, reasoning: 1900, key: 'sk-ds' },
  { team: 'data-science', feature: 'doc-qa', provider: 'google', model: 'gemini-2.5-pro', perCustomer: true, rpd: 380, inTok: 60000, cacheShare: 0.5, outTok: 700, reasoning: 900, key: 'sk-ds' },
];

/**
 * One day of one workload slice as an llmfin JSONL row. The jitter calls come in a fixed
 * order (input, cache read, cache writes, output, reasoning): changing it changes every
 * generated file.
 */
export function dailyRow({ day, next, w, customer, environment, requests, inTok, jitter }) {
  const input = Math.round(requests * jitter(inTok, 0.08));
  const cacheRead = Math.round(input * jitter(w.cacheShare ?? 0, 0.1));
  const cacheWrite5m = Math.round(requests * (w.write5m ?? 0) * jitter(1, 0.2));
  const cacheWrite1h = Math.round(requests * (w.write1h ?? 0) * jitter(1, 0.2));
  const output = Math.round(requests * jitter(w.outTok, 0.1));
  const reasoning = Math.min(output, Math.round(requests * jitter(w.reasoning ?? 0, 0.1)));
  return {
    id: `demo-${day.toISOString().slice(0, 10)}-${w.feature}-${customer ?? 'internal'}-${environment}`,
    ts: day.toISOString().replace('.000', ''),
    ts_end: next.toISOString().replace('.000', ''),
    granularity: 'day',
    provenance: 'metered',
    provider: w.provider,
    model: w.model,
    requests,
    input_tokens: input + cacheWrite5m + cacheWrite1h,
    cache_read_tokens: cacheRead,
    cache_write_5m_tokens: cacheWrite5m,
    cache_write_1h_tokens: cacheWrite1h,
    output_tokens: output + (w.provider === 'google' ? reasoning : 0),
    reasoning_tokens: reasoning,
    team: w.team,
    feature: w.feature,
    customer,
    agent: w.agent ?? null,
    environment,
    api_key: w.key,
    project: `${w.team}-${environment === 'production' ? 'prod' : 'stg'}`,
  };
}
