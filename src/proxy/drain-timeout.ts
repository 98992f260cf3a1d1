/**
 * How long a graceful stop waits for requests in flight (streams can be long) before cutting
 * them. Its own module so that `llmfin proxy --help` can state it without loading the proxy.
 */
export const DRAIN_TIMEOUT_MS = 30_000;

/** After cutting what is still open, how long to wait for those attempts to record their rows. */
export const CUT_SETTLE_MS = 2_000;
