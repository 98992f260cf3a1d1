/**
 * Between two attempts of one request: the failed attempt gets its own ledger row (it
 * holds neither the budget reservation nor the trace's loop entry, which stay with the
 * request until its last attempt), the retry is counted and logged, and the proxy waits —
 * unless the client goes away, in which case no further call is made and the
 * reservation is released.
 */
import type { EventEmitter } from 'node:events';
import type { ProxyRuntime } from '../proxy-runtime.js';
import { elapsedMs, type AttemptState } from './attempt-state.js';
import { priceAttempt, recordAttempt } from './record-attempt.js';

/** Resolves after `ms`, or as soon as `abort` fires. */
function pause(ms: number, abort: EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      abort.off('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    abort.once('abort', done);
  });
}

/**
 * Records `failed`, waits `waitMs`, and returns the state of the next attempt; undefined
 * when the client left meanwhile (the request is over).
 */
export async function nextAttempt(rt: ProxyRuntime, failed: AttemptState, waitMs: number, abort: EventEmitter): Promise<AttemptState | undefined> {
  const reason = failed.failure ?? `http_${failed.statusCode}`;
  if (failed.ttfbMs === undefined && failed.responded) failed.ttfbMs = elapsedMs(failed);
  recordAttempt(rt, { ...failed, ticket: undefined, loopCall: undefined }, priceAttempt(rt, failed));
  rt.metrics.retried(failed.upstream.name, reason);
  rt.log.event('warn', `${failed.requestId}: attempt ${failed.attempt} to upstream "${failed.upstream.name}" failed (${reason}); retrying in ${waitMs} ms`, {
    request_id: failed.requestId,
    attempt: failed.attempt,
    reason,
    wait_ms: waitMs,
  });
  await pause(waitMs, abort);
  if (failed.clientGone) {
    failed.ticket?.release();
    return undefined;
  }
  return {
    ...failed,
    attempt: failed.attempt + 1,
    startedAt: Date.now(),
    t0: performance.now(),
    statusCode: 0,
    responded: false,
    ttfbMs: undefined,
    usage: undefined,
    outputChars: 0,
    failure: undefined,
    failureDetail: undefined,
    errorBody: undefined,
  };
}
