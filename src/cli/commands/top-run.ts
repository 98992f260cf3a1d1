/**
 * `llmfin top`: checks it has a terminal, opens the ledger read-only (or builds a demo
 * ledger and starts replaying into it), seeds the live dashboard and runs it until `q`.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliContext } from '../cli-context.js';
import { colorLevel } from '../color.js';
import { LLMFIN_VERSION } from '../version.js';
import { Attributor } from '../../attribution/attributor.js';
import type { BudgetConfig } from '../../config/config-schema.js';
import { openLedger } from '../../ledger/index.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { UsageError } from '../../shared/errors.js';
import { holdsNotDemoData, notDemoData, notDemoText, type NotDemoData } from './not-demo-data.js';
import { GROUP_DIMENSIONS, isGroupDimension } from '../../tui/data/group-dimensions.js';
import { startIdleCollector } from '../../tui/idle-collector.js';
import { withoutGlobalFetch } from '../../tui/without-global-fetch.js';
import { expandHome } from '../../config/expand-home.js';

export interface TopOptions {
  by: string;
  refresh: string;
  demo?: boolean | undefined;
  demoRate: string;
  /**
   * The options given on the command line (not defaulted), by their camelCase keys:
   * --demo-rate has a default, and only a given one tells a real ledger's dashboard (which
   * writes nothing) from a demo.
   */
  given?: ReadonlySet<string>;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** `1s`, `500ms`, `2.5s`, `1m` or a bare number of seconds, within 250 ms and 60 s. */
export function parseRefresh(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] ?? 's']! : NaN;
  if (!Number.isFinite(ms) || ms < 250 || ms > 60_000) {
    throw new UsageError(`--refresh: expected an interval from 250ms to 60s such as 1s or 500ms, got "${value}"`, { option: '--refresh' });
  }
  return ms;
}

export async function topCommand(ctx: CliContext, opts: TopOptions): Promise<void> {
  if (!ctx.io.stdout.isTTY) {
    throw new UsageError('llmfin top draws a live dashboard and needs a terminal, but stdout is not one', {
      hint: 'in a pipe or a script use `llmfin report --by team` or `llmfin budget status` (both take --format json)',
    });
  }
  // --format promises data in that format on stdout; a dashboard has none to give, and
  // drawing it anyway would put escape codes where a script expects JSON or CSV.
  if (ctx.globals.format !== 'table') {
    throw new UsageError(`--format ${ctx.globals.format}: llmfin top draws a live dashboard and prints no ${ctx.globals.format}`, {
      option: '--format',
      hint: `for the same figures as ${ctx.globals.format} use \`llmfin report --by team --format ${ctx.globals.format}\` or \`llmfin budget status --format ${ctx.globals.format}\``,
    });
  }
  if (!isGroupDimension(opts.by)) throw new UsageError(`--by: expected one of ${GROUP_DIMENSIONS.join(', ')}, got "${opts.by}"`, { option: '--by' });
  const groupBy = opts.by;
  const refreshMs = parseRefresh(opts.refresh);
  const demoRate = Number(opts.demoRate);
  if (!Number.isFinite(demoRate) || demoRate <= 0 || demoRate > 2000) throw new UsageError(`--demo-rate: expected requests per second from 1 to 2000, got "${opts.demoRate}"`, { option: '--demo-rate' });
  if (opts.given?.has('demoRate') && !opts.demo) {
    throw new UsageError('--demo-rate: only with --demo, which writes the sample requests at that rate; a ledger\'s own dashboard writes nothing', { option: '--demo-rate', hint: 'add --demo, or drop --demo-rate' });
  }
  const { config } = await ctx.config();
  const attributor = new Attributor(config.attribution.rules);
  let budgets: readonly BudgetConfig[] = config.budgets;

  // A dashboard left running all day makes a little garbage per frame: V8 would grow
  // its young generation to 16 MB semi-spaces for throughput a dashboard does not need.
  // Keeping it at its initial size costs scavenges of ~1 MB (measured: peak RSS about
  // 15 MB lower, CPU unchanged). Set before Ink and React allocate anything.
  setFlagsFromString('--semi-space-growth-factor=1');
  // The dashboard's hot code is a few small functions run twice a second: baseline code
  // (Sparkplug) is fast enough, and the optimising compiler's zones and the pages of its
  // code in the node binary cost ~6 MB of RSS for no visible gain (CPU measured unchanged
  // at ~3% of a core with 500 requests/s arriving).
  setFlagsFromString('--no-opt');
  // V8's settings that favour memory over speed (a smaller, more often collected heap): the
  // dashboard is idle between frames, so the extra collections cost little (bench:top:
  // about 7 MB less RSS at 500 requests/s, CPU still well under 5% of a core).
  setFlagsFromString('--optimize-for-size');
  // React's production build: the development one checks every render and costs memory
  // and CPU that a dashboard left running all day should not pay. Set before React loads.
  process.env.NODE_ENV ??= 'production';
  // Ink draws only the final frame when it believes it runs in CI (CI or
  // CONTINUOUS_INTEGRATION set). top only runs on a terminal (checked above), where a
  // live dashboard is the point, so that detection is wrong here: clear it before Ink loads.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const [{ LiveDashboard }, { runTop }] = await withoutGlobalFetch(() => Promise.all([import('../../tui/data/live-dashboard.js'), import('../../tui/run-top.js')]));
  const stopCollector = startIdleCollector({ growthBytes: 4 * 1024 * 1024, checkMs: 1000 });
  let demo: { stop(): Promise<void>; writer: LedgerStore; dir: string | undefined } | undefined;
  let path: string;
  if (opts.demo) {
    const built = await buildDemo(ctx, demoRate).catch((error: unknown) => {
      stopCollector();
      throw error;
    });
    demo = built;
    path = built.path;
    if (budgets.length === 0) budgets = built.budgets;
  } else {
    path = await ctx.ledgerPath();
  }
  // Read-only: the dashboard never takes a write lock, so it cannot slow a proxy down.
  // (Its page cache is made small before the first read: LiveDashboard's seed.)
  const ledger = await openLedger(path, { readonly: true, create: false, llmfinVersion: LLMFIN_VERSION });
  try {
    const source = await LiveDashboard.start({ ledger, budgets, attributor, pricer: await ctx.pricer(), groupBy, loopRepeats: config.anomalies.loop_repeats });
    await runTop({
      source,
      stdout: ctx.io.stdout as NodeJS.WriteStream,
      stdin: ctx.io.stdin as NodeJS.ReadStream | undefined,
      refreshMs,
      groupBy,
      color: colorLevel(ctx.io) > 0,
    });
  } finally {
    stopCollector();
    await ledger.close();
    if (demo) {
      await demo.stop();
      await demo.writer.close();
      if (demo.dir) rmSync(demo.dir, { recursive: true, force: true });
      ctx.info(`demo: wrote its requests to ${demo.dir ? 'a temporary ledger (removed)' : path}`);
    }
  }
}

/** What an existing ledger at `path` holds that the demo (its sample month and its replay) did not write. */
async function notFromDemo(path: string): Promise<NotDemoData> {
  if (!existsSync(path)) return { rows: 0, invoices: 0 };
  const ledger = await openLedger(path, { readonly: true, create: false, llmfinVersion: LLMFIN_VERSION });
  try {
    return await notDemoData(ledger, true);
  } finally {
    await ledger.close();
  }
}

/** A demo ledger: the sample month imported, then a replay writing requests into it as a proxy would. */
async function buildDemo(ctx: CliContext, rate: number) {
  const named = ctx.globals.db ?? ctx.io.env.LLMFIN_DB;
  const dir = named ? undefined : mkdtempSync(join(tmpdir(), 'llmfin-top-demo-'));
  const path = named ? resolve(ctx.io.cwd, expandHome(named, ctx.io.env)) : join(dir!, 'ledger.db');
  const own = named ? await notFromDemo(path) : { rows: 0, invoices: 0 };
  if (holdsNotDemoData(own)) {
    throw new UsageError(
      `${named === ctx.globals.db ? '--db' : 'LLMFIN_DB'}: ${path} already holds ${notDemoText(own)} not written by the demo; --demo would write its sample company's spend and requests into them`,
      { option: '--db', hint: 'give the demo a new file with --db demo.db, or no --db (and no LLMFIN_DB) for a temporary ledger' },
    );
  }
  ctx.info(ctx.chalk.dim('building the demo ledger from the sample month…'));
  const [{ runImport }, { llmfinImporter }, { demoProfiles }, { demoBudgets }, { DemoReplay }] = await Promise.all([
    import('../../importers/run-import.js'),
    import('../../importers/llmfin/llmfin-importer.js'),
    import('../../tui/demo/demo-profiles.js'),
    import('../../tui/demo/demo-budgets.js'),
    import('../../tui/demo/demo-replay.js'),
  ]);
  const pricer = await ctx.pricer();
  const writer = await openLedger(path, { create: true, llmfinVersion: LLMFIN_VERSION });
  const fixtures = fileURLToPath(new URL('../../../fixtures/demo/', import.meta.url));
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.jsonl')).sort()) {
    await runImport(writer, join(fixtures, name), join(fixtures, name), { pricer, catalogueVersion: pricer.catalogue.manifest.version, now: new Date() }, {
      llmfinVersion: LLMFIN_VERSION,
      importers: [llmfinImporter],
      source: 'llmfin',
    });
  }
  const days = await demoProfiles(writer);
  const replay = new DemoReplay({ ledger: writer, days, requestsPerSecond: rate, pricer });
  await replay.start();
  return { path, dir, writer, budgets: demoBudgets(days, rate), stop: () => replay.stop() };
}
