/**
 * `check --prompts`: prompt bloat caught before it ships, with no API call. Each
 * template's tokens are counted (prompt-tokens.ts) and priced as the input of one
 * request to the chosen model (uncached input rate; a template is the fixed part of
 * a prompt, the variables it is filled with are not known here). A template fails
 * when that estimated cost per request grows past the tolerance at the baseline's
 * prices, or breaks an absolute cap; a new template warns (fails with `strict`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pricer } from '../pricing/pricer.js';
import { isResolved, resolveModel } from '../pricing/resolve-model.js';
import { UsageError } from '../shared/errors.js';
import type { Dec } from '../shared/money.js';
import type { PromptsSection, TokenSlice } from './baseline-schema.js';
import { exceeds, fmtPercent, relativeChange, type Problem } from './compare-usage.js';
import { globFiles } from './prompt-glob.js';
import { countTokens, type TokenizerName } from './prompt-tokens.js';
import { snapshotPrices, type SlicePricer } from './reprice.js';
import type { ThresholdsFor } from './thresholds.js';

export interface PromptScan {
  patterns: string[];
  provider: string;
  model: string;
  tokenizer: TokenizerName;
  /** Relative path → token count, sorted by path. */
  templates: Map<string, number>;
}

/** Finds and counts the templates; a pattern that matches nothing is bad input. */
export async function scanPrompts(cwd: string, patterns: readonly string[], model: string, catalogue: Pricer['catalogue'], at: Date): Promise<PromptScan> {
  const resolved = resolveModel(catalogue, { model, at });
  if (!isResolved(resolved)) {
    throw new UsageError(`--model: cannot price "${model}" (${resolved.reason})`, { option: '--model', hint: 'see `llmfin pricing list`, or add it under pricing.custom_models' });
  }
  const files = globFiles(cwd, patterns);
  if (files.length === 0) {
    throw new UsageError(`--prompts: no file matches ${patterns.map((p) => `"${p}"`).join(', ')} under ${cwd}`, { option: '--prompts' });
  }
  const templates = new Map<string, number>();
  let tokenizer: TokenizerName = 'chars/4';
  for (const file of files) {
    const counted = await countTokens(model, readFileSync(join(cwd, file), 'utf8'));
    templates.set(file, counted.tokens);
    tokenizer = counted.tokenizer;
  }
  return { patterns: [...patterns], provider: resolved.provider.provider, model, tokenizer, templates };
}

/** One template as a token slice: one request whose input is the template. */
function templateSlice(provider: string, model: string, tokens: number): TokenSlice {
  return {
    provider,
    model,
    service_tier: null,
    region: null,
    requests: 1,
    input: tokens,
    cache_read: 0,
    cache_write_5m: 0,
    cache_write_1h: 0,
    input_audio: 0,
    input_image: 0,
    output: 0,
    reasoning: 0,
    output_audio: 0,
    output_image: 0,
    web_searches: 0,
    recorded_cost_usd: '0',
  };
}

export function buildPromptsSection(scan: PromptScan, current: SlicePricer, pricer: Pricer, at: Date): PromptsSection {
  const templates: PromptsSection['templates'] = {};
  for (const [path, tokens] of scan.templates) {
    templates[path] = { tokens, cost_per_request_usd: current.price(templateSlice(scan.provider, scan.model, tokens), at).cost.toFixed() };
  }
  return {
    patterns: scan.patterns,
    provider: scan.provider,
    model: scan.model,
    tokenizer: scan.tokenizer,
    catalogue_version: current.catalogueVersion,
    templates,
    prices: snapshotPrices(pricer.catalogue, [{ provider: scan.provider, model: scan.model }], at),
  };
}

export interface TemplateVerdict {
  template: string;
  status: 'pass' | 'fail' | 'warn' | 'missing';
  tokens_before: number | null;
  tokens_after: number | null;
  cost_before: Dec | null;
  /** The new token count at the baseline's prices (for the baseline's model or the new one). */
  cost_after_baseline_prices: Dec | null;
  cost_after_current_prices: Dec | null;
  change: Dec | null;
  /** The tolerance the change was judged against, in percent. */
  max_increase: Dec;
  problems: Problem[];
}

export interface PromptCheck {
  model: string;
  baseline_model: string | null;
  tokenizer: TokenizerName;
  baseline_tokenizer: string | null;
  templates: TemplateVerdict[];
  notes: string[];
  passed: boolean;
}

export function checkPrompts(input: {
  baseline: PromptsSection | null;
  scan: PromptScan;
  atBaselinePrices: SlicePricer;
  atCurrentPrices: SlicePricer;
  at: Date;
  thresholds: ThresholdsFor;
  strict: boolean;
}): PromptCheck {
  const { scan, baseline } = input;
  const notes: string[] = [];
  if (baseline && baseline.tokenizer !== scan.tokenizer) {
    notes.push(`token counts come from ${scan.tokenizer} now and from ${baseline.tokenizer} in the baseline: part of the change is the tokenizer`);
  }
  if (baseline && baseline.model !== scan.model) notes.push(`model change: ${baseline.model} → ${scan.model}`);
  const names = [...new Set([...Object.keys(baseline?.templates ?? {}), ...scan.templates.keys()])].sort();
  const templates: TemplateVerdict[] = names.map((template) => {
    const t = input.thresholds(template);
    const before = baseline?.templates[template];
    const tokens = scan.templates.get(template);
    const v: TemplateVerdict = {
      template,
      status: 'pass',
      tokens_before: before?.tokens ?? null,
      tokens_after: tokens ?? null,
      cost_before: null,
      cost_after_baseline_prices: null,
      cost_after_current_prices: null,
      change: null,
      max_increase: t.maxIncrease,
      problems: [],
    };
    if (before && baseline) {
      // The baseline's own estimate, re-priced from its snapshot so both sides share prices.
      v.cost_before = input.atBaselinePrices.price(templateSlice(baseline.provider, baseline.model, before.tokens), input.at).cost;
    }
    if (tokens === undefined) {
      v.status = 'missing';
      // Strict holds the templates to the baseline's both ways, as it does a run's groups.
      if (input.strict) {
        v.problems.push({ kind: 'not_run', fails: true, message: `template "${template}" is in the baseline but the patterns no longer find it (--strict): save a new baseline if it is gone` });
        v.status = 'fail';
      }
      return v;
    }
    const slice = templateSlice(scan.provider, scan.model, tokens);
    v.cost_after_baseline_prices = input.atBaselinePrices.price(slice, input.at).cost;
    v.cost_after_current_prices = input.atCurrentPrices.price(slice, input.at).cost;
    if (v.cost_before === null) {
      v.problems.push({ kind: 'new_group', fails: input.strict, message: `no baseline for template "${template}"${input.strict ? ' (--strict)' : ''}` });
    } else {
      v.change = relativeChange(v.cost_before, v.cost_after_baseline_prices);
      if (exceeds(v.cost_before, v.cost_after_baseline_prices, t.maxIncrease)) {
        v.problems.push({
          kind: 'cost',
          fails: true,
          message: `estimated cost per request ${fmtPercent(v.change, t.maxIncrease)} (${(v.tokens_before ?? 0).toLocaleString('en-US')} → ${tokens.toLocaleString('en-US')} tokens; limit +${t.maxIncrease.toFixed()}%)`,
        });
      }
    }
    if (t.maxCostPerRequest !== undefined && v.cost_after_current_prices.greaterThan(t.maxCostPerRequest)) {
      v.problems.push({ kind: 'cap', fails: true, message: `estimated cost per request $${v.cost_after_current_prices.toFixed()} is above the cap of $${t.maxCostPerRequest.toFixed()}` });
    }
    v.status = v.problems.some((p) => p.fails) ? 'fail' : v.problems.length > 0 ? 'warn' : 'pass';
    return v;
  });
  return {
    model: scan.model,
    baseline_model: baseline?.model ?? null,
    tokenizer: scan.tokenizer,
    baseline_tokenizer: baseline?.tokenizer ?? null,
    templates,
    notes,
    passed: templates.every((t) => t.status !== 'fail'),
  };
}

