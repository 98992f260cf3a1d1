/**
 * An attempt the upstream refused before the model ran (an error status and not a token:
 * a 429 or 503 the SDK retried, a 400). The proxy records each attempt as a row, and such
 * a row is $0 and no request: counted, every retry would lower cost per request and pull
 * tokens per request towards 0. `check` (check/run-usage.ts) and `route simulate`
 * (routing/realised-cost.ts) leave it out alike. SQL over usage_entries rows.
 */
export const FAILED_ATTEMPT = '(coalesce(status_code, 0) >= 400 and input_tokens = 0 and output_tokens = 0)';

/** A row's requests, none for a failed attempt. */
export const COUNTED_REQUESTS = `(case when ${FAILED_ATTEMPT} then 0 else requests end)`;
