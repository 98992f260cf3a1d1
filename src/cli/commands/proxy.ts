/** `llmfin proxy`: registration only; the work is in proxy-run.ts. */
import type { Command } from 'commander';
import { DRAIN_TIMEOUT_MS } from '../../proxy/drain-timeout.js';
import type { CliContext } from '../cli-context.js';

export interface ProxyCommandOptions {
  host?: string;
  port?: string;
  upstream?: string[];
  logFormat?: string;
  runId?: string;
  recordOnly?: boolean;
}

export function registerProxy(program: Command, ctx: CliContext): void {
  program
    .command('proxy')
    .description('the local metering proxy (OpenAI- and Anthropic-compatible): every request priced, attributed, budgeted and written to the ledger')
    .option('--host <host>', 'address to bind (default: proxy.host in llmfin.yaml, else 127.0.0.1 — this machine only)')
    .option('--port <n>', 'port to listen on; 0 picks a free one and prints it (default: proxy.port, else 8787)')
    .option('--upstream <name=url>', 'base URL for an upstream, overriding llmfin.yaml (repeatable): openai=URL, anthropic=URL, groq=URL…', (v: string, all: string[] = []) => [...all, v])
    .option('--log-format <format>', 'one line per request on stderr: text or json (default: proxy.log_format, else text)')
    .option('--run-id <id>', 'stored on every row as the tag run_id (default: $LLMFIN_RUN_ID)')
    .option('--record-only', 'meter and record only, changing no traffic: budgets not enforced, routing recorded as in shadow mode, loops flagged not refused (for CI and eval runs)')
    .addHelpText(
      'after',
      `
Point an SDK's base URL at the proxy; its requests, streams included, are forwarded to the
upstream and each becomes a priced ledger row (provenance metered, source proxy):
  OpenAI      new OpenAI({ baseURL: 'http://127.0.0.1:8787/v1' })      OPENAI_BASE_URL=http://127.0.0.1:8787/v1
  Anthropic   new Anthropic({ baseURL: 'http://127.0.0.1:8787' })      ANTHROPIC_BASE_URL=http://127.0.0.1:8787

Attribution headers (removed before forwarding): x-llmfin-team, -feature, -customer, -agent,
-trace-id, -environment, -project, -user, -tags (k=v,k=v); x-llmfin-upstream picks an upstream,
as does a model prefix "name/model". Proxy keys (proxy.keys) pin tags callers cannot override.
Response headers: x-llmfin-request-id, x-llmfin-model, x-llmfin-cost-usd and -cost-status
(streams end with a ": llmfin request_id=… cost_usd=… cost_status=…" comment instead),
x-llmfin-routed-from when routing or a budget changed the model, x-llmfin-loop on a looping
trace, x-llmfin-attempts when proxy.retries called the upstream again.
Operations: GET /llmfin/health (HTTP 503 while ledger writes fail), GET /metrics (Prometheus).
SIGHUP reloads upstreams, keys, routing and budgets from llmfin.yaml; SIGINT/SIGTERM stop gracefully after
writing every row (requests in flight get up to ${DRAIN_TIMEOUT_MS / 1000} s; the signal again cuts them now).

Examples:
  $ llmfin proxy                                            127.0.0.1:8787, upstreams from llmfin.yaml
  $ llmfin proxy --port 0 --db ./ci-ledger.db --record-only --run-id "$GITHUB_RUN_ID"
  $ llmfin proxy --upstream openai=http://localhost:11434/v1 --log-format json
  $ curl -s http://127.0.0.1:8787/llmfin/health`,
    )
    .action(async (opts: ProxyCommandOptions) => {
      const { proxyCommand } = await import('./proxy-run.js');
      await proxyCommand(ctx, opts);
    });
}
