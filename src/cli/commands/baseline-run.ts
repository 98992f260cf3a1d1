/**
 * `llmfin baseline save`: records a run (or prompt templates) into the baseline file.
 * The section not being saved is carried over from the existing file untouched.
 */
import { relative } from 'node:path';
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { parsePeriod } from '../report-period.js';
import type { BaselineOptions } from './baseline.js';
import { Attributor } from '../../attribution/attributor.js';
import { readBaselineIfAny, writeBaseline } from '../../check/baseline-file.js';
import { BASELINE_KIND, BASELINE_SCHEMA_VERSION, type BaselineFile } from '../../check/baseline-schema.js';
import { buildUsageSection } from '../../check/build-usage-section.js';
import { buildPromptsSection, scanPrompts } from '../../check/check-prompts.js';
import { catalogueSlicePricer } from '../../check/reprice.js';
import { GROUP_DIMENSIONS, type GroupDimension } from '../../check/run-usage.js';
import { UsageError } from '../../shared/errors.js';
import { dec, formatUsd } from '../../shared/money.js';
import { LLMFIN_VERSION } from '../version.js';
import { baselinePath, runIdOf } from './check-paths.js';
import { emptyRunError } from './empty-run-error.js';

export async function baselineSaveCommand(ctx: CliContext, opts: BaselineOptions): Promise<void> {
  const { config } = await ctx.config();
  const out = await baselinePath(ctx, opts.out);
  const existing = readBaselineIfAny(out);
  const pricer = await ctx.pricer();
  const file: BaselineFile = {
    schema_version: BASELINE_SCHEMA_VERSION,
    kind: BASELINE_KIND,
    llmfin_version: LLMFIN_VERSION,
    usage: existing?.usage ?? null,
    prompts: existing?.prompts ?? null,
  };

  const prompts = opts.prompts.length > 0 ? opts.prompts : [];
  // Each section reads options of its own: one given for the other would be ignored without a word.
  const unread = prompts.length > 0
    ? ([['--by', opts.by], ['--run', opts.run], ['--since', opts.since], ['--until', opts.until]] as const)
    : ([['--model', opts.model]] as const);
  for (const [flag, value] of unread) {
    if (value === undefined) continue;
    throw prompts.length > 0
      ? new UsageError(`${flag}: not with --prompts, which records prompt templates and reads no ledger rows`, { option: flag, hint: `drop ${flag}, or save the run's section in a command of its own without --prompts` })
      : new UsageError('--model: only with --prompts (the model prompt templates are tokenized and priced for); a run is recorded at the models it used', { option: '--model', hint: 'drop --model, or add --prompts GLOB' });
  }
  if (prompts.length > 0) {
    const model = opts.model ?? config.check.prompts.model ?? 'gpt-4o';
    const at = new Date();
    const scan = await scanPrompts(ctx.io.cwd, prompts, model, pricer.catalogue, at);
    file.prompts = buildPromptsSection(scan, catalogueSlicePricer(pricer), pricer, at);
    writeBaseline(out, file);
    const rows = Object.entries(file.prompts.templates).map(([template, t]) => ({
      template,
      tokens: t.tokens.toLocaleString('en-US'),
      cost: formatUsd(dec(t.cost_per_request_usd), { unit: true }),
    }));
    emit(ctx, {
      json: { file: out, prompts: { model, provider: scan.provider, tokenizer: scan.tokenizer, catalogue_version: file.prompts.catalogue_version, templates: Object.entries(file.prompts.templates).map(([template, t]) => ({ template, tokens: t.tokens, cost_per_request_usd: dec(t.cost_per_request_usd).toNumber() })) } },
      title: `Prompt templates for ${model} (${scan.tokenizer}) · catalogue ${file.prompts.catalogue_version}`,
      table: {
        columns: [
          { key: 'template', header: 'TEMPLATE' },
          { key: 'tokens', header: 'TOKENS', align: 'right' },
          { key: 'cost', header: 'EST. $/REQUEST', align: 'right' },
        ],
        rows,
      },
    });
    if (ctx.globals.format !== 'json') ctx.info(`wrote ${relative(ctx.io.cwd, out) || out}: ${rows.length} template${rows.length === 1 ? '' : 's'}`);
    return;
  }

  const by = parseBy(opts.by ?? config.check.by);
  const runId = runIdOf(opts.run, ctx.io.env);
  const period = parsePeriod(opts);
  const attributor = new Attributor(config.attribution.rules);
  const ledger = await ctx.openLedger({ create: false });
  let built;
  try {
    built = await buildUsageSection(ledger, attributor, pricer, { by, runId, ...period });
  } finally {
    await ledger.close();
  }
  if ('empty' in built) {
    throw emptyRunError({ runId, flags: opts, period, failedAttempts: built.empty.failedAttempts, ledgerPath: await ctx.ledgerPath(), consequence: '' });
  }
  file.usage = built.section;
  writeBaseline(out, file);

  const groups = Object.entries(built.section.groups);
  // A group with requests to a model nothing can price has an unknown cost (counted as $0 in the
  // file): null in JSON, "unknown" or a lower bound "≥$x" in the table, never a bare $0.
  const unknownOf = (group: string) => built.unknownRequests.get(group) ?? 0;
  const known = (group: string, usd: string) => (unknownOf(group) > 0 ? null : dec(usd).toNumber());
  // The table's "≥$x": the priced requests' cost over all requests; null when none is priced.
  const atLeast = (group: string, usd: string, requests: number) => (unknownOf(group) >= requests ? null : dec(usd).toNumber());
  const perRequestCell = (group: string, g: (typeof groups)[number][1]) => {
    const shown = formatUsd(dec(g.cost_per_request_usd), { unit: true });
    const unknown = unknownOf(group);
    return unknown === 0 ? shown : unknown >= g.requests ? 'unknown' : `≥${shown}`;
  };
  const json = {
    file: out,
    group_by: by,
    run_id: runId ?? null,
    catalogue_version: built.section.catalogue_version,
    rows: groups.map(([group, g]) => ({
      [by]: group,
      requests: g.requests,
      cost_usd: known(group, g.cost_usd),
      cost_per_request_usd: known(group, g.cost_per_request_usd),
      cost_per_request_at_least_usd: atLeast(group, g.cost_per_request_usd, g.requests),
      unknown_cost_requests: unknownOf(group),
      input_tokens_per_request: g.input_tokens_per_request,
      output_tokens_per_request: g.output_tokens_per_request,
      cache_hit_ratio: g.cache_hit_ratio,
      model_mix: g.model_mix,
    })),
  };
  const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);
  emit(ctx, {
    json,
    title: `Baseline by ${by}${runId !== undefined ? ` · run ${runId}` : ''} · catalogue ${built.section.catalogue_version}`,
    table: {
      columns: [
        { key: 'group', header: by.toUpperCase() },
        { key: 'requests', header: 'REQUESTS', align: 'right' },
        { key: 'per_request', header: '$/REQUEST', align: 'right' },
        { key: 'input', header: 'INPUT TOK/REQ', align: 'right' },
        { key: 'output', header: 'OUTPUT TOK/REQ', align: 'right' },
        { key: 'cache', header: 'CACHE HIT', align: 'right' },
        { key: 'models', header: 'MODEL MIX' },
      ],
      rows: groups.map(([group, g]) => ({
        group,
        requests: g.requests.toLocaleString('en-US'),
        per_request: perRequestCell(group, g),
        input: Math.round(g.input_tokens_per_request).toLocaleString('en-US'),
        output: Math.round(g.output_tokens_per_request).toLocaleString('en-US'),
        cache: pct(g.cache_hit_ratio),
        models: Object.entries(g.model_mix)
          .map(([m, share]) => `${m} ${pct(share)}`)
          .join(', '),
      })),
    },
  });
  if (ctx.globals.format !== 'json') {
    ctx.info(`wrote ${relative(ctx.io.cwd, out) || out}: ${groups.length} group${groups.length === 1 ? '' : 's'}, ${built.run.rows.toLocaleString('en-US')} ledger rows`);
    const recorded = built.unpricedModels.filter((m) => !built.unknownCostModels.includes(m));
    if (recorded.length > 0) ctx.warn(`no catalogue price for ${recorded.join(', ')}: their recorded ledger cost is used`);
    if (built.unknownCostModels.length > 0) {
      ctx.warn(
        `no price for ${built.unknownCostModels.join(', ')}, in the catalogue or the ledger: their cost is unknown and counts as $0 in this baseline, ` +
          'so `llmfin check` warns about it; add them under pricing.custom_models and save the baseline again',
      );
    }
  }
}

function parseBy(value: string): GroupDimension {
  if ((GROUP_DIMENSIONS as readonly string[]).includes(value)) return value as GroupDimension;
  throw new UsageError(`--by: expected ${GROUP_DIMENSIONS.join(', ')}, got "${value}"`, { option: '--by' });
}
