/**
 * The commented `llmfin.yaml` that `llmfin init` writes. A test parses it with the
 * schema, so it can never drift into something llmfin itself would reject.
 */
export const STARTER_CONFIG = `# llmfin.yaml — configuration for llmfin (https://github.com/llmfin/llmfin)
# Precedence: command-line flags > environment (LLMFIN_DB, LLMFIN_CONFIG) > this file > defaults.
# Every section is optional; delete what you do not need. An option left empty takes its
# default; to use an example, remove the "# " in front of its lines.

ledger:
  # Where the ledger (a SQLite file) lives. Relative paths are relative to this file.
  # Default: your data directory (~/.local/share/llmfin/ledger.db on Linux).
  # path: ./llmfin.db

pricing:
  # A catalogue folder written by "llmfin pricing update --out", relative to this file
  # (default: the one "llmfin pricing update" wrote to your data directory, else the
  # catalogue bundled with llmfin).
  # catalogue: ./pricing

  # Negotiated discounts, applied after list prices. percent: 0 < p <= 100.
  discounts:
  #  - provider: openai
  #    percent: 10
  #  - provider: anthropic
  #    model: claude-sonnet-*        # glob over the model id
  #    percent: 15
  #    from: 2026-01-01              # optional validity window [from, to): ISO dates (UTC) or times
  #    to: 2027-01-01

  # Models the public catalogue does not know, priced in USD per 1M tokens.
  custom_models:
  #  - provider: acme-llm
  #    id: acme-large
  #    match: [acme-large-*]
  #    input: 1.20
  #    output: 4.80
  #    cache_read: 0.12

  # Models you host: price per token = GPU $/hour x gpus / 3600 / tokens per second.
  self_hosted:
  #  - id: llama-3.3-70b-onprem
  #    gpu_usd_per_hour: 2.50
  #    gpus: 2
  #    tokens_per_second: 1500       # or input_tokens_per_second + output_tokens_per_second

attribution:
  # Ordered rules that set dimensions (team, feature, customer, agent, cost_center, any
  # key) from raw identifiers: provider, source, account, model, project, api_key,
  # workspace, user, customer, team, feature, agent, environment, trace, tags.KEY.
  # Patterns are globs (proj_search*) or /regex/ whose groups set values can use as $1.
  # The first rule that sets a dimension wins; a value the row recorded itself (a proxy
  # header, a tag) wins over rules unless the rule says override: true. Editing rules
  # re-attributes all history; "llmfin attribute --explain ROW" shows who set what.
  rules:
  #  - name: search team owns the search project
  #    match: { project: proj_search* }
  #    set: { team: search, feature: semantic-search }
  #  - name: keys are named sk-<team>-...
  #    match: { api_key: "/^sk-([a-z]+)-/" }
  #    set: { team: $1 }
  # Custom tag keys that reports may group by.
  dimensions:
  #  - cost_center
  # Shared costs split over teams for "llmfin report --chargeback":
  # method even | proportional (to each team's own spend) | weights.
  shared:
  #  - name: platform team
  #    from: { team: platform }
  #    over: team
  #    method: proportional
  #  - name: unattributed
  #    from: { team: (unattributed) }
  #    method: weights
  #    weights: { search: 2, support: 1 }

budgets:
#  - name: support-monthly           # unique: alerts and status name a budget by it
#    scope: { team: support }        # team, feature, customer, agent, environment, project, provider, model, key, tags.KEY
#    period: monthly                 # daily | weekly | monthly
#    timezone: UTC                   # IANA zone of the period boundaries
#    limit_usd: 5000
#    soft_limit_percent: 80          # amber from here, alert once
#    action: block                   # alert | block | throttle (+ throttle_rpm) | downgrade (+ downgrade_to)

import:
  # Bill meters "llmfin import" lists as unclassified, mapped to the model and token kind
  # they bill (CUR usage type, Azure meter name, GCP SKU description).
  meters:
  #  - match: "USE1-NovaUltra-input-tokens*"   # glob over the meter text, any case
  #    source: aws-cur                          # optional: aws-cur | azure-cost | gcp-billing
  #    model: amazon.nova-premier-v1:0
  #    tokens: input                            # input | output | cache_read | cache_write_5m | ...
  #    batch: false                             # true: priced at the batch rate

proxy:
  # llmfin proxy: point SDKs at http://127.0.0.1:8787/v1 (OpenAI) or http://127.0.0.1:8787 (Anthropic).
  host: 127.0.0.1                   # never exposed beyond this machine unless you change it
  port: 8787
  store_prompts: false              # prompt text is never stored unless this is true
  # With no upstream for a dialect, api.openai.com / api.anthropic.com are used with the
  # client's own key. A request picks an upstream with the x-llmfin-upstream header or a
  # model prefix (groq/llama-3.3-70b-versatile); otherwise the first of its dialect.
  upstreams:
  #  openai:
  #    base_url: https://api.openai.com
  #    api_key_env: OPENAI_API_KEY   # the key stays in the environment, never in this file
  #  anthropic:
  #    base_url: https://api.anthropic.com
  #    api_key_env: ANTHROPIC_API_KEY
  #    dialect: anthropic
  #  groq:
  #    base_url: https://api.groq.com/openai/v1
  #    api_key_env: GROQ_API_KEY
  # Proxy keys: a caller using the value of key_env (llmfin-sk-...) as its API key gets
  # these tags, which request headers cannot override, and the upstream's own key is used.
  keys:
  #  - key_env: LLMFIN_KEY_SEARCH
  #    name: search-bot
  #    tags: { team: search, feature: semantic-search }
  # require_key: false              # true: refuse requests without a proxy key
  # log_format: text                # text | json (one line per request on stderr)
  # loops:                          # agent loops within a trace (x-llmfin-trace-id)
  #   action: flag                  # flag: log, x-llmfin-loop header, tag loop; block: 429 on the repeat
  #   repeats: 4                    # the same call (or error) this many times (default: anomalies.loop_repeats)
  # retries:                        # off unless set: the SDKs retry on their own
  #   max: 2                        # calls again after 429/5xx or an unreachable upstream,
  #   max_wait_ms: 30000            # before anything reaches the client; honours Retry-After

routing:
# Model routing: off until tiers are defined. Start with mode: shadow, read
# "llmfin route simulate --since 30d", then switch to enforce.
#  mode: shadow                      # shadow | enforce
#  tiers:                            # cheapest first; pool key = upstream name or openai / anthropic
#    - name: small
#      models: { openai: [gpt-4.1-nano, gpt-4o-mini], anthropic: [claude-haiku-4-5] }
#    - name: medium
#      models: { openai: [gpt-4.1-mini, gpt-5-mini], anthropic: [claude-sonnet-4-5] }
#    - name: large
#      models: { openai: [gpt-4.1, gpt-4o, gpt-5], anthropic: [claude-opus-4-5] }
#  max_quality_loss: 0.10            # cheapest tier within this predicted success of the best
#  default_tier: medium              # requests with no evidence
#  rules:
#    - match: { agent: support-* }   # agent, feature, model (globs)
#      min_tier: medium              # quality floor: never below
#  stickiness: { enabled: true }     # within a trace the tier only goes up
#  escalation: { tool_errors: 2, tiers: 1 }

anomalies:
  # llmfin anomalies: what is worth an alert.
  min_impact_usd: 10                # an anomaly must cost at least this much extra
  runaway_session_usd: 25           # a trace or session costing more is a runaway
  loop_repeats: 4                   # identical calls in a trace before it is a loop
  sensitivity: medium               # low | medium | high

check:
  # llmfin check: fail a pull request whose requests cost more than the committed baseline.
  baseline: llmfin.baseline.json    # relative to this file; written by \`llmfin baseline save\`
  by: feature                       # feature | scenario (tag scenario, else the feature) | model
  max_increase: 10%                 # cost per request may grow this much (exactly 10% passes)
  # max_token_increase: 10%         # tokens per request (default: max_increase)
  strict: false                     # true: a group without a baseline fails instead of warning
  groups:
  #  checkout:
  #    max_increase: 5%
  #    max_cost_per_request: 0.002   # USD at current prices, baseline or not
  prompts:
    paths: []                       # globs for \`llmfin check --prompts\`, e.g. prompts/**/*.{md,txt,hbs}
    # model: gpt-4o                 # what templates are tokenized and priced for
`;

/** The starter config with its ledger path set (a JSON string is a valid YAML scalar). */
export function withLedgerPath(config: string, path: string): string {
  const line = '  # path: ./llmfin.db\n';
  if (!config.includes(line)) throw new Error('starter config: the ledger path line moved');
  // A function, not a string: a replacement string reads "$$" and "$'" in a path as patterns.
  return config.replace(line, () => `  path: ${JSON.stringify(path)}\n`);
}
