/**
 * `llmfin proxy`: opens the ledger and the price catalogue, loads the budget guard,
 * starts the proxy, prints a one-line banner, and runs until SIGINT or SIGTERM — then
 * stops accepting, lets requests in flight finish, writes every row and exits 0.
 * SIGHUP re-reads llmfin.yaml for upstreams, keys, routing and budgets; a bad file keeps the old config.
 */
import { countNoun } from '../../shared/count-noun.js';
import type { CliContext } from '../cli-context.js';
import type { ProxyCommandOptions } from './proxy.js';
import { ExitCode, isLlmfinError, LlmfinError, UsageError } from '../../shared/errors.js';
import { ConfigError } from '../../config/config-error.js';
import { RoutingPolicyError } from '../../routing/routing-errors.js';
import { lastEntryId } from '../../ledger/queries/proxy-rows-after.js';
import { importsFingerprint } from '../../ledger/queries/import-batches.js';
import type { Config } from '../../config/config-schema.js';
import { LLMFIN_VERSION } from '../version.js';
import { formatUsd } from '../../shared/money.js';
import { recordOnlyConfig } from './record-only-config.js';
import { runIdOf } from './check-paths.js';
import { startOnlyChanges } from '../../proxy/start-only-changes.js';
import { eventJson, type EventLevel } from '../../proxy/ops/request-log.js';
import type { RequestGate } from '../../proxy/request-gate.js';
import type { BudgetAlert, BudgetGuard } from '../../budgets/budget-guard.js';

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--port: expected a port number from 0 to 65535, got "${value}"`, { option: '--port' });
  return Number(value);
}

function parseUpstreams(values: readonly string[] = []): Array<{ name: string; url: string }> {
  return values.map((v) => {
    const eq = v.indexOf('=');
    const name = eq > 0 ? v.slice(0, eq) : '';
    const url = eq > 0 ? v.slice(eq + 1) : '';
    let ok = /^[a-z0-9][a-z0-9_-]*$/i.test(name);
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
      ok = ok && /^https?:$/.test(parsed.protocol);
    } catch {
      ok = false;
    }
    if (parsed !== undefined && (parsed.username !== '' || parsed.password !== '')) {
      // As proxy.upstreams refuses: the URL is shown in the banner, /llmfin/health and error
      // messages, and requests go to its origin, which has no credentials (they were dropped).
      parsed.username = '***';
      parsed.password = '';
      throw new UsageError(`--upstream: expected a URL without credentials, got "${name}=${parsed.href}"`, {
        option: '--upstream',
        hint: "name the key's environment variable in api_key_env of proxy.upstreams in llmfin.yaml",
      });
    }
    // Echoed with any credentials masked: a value missing its NAME= may still carry user:key@.
    const shown = v.replace(/\/\/[^/?#\s]*@/, '//***@');
    if (!ok) throw new UsageError(`--upstream: expected NAME=URL such as openai=http://127.0.0.1:9100, got "${shown}"`, { option: '--upstream' });
    return { name, url };
  });
}

/**
 * A `downgrade` budget that names no model takes the routing policy's cheapest tier: without
 * tiers it could downgrade nothing, and its limit would quietly stop meaning anything.
 */
function checkDowngradeTargets(budgets: Config['budgets'], routing: Config['routing'], file: string | undefined): void {
  if ((routing.tiers?.length ?? 0) > 0) return;
  const i = budgets.findIndex((b) => b.action === 'downgrade' && b.downgrade_to === undefined);
  if (i === -1) return;
  throw new ConfigError(
    file ?? 'llmfin.yaml',
    undefined,
    `budgets.${i}.downgrade_to: budget "${budgets[i]!.name}" has action downgrade but names no model, and routing: has no tiers to take the cheapest from`,
    { hint: 'set downgrade_to: MODEL on the budget (a model of the upstreams its scope covers), or add routing tiers', optionPath: `budgets.${i}.downgrade_to` },
  );
}

export async function proxyCommand(ctx: CliContext, opts: ProxyCommandOptions): Promise<void> {
  if (opts.logFormat !== undefined && opts.logFormat !== 'json' && opts.logFormat !== 'text') {
    throw new UsageError(`--log-format: expected text or json, got "${opts.logFormat}"`, { option: '--log-format' });
  }
  try {
    await runProxy(ctx, opts);
  } catch (error) {
    // With --log-format json every line on stderr is one JSON object, a failure to start (a port
    // in use, a broken config) too: a log shipper would drop or choke on a plain-text line.
    if (opts.logFormat !== 'json' || !isLlmfinError(error) || error.reported) throw error;
    const fields = { exit_code: error.exitCode, ...(error.hint === undefined ? {} : { hint: error.hint }) };
    ctx.io.stderr.write(`${eventJson(new Date().toISOString(), 'error', error.message, fields)}\n`);
    throw new LlmfinError(error.message, { exitCode: error.exitCode, reported: true, cause: error });
  }
}

async function runProxy(ctx: CliContext, opts: ProxyCommandOptions): Promise<void> {
  const port = parsePort(opts.port);
  const upstreams = parseUpstreams(opts.upstream);
  // An empty address would make node:http listen on every interface: only 0.0.0.0 asks for that.
  if (opts.host !== undefined && opts.host.trim() === '') {
    throw new UsageError('--host: expected an address such as 127.0.0.1 (0.0.0.0 for every interface), got ""', { option: '--host' });
  }
  const loaded = await ctx.config({ offThread: true });
  const configPath = loaded.path;
  const config = opts.recordOnly ? recordOnlyConfig(loaded.config) : loaded.config;
  if (!opts.recordOnly) checkDowngradeTargets(config.budgets, config.routing, configPath);
  const [pricer, ledger, { startProxy, DRAIN_TIMEOUT_MS }, { limitLedgerCache }] = await Promise.all([
    ctx.pricer(),
    ctx.openLedger(),
    import('../../proxy/start-proxy.js'),
    import('../../proxy/ledger/limit-ledger-cache.js'),
  ]);
  const stderr = (text: string) => void ctx.io.stderr.write(text);

  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  // Empty is no run, as `check --run` reads it: --run-id "$GITHUB_RUN_ID" outside CI must not tag rows run_id "".
  const runId = runIdOf(opts.runId, ctx.io.env);
  let gateLabel = 'no budgets';
  // Alerts raised while no log line may say them yet (before the banner, during a reload) wait here.
  const heldAlerts: BudgetAlert[] = [];
  let holdAlerts = true;
  let guard: BudgetGuard | undefined;
  let webhooks = new Map<string, string>();
  const webhooksOf = (budgets: Config['budgets']) => new Map(budgets.filter((b) => b.webhook !== undefined).map((b) => [b.name, b.webhook!]));
  // Ready whether or not the proxy starts with budgets: SIGHUP may bring the first ones.
  const raise = (alert: BudgetAlert) => {
    // Under a dollar to three significant digits, as the budget's refusals say it: a few cents' budget in cents reads "$0.02 of $0.02".
    const usd = (v: number) => formatUsd(v, { unit: true });
    proxy!.log.event('warn', `budget ${alert.budget}: ${alert.level} limit reached, ${usd(alert.spent_usd)} of ${usd(alert.limit_usd)} (${alert.scope})`, { alert });
    const url = webhooks.get(alert.budget);
    // The webhook's HTTP client (the whole of undici) loads with the first alert to post, not with every proxy that has a budget.
    if (url !== undefined) {
      void import('../../budgets/alert-webhook.js')
        .then(({ postAlert }) => postAlert(url, alert, (message) => proxy?.log.event('error', message)))
        .catch((error: unknown) => proxy?.log.event('error', `budget ${alert.budget}: webhook failed (${(error as Error).message})`));
    }
  };
  const onAlert = (alert: BudgetAlert) => (holdAlerts ? heldAlerts.push(alert) : raise(alert));
  const raiseHeldAlerts = () => {
    holdAlerts = false;
    for (const alert of heldAlerts.splice(0)) raise(alert);
  };
  try {
    // Before the budgets read this period's spend: those pages are not kept (limit-ledger-cache.ts).
    await limitLedgerCache(ledger);
    let gate: RequestGate | undefined;
    let budgetsReadAfterId: number | undefined;
    let budgetsReadImports: string | undefined;
    if (opts.recordOnly) gateLabel = 'record only (budgets not enforced)';
    else if (config.budgets.length > 0) {
      const { loadBudgetGuard } = await import('../../budgets/load-budget-guard.js');
      webhooks = webhooksOf(config.budgets);
      // A budget already past a limit in the ledger alerts as the guard is built, before the
      // proxy (and its log) exists: those alerts wait for it, rather than go unlogged.
      // Read before the budgets' spend: rows other proxies write from here on are counted as they land.
      budgetsReadAfterId = await lastEntryId(ledger);
      budgetsReadImports = await importsFingerprint(ledger);
      guard = await loadBudgetGuard(ledger, config, { onAlert });
      gate = guard;
      gateLabel = `${config.budgets.length} budget${config.budgets.length === 1 ? '' : 's'}`;
    }
    proxy = await startProxy({
      ledger,
      budgetsReadAfterId,
      budgetsReadImports,
      pricer,
      config: proxySection(config),
      routing: config.routing,
      host: opts.host,
      port,
      gate,
      env: ctx.io.env,
      runId,
      upstreams,
      logFormat: opts.logFormat as 'text' | 'json' | undefined,
      logWrite: stderr,
      version: LLMFIN_VERSION,
    });
  } catch (error) {
    await ledger.close();
    throw await inPolicyFile(error, configPath);
  }
  const running = proxy;
  // What the budgets enforce now: the start's, then each reload's.
  let budgetConfig: Pick<Config, 'budgets' | 'attribution'> = config;
  // The start, warning and stop lines go where the log goes, in its format: with --log-format
  // json every line on stderr is one JSON object, as a log shipper reading it expects.
  // Written at once, not gathered as the log's lines are: a supervisor waits for the banner,
  // and the stop line is the last before the process exits.
  const say = (level: EventLevel, message: string, fields: Record<string, unknown> = {}) =>
    stderr(
      running.log.format === 'json'
        ? `${eventJson(new Date().toISOString(), level, message, fields)}\n`
        : `${level === 'info' ? '' : level === 'warn' ? 'warning: ' : 'error: '}${message}\n`,
    );

  const ups = running.upstreams().map((u) => `${u.name}=${u.baseUrl}${u.apiKey !== undefined ? ` (key ${u.apiKeyEnv})` : ''}`).join(', ');
  const routingLabel = (config.routing.tiers?.length ?? 0) > 0 ? ` · routing ${config.routing.mode ?? 'shadow'}${opts.recordOnly ? ' (record only)' : ''}` : '';

  let closeFailure: string | undefined;
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        // A second signal: the user will not wait for long streams; cut them (each still gets its row).
        running.log.event('info', `${signal} again: cutting ${running.inFlight()} request(s) in flight, writing queued rows`);
        running.hurry();
        return;
      }
      stopping = true;
      const inFlight = running.inFlight();
      running.log.event(
        'info',
        inFlight === 0
          ? `${signal}: stopping, writing queued rows`
          : `${signal}: stopping, writing queued rows; waiting up to ${DRAIN_TIMEOUT_MS / 1000} s for ${inFlight} request(s) in flight (${signal} again cuts them now)`,
      );
      running
        .close()
        .catch((error: unknown) => {
          closeFailure = (error as Error).message;
          say('error', closeFailure);
        })
        .finally(() => {
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          process.off('SIGHUP', onHup);
          resolve();
        });
    };
    /**
     * Swaps the budgets for those of the re-read file and says what changed ("", or "; budgets:
     * search (limit_usd), labs (added)"). Their spend is read from the ledger again (the same
     * read as at start), between two polls of the other proxies' rows. The first budgets get a
     * guard of their own, seeded the same way; with none left, the guard goes, and requests are
     * forwarded as by a proxy started without budgets.
     */
    const reloadBudgets = async (fresh: Config): Promise<string> => {
      const { budgetChanges } = await import('../../budgets/budget-changes.js');
      const changed = budgetChanges(budgetConfig.budgets, fresh.budgets);
      const rules = JSON.stringify(budgetConfig.attribution.rules) !== JSON.stringify(fresh.attribution.rules);
      if (changed.length === 0 && (!rules || budgetConfig.budgets.length === 0)) return '';
      const said = changed.length > 0 ? `; budgets: ${changed.join(', ')}` : '; budgets re-read under the new attribution rules';
      if (fresh.budgets.length === 0) {
        running.stopBudgets();
        guard = undefined;
        budgetConfig = fresh;
        webhooks = new Map();
        return said;
      }
      const [{ budgetReload }, { BudgetGuard }] = await Promise.all([import('../../budgets/load-budget-guard.js'), import('../../budgets/budget-guard.js')]);
      holdAlerts = true;
      webhooks = webhooksOf(fresh.budgets);
      const budgetGuard = guard;
      if (budgetGuard === undefined) {
        const added = new BudgetGuard([], { onAlert });
        try {
          await running.startBudgets(added, (flushed) => added.reload(budgetReload(ledger, fresh), flushed));
        } catch (error) {
          // Still no budgets (budgetConfig as it was): the next SIGHUP finds them added again and tries again.
          running.log.event('error', `SIGHUP: the budgets could not read their spend from the ledger, so none is enforced until the next SIGHUP: ${(error as Error).message}`);
          return '';
        }
        guard = added;
        budgetConfig = fresh;
        return said;
      }
      budgetConfig = fresh;
      try {
        await running.rereadBudgets((flushed) => budgetGuard.reload(budgetReload(ledger, fresh), flushed));
      } catch (error) {
        running.log.event('error', `SIGHUP: the budgets could not read their spend from the ledger again, they count this proxy's requests only until an import or the next SIGHUP re-reads it: ${(error as Error).message}`);
      }
      return said;
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    // One reload at a time: a second SIGHUP while the first reads the ledger waits for it,
    // rather than seed a second set of budgets beside the first.
    let reloading = Promise.resolve();
    const reload = async () => {
      try {
        const { loadConfigOffThread } = await import('../load-config-off-thread.js');
        const read = await loadConfigOffThread({ flag: ctx.globals.config ?? configPath, env: ctx.io.env, cwd: ctx.io.cwd });
        const fresh = opts.recordOnly ? { ...read, config: recordOnlyConfig(read.config) } : read;
        // Checked before anything is swapped: a broken budget keeps the whole running config.
        if (!opts.recordOnly) checkDowngradeTargets(fresh.config.budgets, fresh.config.routing, fresh.path);
        const warnings = running.reload(proxySection(fresh.config), fresh.config.routing);
        const budgetsLabel = opts.recordOnly ? '' : await reloadBudgets(fresh.config);
        running.log.event('info', `SIGHUP: config reloaded from ${fresh.path ?? 'defaults'} (${running.upstreams().length} upstreams${budgetsLabel})`);
        raiseHeldAlerts();
        for (const w of warnings) running.log.event('warn', w);
        // Where it listens, its log format and its prices stay as they were at start: say so, rather than "reloaded" alone.
        const startOnly = startOnlyChanges(config, fresh.config, { host: opts.host !== undefined, port: port !== undefined, logFormat: opts.logFormat !== undefined });
        if (startOnly.length > 0) {
          const one = startOnly.length === 1;
          running.log.event('warn', `SIGHUP: ${startOnly.join(', ')} ${one ? 'is' : 'are'} read at start only: the change${one ? ' is' : 's are'} not applied until the proxy restarts`);
        }
      } catch (error) {
        raiseHeldAlerts();
        const named = (await inPolicyFile(error, ctx.globals.config ?? configPath)) as Error;
        running.log.event('error', `SIGHUP: config not reloaded, keeping the running one: ${named.message}`);
      }
    };
    const onHup = () => {
      reloading = reloading.then(reload, reload);
    };
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    // The banner only once the handlers are in place: a supervisor (or a test) that signals
    // as soon as it reads "listening on" must not meet SIGHUP's default action, which exits.
    // The run its rows are tagged with, so that a CI log shows what `llmfin check --run` will read.
    const runLabel = runId === undefined ? '' : ` · run ${runId}`;
    say('info', `llmfin proxy listening on ${running.url} · upstreams ${ups} · ledger ${ledger.path} · ${gateLabel}${routingLabel}${runLabel}`, { url: running.url, ledger: ledger.path, ...(runId === undefined ? {} : { run_id: runId }) });
    for (const w of running.warnings) say('warn', w);
    raiseHeldAlerts();
  });
  await ledger.close();
  const written = Number(running.metricsText().match(/^llmfin_proxy_ledger_rows_written_total (\d+)$/m)?.[1] ?? '0');
  say('info', `llmfin proxy stopped · ${countNoun(written, 'row')} written`, { rows_written: written });
  // Rows that never reached the ledger are not a clean stop: a supervisor or CI job must see it in
  // the exit code (the message is already on stderr, in the log's format).
  if (closeFailure !== undefined) throw new LlmfinError(closeFailure, { exitCode: ExitCode.internal, reported: true });
}

/**
 * The proxy's settings, with one definition of an agent loop: `proxy.loops.repeats` when
 * set, else `anomalies.loop_repeats`, so that the live flag and `llmfin anomalies` count
 * the same repeats.
 */
function proxySection(config: Config): Config['proxy'] {
  const loops = config.proxy.loops;
  return { ...config.proxy, loops: { action: loops?.action ?? 'flag', repeats: loops?.repeats ?? config.anomalies.loop_repeats } };
}

/** A routing policy error placed in its file (policy-file-error.ts, loaded only then: it brings YAML). */
async function inPolicyFile(error: unknown, file: string | undefined): Promise<unknown> {
  if (!(error instanceof RoutingPolicyError)) return error;
  return (await import('../../routing/policy-file-error.js')).inPolicyFile(error, file);
}
