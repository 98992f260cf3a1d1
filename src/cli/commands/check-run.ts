/**
 * `llmfin check`: the current run (or the prompt templates) against the committed
 * baseline; prints the verdict, appends the Markdown to $GITHUB_STEP_SUMMARY when
 * set, and exits 1 on a regression.
 */
import { appendFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { CliContext } from '../cli-context.js';
import { parsePeriod } from '../report-period.js';
import type { CheckOptions } from './check.js';
import { baselinePath, runIdOf } from './check-paths.js';
import { emptyRunError } from './empty-run-error.js';
import { renderPromptCheck, renderUsageCheck, type RenderedCheck } from './check-render.js';
import { Attributor } from '../../attribution/attributor.js';
import { readBaseline } from '../../check/baseline-file.js';
import { checkPrompts, scanPrompts } from '../../check/check-prompts.js';
import { checkUsage } from '../../check/compare-usage.js';
import { catalogueSlicePricer, longContextSplit, pricerFromSnapshot, snapshotSlicePricer } from '../../check/reprice.js';
import { readRunUsage } from '../../check/run-usage.js';
import { parseCaps, resolveThresholds } from '../../check/thresholds.js';
import { CheckFailedError, InputError, UsageError } from '../../shared/errors.js';

export async function checkCommand(ctx: CliContext, opts: CheckOptions): Promise<void> {
  const { config, path: configPath } = await ctx.config();
  const file = await baselinePath(ctx, opts.baseline);
  const baseline = readBaseline(file);
  const shown = displayPath(ctx.io.cwd, file);
  const thresholds = resolveThresholds(config.check, {
    maxIncrease: opts.maxIncrease,
    maxTokenIncrease: opts.maxTokenIncrease,
    maxCostPerRequest: opts.maxCostPerRequest,
  });
  const strict = opts.strict ?? config.check.strict;
  const pricer = await ctx.pricer();
  const current = catalogueSlicePricer(pricer);
  const discounts = config.pricing.discounts;
  const promptPatterns = opts.prompts.length > 0 ? opts.prompts : baseline.usage === null && baseline.prompts !== null ? config.check.prompts.paths : [];

  // Each kind of check reads options of its own: one given for the other would be ignored without a word.
  const unread = promptPatterns.length > 0
    ? ([['--run', opts.run], ['--since', opts.since], ['--until', opts.until]] as const)
    : ([['--model', opts.model]] as const);
  for (const [flag, value] of unread) {
    if (value === undefined) continue;
    throw promptPatterns.length > 0
      ? new UsageError(`${flag}: not with a check of prompt templates (${opts.prompts.length > 0 ? '--prompts' : `check.prompts.paths, as ${shown} has no recorded run`}), which reads no ledger rows`, { option: flag, hint: `drop ${flag}, or check the run in a command of its own without --prompts` })
      : new UsageError('--model: only with --prompts (the model prompt templates are tokenized and priced for); a run is checked at the models it used', { option: '--model', hint: 'drop --model, or add --prompts GLOB' });
  }

  let rendered: RenderedCheck;
  if (promptPatterns.length > 0) {
    const section = baseline.prompts;
    const model = opts.model ?? config.check.prompts.model ?? section?.model ?? 'gpt-4o';
    const at = new Date();
    const scan = await scanPrompts(ctx.io.cwd, promptPatterns, model, pricer.catalogue, at);
    const atBaseline = section ? snapshotSlicePricer(pricerFromSnapshot(section.prices, section.catalogue_version, discounts), pricer, section.catalogue_version) : current;
    if (!section) ctx.warn(`${file} has no prompts section: every template is new (save one with \`llmfin baseline save --prompts\`)`);
    const result = checkPrompts({ baseline: section, scan, atBaselinePrices: atBaseline, atCurrentPrices: current, at, thresholds, strict });
    // Keys of the run's groups are judged by a check of the run, not here: only the rest is a typo.
    const known = new Set([...result.templates.map((t) => t.template), ...Object.keys(baseline.usage?.groups ?? {})]);
    warnUnknownConfigGroups(ctx, config.check.groups, configPath, known, 'prompt template', result.templates.map((t) => t.template));
    rendered = renderPromptCheck(result, { file: shown, chalk: ctx.chalk, format: ctx.globals.format });
  } else {
    const section = baseline.usage;
    if (section === null) {
      throw new InputError(file, undefined, 'has no recorded run (its "usage" section is null); expected a baseline saved from a run', {
        hint: 'save one with `llmfin baseline save --run ID`, or check prompt templates with --prompts',
      });
    }
    const runId = runIdOf(opts.run, ctx.io.env);
    const period = parsePeriod(opts);
    const attributor = new Attributor(config.attribution.rules);
    const ledger = await ctx.openLedger({ create: false });
    // A baseline saved before requests were split at long-context thresholds has each group's
    // requests to a model in one slice, priced at its average request: the run is read the
    // same way, so both sides are priced alike (and a note says so), until it is saved again.
    const split = longContextSplit(pricer.catalogue);
    const averaged = Object.values(section.groups).some((g) => g.token_mix.some((s) => s.long_context_above === undefined));
    let run;
    try {
      run = await readRunUsage(ledger, attributor, { by: section.group_by, runId, ...period, ...(averaged ? {} : { split }) });
    } finally {
      await ledger.close();
    }
    if (run.lastTs === null) {
      throw emptyRunError({ runId, flags: opts, period, failedAttempts: run.failedAttempts, ledgerPath: await ctx.ledgerPath(), consequence: ': nothing to check' });
    }
    const atBaseline = snapshotSlicePricer(pricerFromSnapshot(section.prices, section.catalogue_version, discounts), pricer, section.catalogue_version);
    const result = checkUsage({ baseline: section, current: run.groups, currentAt: new Date(run.lastTs), atBaselinePrices: atBaseline, atCurrentPrices: current, thresholds, strict });
    // A run that shares no group with the baseline (another project's baseline, features all
    // renamed) compares nothing: it passes on new groups' warnings alone, so say so.
    if (!strict && result.groups.every((g) => g.before === null || g.after === null)) {
      const names = (side: 'before' | 'after') => {
        const all = result.groups.filter((g) => g[side] !== null).map((g) => g.group);
        return `${all.slice(0, 5).join(', ')}${all.length > 5 ? ` and ${all.length - 5} more` : ''}`;
      };
      ctx.warn(
        `no ${section.group_by} of ${shown} ran in ${runId !== undefined ? `run ${runId}` : 'this run'} (baseline: ${names('before')}; run: ${names('after')}), so nothing was compared against it; save the baseline again, or pass --strict to fail such a run`,
      );
    }
    // A cap on a group that is in neither the baseline nor this run guards nothing: usually a typo.
    const groups = new Set(result.groups.map((g) => g.group));
    for (const name of parseCaps(opts.maxCostPerRequest).byGroup.keys()) {
      if (!groups.has(name)) ctx.warn(`--max-cost-per-request: no ${section.group_by} "${name}" in the baseline or this run, so its cap checks nothing (groups: ${[...groups].join(', ') || 'none'})`);
    }
    // Likewise a group under check.groups in llmfin.yaml; a prompt template's key is judged by `check --prompts`.
    const known = new Set([...groups, ...Object.keys(baseline.prompts?.templates ?? {})]);
    warnUnknownConfigGroups(ctx, config.check.groups, configPath, known, section.group_by, [...groups]);
    const notes: string[] = [];
    if (averaged) {
      const at = new Date(run.lastTs);
      const tiered = [...new Set([...Object.values(section.groups).flatMap((g) => g.token_mix), ...[...run.groups.values()].flat()].filter((s) => split.tiered(s, at)).map((s) => s.model))].sort();
      if (tiered.length > 0) {
        notes.push(
          `${shown} was saved before requests were split at long-context thresholds: ${tiered.join(', ')} ${tiered.length === 1 ? 'is' : 'are'} priced at each side's average request, so long prompts mixed with short ones may not show their long-context cost; save the baseline again to price them apart`,
        );
      }
    }
    rendered = renderUsageCheck(result, { file: shown, notes, runId: runId ?? null, baselineRunId: section.run_id, by: section.group_by, rows: run.rows, failedAttempts: run.failedAttempts, chalk: ctx.chalk, format: ctx.globals.format });
  }

  const format = ctx.globals.format;
  if (format === 'json') ctx.io.stdout.write(`${JSON.stringify(rendered.json, null, 2)}\n`);
  else if (format === 'markdown') ctx.io.stdout.write(rendered.markdown);
  else if (format === 'csv') {
    ctx.io.stdout.write(rendered.csv);
    // Rows only on stdout: the notes the other formats carry go to stderr, as warnings do.
    for (const note of rendered.notes) ctx.info(`note: ${note}`);
  }
  else ctx.io.stdout.write(rendered.text);

  const summary = ctx.io.env.GITHUB_STEP_SUMMARY;
  if (summary) appendSummary(resolve(ctx.io.cwd, summary), rendered.markdown);
  if (!rendered.passed) throw new CheckFailedError(rendered.failureLine);
}

/**
 * Thresholds under `check.groups` for a group the check never meets (`chekout` for `checkout`)
 * guard nothing: warned about, naming the key and the groups there are, without failing.
 */
function warnUnknownConfigGroups(ctx: CliContext, configured: Record<string, unknown>, configPath: string | undefined, known: ReadonlySet<string>, noun: string, groups: readonly string[]): void {
  const where = configPath !== undefined ? ` in ${displayPath(ctx.io.cwd, configPath)}` : '';
  for (const name of Object.keys(configured)) {
    if (known.has(name)) continue;
    ctx.warn(`check.groups.${name}${where}: no ${noun} "${name}" in the baseline or this run, so its thresholds check nothing (${noun === 'prompt template' ? 'templates' : 'groups'}: ${groups.join(', ') || 'none'})`);
  }
}

/**
 * Appends the Markdown report to the job summary. A path that cannot be written (a
 * variable left over from another job, a folder) is the environment's mistake, not an
 * internal error: it is named, with exit 2, after the report itself has been printed.
 */
function appendSummary(path: string, markdown: string): void {
  try {
    appendFileSync(path, `${markdown}\n`);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    throw new InputError(path, undefined, `cannot append the Markdown report to $GITHUB_STEP_SUMMARY (${code === 'EISDIR' ? 'a directory, not a file' : code}); expected a writable file`, {
      cause,
      hint: 'unset GITHUB_STEP_SUMMARY outside GitHub Actions, or point it at a file whose folder exists',
    });
  }
}

/** The baseline as the user would type it: relative to the working directory when inside it. */
function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
