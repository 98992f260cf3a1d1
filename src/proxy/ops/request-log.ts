/**
 * Structured logs on stderr: one line per request (id, endpoint, upstream, model,
 * status, tokens, cost, latency) and a line per operational event. Never a key, never
 * prompt text: only fields chosen here are written. Lines are gathered and written at
 * the end of the event-loop turn — or, within 5 ms of the last write, when those 5 ms are
 * up: under load a write (a system call into a file or pipe) then carries some 30 lines
 * rather than the handful one turn completes, and a line is never more than 5 ms late.
 */
import { isoTime } from '../iso-time.js';

export type LogFormat = 'text' | 'json';

/** C0 and C1 control characters, DEL, and Unicode's line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Text with its control characters written as escapes (`\r`, `\n`, `\x1b`, `\u2028`):
 * a model name, trace id or path comes from the client, and a CR/LF in it would
 * otherwise start a forged line in the log (JSON lines are escaped by JSON itself).
 */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** How much an operational event matters. */
export type EventLevel = 'info' | 'warn' | 'error';

/**
 * An operational event as `--log-format json` writes it, one JSON object without its newline:
 * the same shape whether it is gathered by ProxyLog or written at once (the start and stop lines).
 */
export function eventJson(ts: string, level: EventLevel, message: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ ts, level, event: 'proxy', message, ...fields });
}

/** The least time between two writes of gathered lines, ms. */
const WRITE_GAP_MS = 5;

export interface RequestLogLine {
  id: string;
  method: string;
  endpoint: string;
  upstream: string;
  model: string | undefined;
  /** Set when a budget rewrote the model. */
  routed_from?: string | undefined;
  status: number;
  stream: boolean;
  input_tokens: number;
  output_tokens: number;
  cost_usd: string | null;
  cost_status: string;
  latency_ms: number;
  ttfb_ms: number | undefined;
  error?: string | undefined;
}

/**
 * A request refused before anything went upstream: what its log line says beyond what every
 * refusal's says (no tokens, no cost, `rejected`, no time to first byte).
 */
export interface RefusalLogLine {
  id: string;
  method: string;
  endpoint: string;
  status: number;
  /** The error code, or the budget that refused it. */
  error: string;
  /** `-` when no upstream was chosen. */
  upstream?: string | undefined;
  model?: string | undefined;
  routed_from?: string | undefined;
  stream?: boolean | undefined;
  /** 0 when it was refused before any work was timed. */
  latency_ms?: number | undefined;
}

/** The request line a refusal is logged as. */
export function refusalLine(r: RefusalLogLine): RequestLogLine {
  return {
    id: r.id,
    method: r.method,
    endpoint: r.endpoint,
    upstream: r.upstream ?? '-',
    model: r.model,
    routed_from: r.routed_from,
    status: r.status,
    stream: r.stream ?? false,
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: null,
    cost_status: 'rejected',
    latency_ms: r.latency_ms ?? 0,
    ttfb_ms: undefined,
    error: r.error,
  };
}

export class ProxyLog {
  readonly #write: (text: string) => void;
  readonly format: LogFormat;
  /** A clock for tests; by default the time is read as a number and formatted with isoTime. */
  readonly #now: (() => Date) | undefined;
  #pending: string[] = [];
  #scheduled = false;
  /** performance.now() of the last write. */
  #wroteAt = Number.NEGATIVE_INFINITY;

  constructor(write: (text: string) => void, format: LogFormat, now?: () => Date) {
    this.#write = write;
    this.format = format;
    this.#now = now;
  }

  #ts(): string {
    return this.#now === undefined ? isoTime(Date.now()) : this.#now().toISOString();
  }

  #emit(line: string): void {
    this.#pending.push(line);
    if (this.#scheduled) return;
    this.#scheduled = true;
    const wait = this.#wroteAt + WRITE_GAP_MS - performance.now();
    if (wait <= 0) setImmediate(() => this.flush());
    // Unref'd: pending lines never keep the process alive; close() flushes them.
    else setTimeout(() => this.flush(), wait).unref();
  }

  /** Writes the gathered lines now (also called before exit). */
  flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const text = `${this.#pending.join('\n')}\n`;
    this.#pending = [];
    this.#wroteAt = performance.now();
    this.#write(text);
  }

  request(r: RequestLogLine): void {
    const ts = this.#ts();
    if (this.format === 'json') {
      // Written field by field: the same JSON as stringifying the line object, without building it (one per request).
      const level = r.status >= 500 ? 'error' : r.status >= 400 ? 'warn' : 'info';
      const q = JSON.stringify;
      this.#emit(
        `{"ts":"${ts}","level":"${level}","event":"request","id":${q(r.id)},"method":${q(r.method)},"endpoint":${q(r.endpoint)},"upstream":${q(r.upstream)}` +
          `${r.model === undefined ? '' : `,"model":${q(r.model)}`}${r.routed_from === undefined ? '' : `,"routed_from":${q(r.routed_from)}`}` +
          `,"status":${r.status},"stream":${r.stream},"input_tokens":${r.input_tokens},"output_tokens":${r.output_tokens},"cost_usd":${r.cost_usd === null ? 'null' : q(r.cost_usd)}` +
          `,"cost_status":${q(r.cost_status)},"latency_ms":${r.latency_ms}${r.ttfb_ms === undefined ? '' : `,"ttfb_ms":${r.ttfb_ms}`}${r.error === undefined ? '' : `,"error":${q(r.error)}`}}`,
      );
      return;
    }
    const cost = r.cost_usd === null ? r.cost_status : `$${r.cost_usd}${r.cost_status === 'priced' ? '' : ` ${r.cost_status}`}`;
    // The model names come from the client's request body: escaped, as is the error text.
    const model = escapeControl(r.routed_from !== undefined ? `${r.routed_from}->${r.model ?? '-'}` : (r.model ?? '-'));
    this.#emit(
      `${ts} ${r.id} ${r.status} ${r.method} ${r.endpoint}${r.stream ? ' stream' : ''} ${r.upstream} ${model} in=${r.input_tokens} out=${r.output_tokens} ${cost} ${r.latency_ms}ms` +
        `${r.ttfb_ms === undefined ? '' : ` ttfb=${r.ttfb_ms}ms`}${r.error ? ` ${escapeControl(r.error)}` : ''}`,
    );
  }

  /** An operational event: started, reloaded, a flush failed, a budget alert. */
  event(level: EventLevel, message: string, fields: Record<string, unknown> = {}): void {
    const ts = this.#ts();
    if (this.format === 'json') this.#emit(eventJson(ts, level, message, fields));
    // A message may quote a client's trace id, path or upstream's error: one line, whatever they hold.
    else this.#emit(`${ts} ${level === 'info' ? '' : `${level}: `}${escapeControl(message)}`);
  }
}
