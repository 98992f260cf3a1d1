/** Errors a user can cause when starting the proxy (exit 2, with what to do). */
import { LlmfinError } from '../shared/errors.js';

export class ProxyListenError extends LlmfinError {
  override readonly name = 'ProxyListenError';
  readonly host: string;
  readonly port: number;
  readonly code: string | undefined;
  constructor(host: string, port: number, code: string | undefined, message: string) {
    const hint =
      code === 'EADDRINUSE'
        ? 'stop the other process, or choose another port with --port (0 picks a free one)'
        : code === 'EACCES'
          ? 'ports below 1024 need privileges: use --port 8787 or another high port'
          : 'check --host and --port';
    super(`cannot listen on ${host}:${port}: ${message}`, { hint });
    this.host = host;
    this.port = port;
    this.code = code;
  }
}
