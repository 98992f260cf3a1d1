/**
 * The four faces of a check verdict: aligned text for the CI log, Markdown for the
 * pull request (and $GITHUB_STEP_SUMMARY), CSV, and the JSON document (money as USD
 * numbers, changes as fractions: 0.2 is +20%).
 */
import type { ChalkInstance } from 'chalk';
import type { OutputFormat } from '../cli-context.js';
import { renderCsv, renderMarkdown, renderText, type Table } from '../output/table.js';
import type { PromptCheck, TemplateVerdict } from '../../check/check-prompts.js';
import { fmtPercent, type GroupVerdict, type Side, type UsageCheck } from '../../check/compare-usage.js';
import type { Dec } from '../../shared/money.js';
import { formatUsd } from '../../shared/money.js';
import { jsonRows, renderRowsCsv } from '../output/rows-csv.js';
import { countNoun } from '../../shared/count-noun.js';

export interface RenderedCheck {
  json: unknown;
  text: string;
  markdown: string;
  csv: string;
  passed: boolean;
  /** The one line printed on stderr when the check fails. */
  failureLine: string;
  /** What the text, Markdown and JSON say beside the rows; CSV has no place for them. */
  notes: readonly string[];
}

const usd = (d: Dec | null | undefined) => (d === null || d === undefined ? '–' : formatUsd(d, { unit: true }));
const num = (d: Dec | null | undefined) => (d === null || d === undefined ? null : d.toNumber());
const frac = (d: Dec | null) => (d === null ? null : Math.round(d.toNumber() * 1e6) / 1e6);
const tok = (n: number) => Math.round(n).toLocaleString('en-US');
const arrow = (a: string, b: string) => `${a} → ${b}`;
/**
 * Text from the user (a group or template name, a model id, a message quoting them) for the
 * pull-request comment: the characters Markdown would read as formatting or HTML are
 * backslash-escaped, so `*bold*`, `__init__`, backticks or `<tag>` show as written. Pipes are
 * left to the table renderer, which escapes them in cells (a second escape would show `\`).
 */
export const mdEscape = (text: string): string => text.replace(/[\\`*_[\]<>~&]/g, (ch) => `\\${ch}`);
const RESULT = { pass: 'pass', fail: 'FAIL', warn: 'warn', missing: 'not run' } as const;
const ICON = { pass: '✅', fail: '❌', warn: '⚠️', missing: '➖' } as const;

/**
 * A side's cost per request for JSON: null when any of its requests went to a model nothing
 * can price (their cost is unknown, counted as $0), never a silent $0 or an understated figure;
 * `unknown_cost_requests` says how many, and the problems name the models.
 */
const costJson = (s: Side, prices: Prices) => (s.unknown_cost_requests[prices] > 0 ? null : (prices === 'baseline_prices' ? s.cost_per_request_baseline_prices : s.cost_per_request_current_prices).toNumber());

/** What the table shows as "≥$x": the priced requests' cost over all requests; null when none is priced. */
const atLeastJson = (s: Side, prices: Prices) => (s.unknown_cost_requests[prices] >= s.requests ? null : (prices === 'baseline_prices' ? s.cost_per_request_baseline_prices : s.cost_per_request_current_prices).toNumber());

/** A relative change of cost for JSON: null when either side's cost is unknown. */
function costChangeJson(g: GroupVerdict, prices: Prices, change: Dec | null): number | null {
  const unknown = [g.before, g.after].some((s) => s !== null && s.unknown_cost_requests[prices] > 0);
  return unknown ? null : frac(change);
}

function sideJson(s: Side | null) {
  if (!s) return null;
  return {
    requests: s.requests,
    cost_per_request_usd: costJson(s, 'baseline_prices'),
    cost_per_request_current_prices_usd: costJson(s, 'current_prices'),
    // A lower bound when part of the cost is unknown (equal to the cost when none is).
    cost_per_request_at_least_usd: atLeastJson(s, 'baseline_prices'),
    cost_per_request_current_prices_at_least_usd: atLeastJson(s, 'current_prices'),
    unknown_cost_requests: Math.max(s.unknown_cost_requests.baseline_prices, s.unknown_cost_requests.current_prices),
    input_tokens_per_request: Math.round(s.input_tokens_per_request * 100) / 100,
    output_tokens_per_request: Math.round(s.output_tokens_per_request * 100) / 100,
    cache_hit_ratio: s.cache_hit_ratio,
    model_mix: s.model_mix,
  };
}

/**
 * `--format csv` as every command gives it (rows-csv.ts): the JSON rows' raw values under
 * their JSON names, so a spreadsheet sums numbers rather than "1,350 → 2,000" or "+36.1%".
 */
function csvOf(json: unknown, table: () => Table): string {
  const rows = jsonRows(json);
  return rows !== undefined ? renderRowsCsv(rows) : renderCsv(table());
}

type Prices = 'baseline_prices' | 'current_prices';

/**
 * A side's cost per request as shown: "unknown" when every request went to a model nothing
 * can price, "≥$x" when some did (their cost is counted as $0), never a bare $0.
 */
function costCell(s: Side | null, prices: Prices, money: (d: Dec) => string): string {
  if (!s) return '–';
  const value = prices === 'baseline_prices' ? s.cost_per_request_baseline_prices : s.cost_per_request_current_prices;
  const unknown = s.unknown_cost_requests[prices];
  return unknown === 0 ? money(value) : unknown >= s.requests ? 'unknown' : `≥${money(value)}`;
}

/** A change between two sides, "unknown" when either cost is. */
function costChange(g: GroupVerdict, prices: Prices, change: Dec | null, limit?: Dec): string {
  const { before: b, after: a } = g;
  if (!b || !a) return b ? '' : 'new';
  if (b.unknown_cost_requests[prices] > 0 || a.unknown_cost_requests[prices] > 0) return 'unknown';
  // No percentage of a free model's $0 a request: "from $0", or no change at all.
  if (change === null) return (prices === 'baseline_prices' ? a.cost_per_request_baseline_prices : a.cost_per_request_current_prices).isZero() ? '+0.0%' : 'from $0';
  return fmtPercent(change, limit);
}

/**
 * The usage rows for CSV with the same columns on every line, whatever each group's sides
 * hold: a side that is absent (a new group, one not run) has each of its columns empty, not
 * one bare `before` column of its own, and the model mix has a column per model any side
 * used (0 where a side did not use it), together and sorted, not appended as first seen.
 */
function usageCsvRows(rows: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> {
  type SideRow = Record<string, unknown> & { model_mix: Record<string, number> };
  const sides = rows.flatMap((r) => [r.before, r.after]).filter((x): x is SideRow => x !== null && typeof x === 'object');
  const models = [...new Set(sides.flatMap((x) => Object.keys(x.model_mix)))].sort();
  const keys = sides.length > 0 ? Object.keys(sides[0]!) : [];
  const side = (x: unknown) => {
    const s = x !== null && typeof x === 'object' ? (x as SideRow) : undefined;
    return Object.fromEntries(
      keys.map((k) => [k, k === 'model_mix' ? Object.fromEntries(models.map((m) => [m, s ? (s.model_mix[m] ?? 0) : null])) : s ? s[k] : null]),
    );
  };
  return rows.map((r) => ({ ...r, before: side(r.before), after: side(r.after) }));
}

function usageTable(result: UsageCheck, by: string, exact: boolean, md = false): Table {
  const money = (d: Dec) => (exact ? d.toFixed() : usd(d));
  const h = (text: string) => (md ? text : text.toUpperCase());
  return {
    columns: [
      { key: 'group', header: h(by[0]!.toUpperCase() + by.slice(1)) },
      { key: 'result', header: h('Result') },
      { key: 'requests', header: h('Requests'), align: 'right' },
      { key: 'cost', header: md ? '$/request at baseline prices' : '$/REQ AT BASELINE PRICES', align: 'right' },
      { key: 'cost_change', header: h('Change'), align: 'right' },
      { key: 'now', header: md ? '$/request at current prices' : '$/REQ AT CURRENT PRICES', align: 'right' },
      { key: 'now_change', header: h('Change'), align: 'right' },
      { key: 'tokens', header: md ? 'Tokens/request' : 'TOKENS/REQ', align: 'right' },
      { key: 'tokens_change', header: h('Change'), align: 'right' },
    ],
    rows: result.groups.map((g) => {
      const b = g.before;
      const a = g.after;
      return {
        group: md ? mdEscape(g.group) : g.group,
        result: md ? `${ICON[g.status]} ${RESULT[g.status].toLowerCase()}` : RESULT[g.status],
        requests: a ? a.requests.toLocaleString('en-US') : '0',
        cost: arrow(costCell(b, 'baseline_prices', money), costCell(a, 'baseline_prices', money)),
        cost_change: costChange(g, 'baseline_prices', g.change.cost_baseline_prices, g.thresholds.max_increase),
        now: arrow(costCell(b, 'current_prices', money), costCell(a, 'current_prices', money)),
        now_change: costChange(g, 'current_prices', g.change.cost_current_prices),
        tokens: arrow(b ? tok(b.tokens_per_request) : '–', a ? tok(a.tokens_per_request) : '–'),
        tokens_change: b && a ? fmtPercent(g.change.tokens, g.thresholds.max_token_increase) : b ? '' : 'new',
      };
    }),
  };
}

function problemLines(groups: ReadonlyArray<{ name: string; problems: GroupVerdict['problems']; causes: string[] }>, fails: boolean): string[] {
  const out: string[] = [];
  for (const g of groups) {
    const problems = g.problems.filter((p) => p.fails === fails);
    if (problems.length === 0) continue;
    out.push(`${g.name}: ${problems.map((p) => p.message).join('; ')}`);
    for (const c of fails ? g.causes : []) out.push(`  likely cause: ${c}`);
  }
  return out;
}

export function renderUsageCheck(
  result: UsageCheck,
  o: { file: string; runId: string | null; baselineRunId: string | null; by: string; rows: number; failedAttempts: number; chalk: ChalkInstance; format: OutputFormat; notes?: readonly string[] },
): RenderedCheck {
  // A group that ran and failed regressed; one that did not run failed only for --strict.
  const failing = result.groups.filter((g) => g.status === 'fail' && g.after);
  const warning = result.groups.filter((g) => g.status === 'warn');
  const named = result.groups.map((g) => ({ name: g.group, problems: g.problems, causes: g.causes }));
  const checked = result.groups.filter((g) => g.after).length;
  // A group with a warning (new, or over a soft bound) is not counted as within tolerance too.
  const within = result.groups.filter((g) => g.after && g.status === 'pass').length;
  // A baseline group this run did not exercise fails only with --strict, but a pass must not hide it.
  const notRun = result.groups.filter((g) => !g.after && (g.status === 'missing' || g.problems.some((p) => p.kind === 'not_run'))).length;
  const headline = result.passed
    ? `passed: ${countNoun(within, o.by)} within tolerance${warning.length ? `, ${countNoun(warning.length, 'warning')}` : ''}${notRun ? `, ${notRun} not run` : ''}`
    : failing.length === 0
      ? `FAILED: ${countNoun(notRun, o.by)} of the baseline not run (--strict); ${countNoun(within, o.by)} within tolerance`
      : `FAILED: ${failing.length} of ${countNoun(checked, o.by)} regressed${notRun ? `, ${notRun} not run` : ''}`;
  const intro = (q: (t: string) => string) =>
    `Baseline ${q(o.file)} (${o.baselineRunId ? `run ${q(o.baselineRunId)}, ` : ''}catalogue ${result.baseline_catalogue}) against ${o.runId ? `run ${q(o.runId)}` : 'every metered request'} (${o.rows.toLocaleString('en-US')} ledger rows, catalogue ${result.current_catalogue})`;
  const notes: string[] = [];
  if (result.fallback_models.length) notes.push(`not in the baseline's catalogue snapshot, priced at current prices on both columns: ${result.fallback_models.join(', ')}`);
  // Models with no recorded cost either are named by their group's problem, as unknown.
  const recorded = result.unpriced_models.filter((m) => !result.unknown_cost_models.includes(m));
  if (recorded.length) notes.push(`no catalogue price for ${recorded.join(', ')}: ${recorded.length === 1 ? 'its' : 'their'} recorded ledger cost is used`);

  notes.push(...(o.notes ?? []));
  if (o.failedAttempts > 0) notes.push(`${countNoun(o.failedAttempts, 'attempt')} the upstream answered with an error before any token ran (retried, or refused) ${o.failedAttempts === 1 ? 'is' : 'are'} not counted as requests`);

  const c = o.chalk;
  const text = [
    c.bold(`llmfin check · ${intro((t) => t)}`),
    renderText(usageTable(result, o.by, false), c).trimEnd(),
    ...problemLines(named, true).map((l) => (l.startsWith('  ') ? c.dim(l) : c.red(`✗ ${l}`))),
    ...problemLines(named, false).map((l) => c.yellow(`! ${l}`)),
    ...notes.map((n) => c.dim(`note: ${n}`)),
    result.passed ? c.green(headline) : c.red(c.bold(headline)),
  ].join('\n');

  const md: string[] = [
    `## ${result.passed ? ICON.pass : ICON.fail} llmfin check: ${headline}`,
    '',
    `${intro((t) => `\`${t}\``)}. Cost per request is compared at the baseline's prices, so a price change is not blamed on the code; today's prices are shown beside.`,
    '',
    renderMarkdown(usageTable(result, o.by, false, true)).trimEnd(),
  ];
  if (failing.length) {
    md.push('', '### Regressions', '');
    for (const g of failing) {
      const b = g.before;
      const a = g.after;
      const atBaseline = b && a ? `${costCell(b, 'baseline_prices', usd)} → ${costCell(a, 'baseline_prices', usd)} per request` : '';
      const samePrices = b && a && b.cost_per_request_baseline_prices.equals(b.cost_per_request_current_prices) && a.cost_per_request_baseline_prices.equals(a.cost_per_request_current_prices);
      const atCurrent = b && a && !samePrices ? ` at the baseline's prices, ${costCell(b, 'current_prices', usd)} → ${costCell(a, 'current_prices', usd)} at current prices` : '';
      const detail = atBaseline ? ` (${atBaseline}${atCurrent})` : '';
      md.push(`- **${mdEscape(g.group)}**: ${mdEscape(g.problems.filter((p) => p.fails).map((p) => p.message).join('; '))}${detail}`);
      for (const cause of g.causes) md.push(`  - likely cause: ${mdEscape(cause)}`);
    }
  }
  if (warning.length || result.groups.some((g) => g.problems.some((p) => !p.fails))) {
    md.push('', '### Warnings', '');
    for (const g of result.groups) for (const p of g.problems.filter((x) => !x.fails)) md.push(`- **${mdEscape(g.group)}**: ${mdEscape(p.message)}`);
  }
  if (notes.length) md.push('', ...notes.map((n) => `> ${mdEscape(n)}`));
  const markdown = `${md.join('\n')}\n`;

  const json = {
    passed: result.passed,
    mode: 'usage',
    baseline: { file: o.file, run_id: o.baselineRunId, catalogue_version: result.baseline_catalogue, group_by: o.by },
    current: { run_id: o.runId, catalogue_version: result.current_catalogue, ledger_rows: o.rows, failed_attempts: o.failedAttempts },
    rows: result.groups.map((g) => ({
      [o.by]: g.group,
      status: g.status,
      before: sideJson(g.before),
      after: sideJson(g.after),
      cost_per_request_change: costChangeJson(g, 'baseline_prices', g.change.cost_baseline_prices),
      cost_per_request_change_current_prices: costChangeJson(g, 'current_prices', g.change.cost_current_prices),
      tokens_per_request_change: frac(g.change.tokens),
      price_effect: g.after && (g.after.unknown_cost_requests.baseline_prices > 0 || g.after.unknown_cost_requests.current_prices > 0) ? null : frac(g.price_effect),
      thresholds: {
        max_increase_percent: g.thresholds.max_increase.toNumber(),
        max_token_increase_percent: g.thresholds.max_token_increase.toNumber(),
        max_cost_per_request_usd: num(g.thresholds.max_cost_per_request),
      },
      problems: g.problems,
      likely_causes: g.causes,
    })),
    fallback_models: result.fallback_models,
    unpriced_models: result.unpriced_models,
    unknown_cost_models: result.unknown_cost_models,
    notes,
  };
  const failureLine = `regression against ${o.file}: ${failing.map((g) => `${g.group} (${g.problems.filter((p) => p.fails).map((p) => p.kind.replace('_', ' ')).join(', ')})`).join(', ')}`;
  return { json, text: `${text}\n`, markdown, csv: renderRowsCsv(usageCsvRows(json.rows)), passed: result.passed, failureLine, notes };
}

function promptTable(result: PromptCheck, exact: boolean, md = false): Table {
  const money = (d: Dec | null) => (d === null ? '–' : exact ? d.toFixed() : usd(d));
  // The pull-request comment reads as the run check's does: sentence-case headers, a result with its icon.
  const h = (text: string) => (md ? text : text.toUpperCase());
  return {
    columns: [
      { key: 'template', header: h('Template') },
      { key: 'result', header: h('Result') },
      { key: 'tokens', header: h('Tokens'), align: 'right' },
      { key: 'cost', header: md ? 'Est. $/request at baseline prices' : 'EST. $/REQ AT BASELINE PRICES', align: 'right' },
      { key: 'change', header: h('Change'), align: 'right' },
      { key: 'now', header: h('At current prices'), align: 'right' },
    ],
    rows: result.templates.map((t: TemplateVerdict) => {
      // A template is not run: one the patterns no longer find is "not found", as the headline says.
      const word = t.status === 'missing' ? 'not found' : RESULT[t.status];
      return {
        template: md ? mdEscape(t.template) : t.template,
        result: md ? `${ICON[t.status]} ${word.toLowerCase()}` : word,
        tokens: arrow(t.tokens_before === null ? '–' : tok(t.tokens_before), t.tokens_after === null ? '–' : tok(t.tokens_after)),
        cost: arrow(money(t.cost_before), money(t.cost_after_baseline_prices)),
        change: t.cost_before !== null && t.tokens_after !== null ? fmtPercent(t.change, t.max_increase) : t.cost_before === null ? 'new' : '',
        now: money(t.cost_after_current_prices),
      };
    }),
  };
}

export function renderPromptCheck(result: PromptCheck, o: { file: string; chalk: ChalkInstance; format: OutputFormat }): RenderedCheck {
  // A template that grew failed on its tokens; one no longer found failed only for --strict.
  const failing = result.templates.filter((t) => t.status === 'fail' && t.tokens_after !== null);
  const named = result.templates.map((t) => ({ name: t.template, problems: t.problems, causes: [] }));
  const warnings = result.templates.filter((t) => t.status === 'warn').length;
  const gone = result.templates.filter((t) => t.tokens_after === null).length;
  const headline = result.passed
    ? `passed: ${countNoun(result.templates.filter((t) => t.tokens_after !== null && t.status === 'pass').length, 'prompt template')} within tolerance${warnings ? `, ${countNoun(warnings, 'warning')}` : ''}${gone ? `, ${gone} not found` : ''}`
    : failing.length === 0
      ? `FAILED: ${countNoun(gone, 'prompt template')} of the baseline not found (--strict)`
      : `FAILED: ${countNoun(failing.length, 'prompt template')} grew past tolerance${gone ? `, ${gone} not found` : ''}`;
  const intro = `Prompt templates for ${result.model} (tokens by ${result.tokenizer}) against ${o.file}`;
  const c = o.chalk;
  const text = [
    c.bold(`llmfin check · ${intro}`),
    renderText(promptTable(result, false), c).trimEnd(),
    ...problemLines(named, true).map((l) => c.red(`✗ ${l}`)),
    ...problemLines(named, false).map((l) => c.yellow(`! ${l}`)),
    ...result.notes.map((n) => c.dim(`note: ${n}`)),
    result.passed ? c.green(headline) : c.red(c.bold(headline)),
  ].join('\n');
  const md = [
    `## ${result.passed ? ICON.pass : ICON.fail} llmfin check: ${headline}`,
    '',
    `${mdEscape(intro)}. A template's estimated cost per request is its tokens at the model's input price, compared at the baseline's prices.`,
    '',
    renderMarkdown(promptTable(result, false, true)).trimEnd(),
  ];
  // Failures and warnings under their own headings, as for a run: a bare list made a new template look like a failure.
  for (const [fails, heading] of [[true, 'Regressions'], [false, 'Warnings']] as const) {
    const lines = named.filter((t) => t.problems.some((p) => p.fails === fails)).map((t) => `- **${mdEscape(t.name)}**: ${mdEscape(t.problems.filter((p) => p.fails === fails).map((p) => p.message).join('; '))}`);
    if (lines.length) md.push('', `### ${heading}`, '', ...lines);
  }
  if (result.notes.length) md.push('', ...result.notes.map((n) => `> ${mdEscape(n)}`));
  const json = {
    passed: result.passed,
    mode: 'prompts',
    baseline: { file: o.file, model: result.baseline_model, tokenizer: result.baseline_tokenizer },
    model: result.model,
    tokenizer: result.tokenizer,
    rows: result.templates.map((t) => ({
      template: t.template,
      status: t.status,
      tokens_before: t.tokens_before,
      tokens_after: t.tokens_after,
      cost_per_request_before_usd: num(t.cost_before),
      cost_per_request_usd: num(t.cost_after_baseline_prices),
      cost_per_request_current_prices_usd: num(t.cost_after_current_prices),
      cost_per_request_change: frac(t.change),
      problems: t.problems,
    })),
    notes: result.notes,
  };
  const failureLine = `prompt templates grew past tolerance: ${failing.map((t) => t.template).join(', ')}`;
  return { json, text: `${text}\n`, markdown: `${md.join('\n')}\n`, csv: csvOf(json, () => promptTable(result, true)), passed: result.passed, failureLine, notes: result.notes };
}
