/** One alert of `llmfin anomalies`: what, where (the dimension values), since when, and what it cost. */
export type AnomalyKind = 'spike' | 'level_shift' | 'creep' | 'runaway_session' | 'agent_loop';

export interface Anomaly {
  kind: AnomalyKind;
  /** The values of the dimensions asked for (`--by`), plus `trace` for trace anomalies. */
  dims: Record<string, string>;
  /** First day (or instant, for traces) of the anomaly. */
  since: string;
  /** Last day (or instant) seen. */
  until: string;
  /**
   * The day (or instant, for traces) the detector first raised it: the day a daily cron
   * would have been told. A level shift is raised on its fourth day, a creep days after it
   * began; `--detected-since` keeps only what was raised since a cron job's last run.
   */
  detected: string;
  /** What was measured (`spend`, `tokens_per_request`, `trace_cost`, `repeated_calls`). */
  metric: string;
  observed: number;
  expected: number;
  /** Money spent over what was expected, so far (USD). */
  excess_usd: number;
  /** One sentence a person can check against the ledger. */
  evidence: string;
  score: number;
  /**
   * The excess by UTC day, when the detector knows it (for the total, total-excess.ts;
   * not printed). Without it the excess is taken as even over its days.
   */
  daily?: Record<string, number>;
}

/** Everything the detectors read, loaded once (find-anomalies.ts). */
export interface AnomalyInput {
  days: string[];
  entities: EntitySeries[];
  traces: TraceCalls[];
}

export interface EntitySeries {
  dims: Record<string, string>;
  /** UTC days of the series, from the entity's first spend. */
  days: string[];
  /** Each day's spend in USD as a float, for the scans' statistics. */
  cost: Float64Array;
  /**
   * The same spend exact, in ticks (1e-10 USD): the money an alert adds up. Summed as
   * floats, three days of $0.175 were $0.5249999999999999, shown as $0.52.
   */
  costTicks: BigInt64Array;
  requests: Float64Array;
  tokens: Float64Array;
}

export interface TraceCall {
  ts: string;
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  /** The call's cost in ticks (1e-10 USD), summed exactly and converted once. */
  cost_ticks: bigint;
  prompt_hash: string | null;
  error: string | null;
}

export interface TraceCalls {
  trace: string;
  dims: Record<string, string>;
  calls: TraceCall[];
}
