/**
 * The node:http side of the proxy: dispatches operations endpoints (`/llmfin/health`,
 * `/metrics`) and LLM endpoints, keeps count of requests in flight, and stops
 * gracefully — stop accepting, let requests in flight finish, write every queued row.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CUT_SETTLE_MS, DRAIN_TIMEOUT_MS } from './drain-timeout.js';
import { forwardLlmRequest } from './forward/forward-llm-request.js';
import { respondError, respondJson } from './forward/respond.js';
import { healthReport } from './ops/health.js';
import { escapeControl, refusalLine } from './ops/request-log.js';
import type { Dialect } from './dialect-error.js';
import { ProxyListenError } from './proxy-errors.js';
import type { ProxyRuntime } from './proxy-runtime.js';
import { FORWARDED_ENDPOINTS, findRoute, routeFor } from './usage/registry.js';

export class ProxyServer {
  readonly rt: ProxyRuntime;
  readonly #server: Server;
  readonly #startedAt = Date.now();
  readonly #ledgerPath: string;
  readonly #version: string;
  #closing = false;
  #idle: (() => void) | undefined;

  constructor(rt: ProxyRuntime, ledgerPath: string, version: string) {
    this.rt = rt;
    this.#ledgerPath = ledgerPath;
    this.#version = version;
    this.#server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => this.#handle(req, res));
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(new ProxyListenError(host, port, error.code, error.code === 'EADDRINUSE' ? 'the port is in use' : error.message));
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q);
    // HEAD as well as GET: load balancers and uptime checks often probe with HEAD (node:http
    // then sends the headers alone).
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/llmfin/health' && read) {
      const health = healthReport(this.rt, this.#startedAt, this.#ledgerPath, this.#version);
      return respondJson(res, health.status, health.body);
    }
    if (path === '/metrics' && read) return respondJson(res, 200, this.metricsText(), 'text/plain; version=0.0.4; charset=utf-8');
    const anthropicClient = req.headers['anthropic-version'] !== undefined;
    const paths = findRoute(path, anthropicClient);
    const dialect = paths?.dialect ?? (anthropicClient ? 'anthropic' : 'openai');
    if (paths === undefined) {
      req.resume();
      // The path is the client's: named on the log line (escaped, cut short), never a metrics label.
      const shown = escapeControl(path.length > 200 ? `${path.slice(0, 200)}…` : path);
      return this.#turnAway(req, res, dialect, 404, 'unknown_endpoint', `llmfin proxy: no route for ${req.method} ${path}; it forwards ${FORWARDED_ENDPOINTS.join(', ')}`, shown, '(unknown)');
    }
    const route = routeFor(paths, req.method);
    if (route === undefined) {
      req.resume();
      const methods = paths.routes.map((r) => r.method);
      const endpoint = paths.routes[0]!.endpoint;
      return this.#turnAway(req, res, dialect, 405, 'method_not_allowed', `llmfin proxy: ${path} takes ${methods.length > 1 ? `${methods.slice(0, -1).join(', ')} or ${methods.at(-1)!}` : methods[0]!}`, endpoint, endpoint, { allow: methods.join(', ') });
    }
    if (this.#closing) {
      req.resume();
      return this.#turnAway(req, res, dialect, 503, 'shutting_down', 'llmfin proxy is shutting down', route.endpoint, route.endpoint, { connection: 'close' });
    }
    this.rt.inFlight++;
    forwardLlmRequest(this.rt, req, res, route, path, query)
      .catch((error: unknown) => {
        this.rt.log.event('error', `internal error on ${req.method} ${path}: ${(error as Error).message}`);
        respondError(res, dialect, 500, 'llmfin_internal_error', 'llmfin proxy: internal error (see the proxy log)');
      })
      .finally(() => {
        this.rt.inFlight--;
        if (this.rt.inFlight === 0) this.#idle?.();
      });
  }

  /**
   * A request answered before any route took it (unknown path or method, or the proxy
   * stopping): a log line and a count in /metrics, as every other refusal gets, so that a
   * client whose base URL lacks `/v1` is seen from the proxy's side too.
   */
  #turnAway(req: IncomingMessage, res: ServerResponse, dialect: Dialect, status: number, code: string, message: string, shown: string, endpoint: string, headers: Record<string, string> = {}): void {
    const id = this.rt.ids.next();
    respondError(res, dialect, status, code, message, { 'x-llmfin-request-id': id, ...headers });
    const method = req.method ?? '-';
    this.rt.metrics.request('-', endpoint, method, status);
    this.rt.log.request(refusalLine({ id, method, endpoint: shown, status, error: code }));
  }

  metricsText(): string {
    return this.rt.metrics.render({
      queueDepth: () => this.rt.queue.depth,
      rowsWritten: () => this.rt.queue.written,
      budgets: () => this.rt.gate.snapshot?.() ?? [],
      inFlight: () => this.rt.inFlight,
    });
  }

  /**
   * Resolves when no request is in flight, or after `ms`, or — for the drain wait only
   * (`hurriable`) — once `hurry` has been called.
   */
  #waitIdle(ms: number, hurriable: boolean): Promise<void> {
    if (this.rt.inFlight === 0 || (hurriable && this.#hurried)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#idle = undefined;
        this.#hurry = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#idle = done;
      if (hurriable) this.#hurry = done;
    });
  }

  #hurried = false;
  #hurry: (() => void) | undefined;

  /**
   * During close: stop waiting for requests in flight; they are cut now. Only the drain wait
   * ends early: the short wait after the cut still lets each cut attempt record its row.
   */
  hurry(): void {
    this.#hurried = true;
    this.#hurry?.();
  }

  /** Graceful stop: refuse new requests, wait for those in flight (up to `drainMs`), write every queued row. */
  async close(drainMs = DRAIN_TIMEOUT_MS): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    await this.#waitIdle(drainMs, true);
    // Whatever is still open (a stream past the drain time) is cut; its attempt ends as a
    // client disconnect and records its row, which takes a few event-loop turns.
    this.#server.closeAllConnections();
    await this.#waitIdle(CUT_SETTLE_MS, false);
    await closed;
    // Background responses still running keep their estimated rows; their reservations end with the proxy.
    this.rt.background.settleAll(this.rt);
    await this.rt.pools.close();
    await this.rt.queue.stop();
    this.rt.log.flush();
  }
}
