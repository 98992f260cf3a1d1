/**
 * One upstream attempt as it happens: filled by the request side (route, model, prompt,
 * attribution, gate ticket) and the response side (status, time to first byte, usage),
 * then turned into a ledger row by record-attempt.ts.
 */
import type { ServerResponse } from 'node:http';
import type { LoopCall, LoopFinding } from '../../anomalies/loop-detector.js';
import type { ServiceTier } from '../../pricing/catalogue-schema.js';
import type { RouteDecision } from '../../routing/route-decision.js';
import type { AttemptFailure, BackgroundFacts } from '../ledger/attempt-entry.js';
import type { GateTicket } from '../request-gate.js';
import type { Attribution } from '../request/attribution-headers.js';
import type { EndpointRoute } from '../usage/registry.js';
import type { CapturedUsage, PreparedRequest } from '../usage/usage-capture.js';
import type { Upstream } from '../upstreams/upstream-table.js';

export interface AttemptState {
  readonly requestId: string;
  readonly attempt: number;
  readonly method: string;
  /** Date.now() and performance.now() when the request arrived. */
  readonly startedAt: number;
  readonly t0: number;
  readonly route: EndpointRoute;
  readonly upstream: Upstream;
  /** The upstream the request named or defaulted to, before routing moved it (prices the original model). */
  readonly requestedUpstream: Upstream;
  readonly res: ServerResponse;
  readonly modelRequested: string | undefined;
  readonly modelSent: string | undefined;
  /** The model routing or a budget replaced, for `x-llmfin-routed-from`. */
  readonly routedFrom: string | undefined;
  /** The routing decision (shadow or enforce), or undefined when routing is off. */
  readonly routing: RouteDecision | undefined;
  /** extractRouteText's hashes, for the routing record. */
  readonly routeHashes: { systemHash: string | undefined; promptHash: string } | undefined;
  readonly notice: string | undefined;
  readonly stream: boolean;
  /** The tier the request asked for when it costs more than standard (RequestFacts.serviceTier). */
  readonly requestedTier?: ServiceTier | undefined;
  /** The region priced apart the request asked for (RequestFacts.region). */
  readonly requestedRegion?: string | undefined;
  readonly prepared: PreparedRequest;
  /** The prompt's text parts; hashed after the response is sent, off the client's path. */
  readonly promptText: readonly string[];
  readonly promptChars: number;
  /** sha256 of the prompt when it was needed before forwarding (loop detection); else hashed later. */
  readonly promptHash: string | undefined;
  readonly messageCount: number;
  readonly attribution: Attribution;
  readonly apiKeyId: string | undefined;
  readonly ticket: GateTicket | undefined;
  /** The dims `ticket` holds the request under (forward-llm-request.ts gateDims). */
  readonly gateDims?: Readonly<Record<string, string>> | undefined;
  /** The trace's loop-window entry (requests with a trace id), settled with the call's error. */
  readonly loopCall: LoopCall | undefined;
  /** A loop the trace is in, for `x-llmfin-loop` and the row's `loop` tag. */
  loop: LoopFinding | undefined;
  loopSettled: boolean;
  // Filled as the response arrives.
  statusCode: number;
  responded: boolean;
  ttfbMs: number | undefined;
  usage: CapturedUsage | undefined;
  /** The model a stream's events (or a JSON body) named, for a row whose usage never came. */
  streamModel?: string | undefined;
  /**
   * How a stream that ended cleanly still fell short: it ended without the provider's
   * terminal event, or carried the provider's error. For the row's description.
   */
  streamNote?: string | undefined;
  outputChars: number;
  /**
   * The provider's error when it came with HTTP 200 in place of a response (a JSON error
   * body, or a stream whose first event is the error) and nothing shows the model ran.
   */
  errorBody?: string | undefined;
  failure: AttemptFailure | undefined;
  failureDetail: string | undefined;
  clientGone: boolean;
  /** A background create's output cap (`background: true`), for its estimate while it runs. */
  readonly backgroundCap?: number | undefined;
  /** A background create answered before the model ran: its response id and status (background-responses.ts). */
  background?: BackgroundFacts | undefined;
  /**
   * A retrieval of a background response (`GET /v1/responses/{id}`, its cancel): its id. One
   * the proxy holds is re-priced when it has ended; one it does not hold is looked up in
   * the ledger when it has ended with usage (background-responses.ts).
   */
  readonly settling?: string | undefined;
  /** The status the retrieved response had, once read. */
  finalStatus?: string | undefined;
  /** The retrieved response's `created_at`, Unix seconds, once read. */
  finalCreatedAt?: number | undefined;
}

/** Milliseconds since the request arrived, to a tenth. */
export function elapsedMs(state: Pick<AttemptState, 't0'>): number {
  return Math.round((performance.now() - state.t0) * 10) / 10;
}
