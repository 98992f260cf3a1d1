/** The columns a proxy row has beyond an imported entry's (migration: proxy columns). */
export const PROXY_COLUMNS = ['latency_ms', 'ttfb_ms', 'status_code', 'prompt_hash'] as const;
