/**
 * Sanity checks over a finished provider file, the ones that found the known data
 * errors (pricing.md §4): cache read below input, output at least input, Claude cache
 * prices at 0.1x / 1.25x / 2x input, priority at most 2.5x standard, batch and flex at
 * most standard, long-context tiers at least the base rates, and Azure Data Zone prices
 * one rounding step away from Global x 1.1 (the azure/eu/gpt-5.1 kind). They return findings
 * rather than throwing: the seed prints them for review and the tests pin them down.
 */
import type { Model, PartialRates, Period, ProviderFile } from '../catalogue-schema.js';
import { dec } from '../../shared/money.js';
import { compareDecimal, sameDecimal, timesText } from './decimal-text.js';
import { applyModifierToRates } from './modifiers.js';

export interface RatioFinding {
  provider: string;
  model: string;
  scope: string;
  from: string | null;
  check: string;
  detail: string;
}

type Add = (check: string, detail: string) => void;

function isClaude(model: Model): boolean {
  return /claude/i.test(model.id);
}

function exceeds(a: string | undefined, b: string | undefined, factor = '1'): boolean {
  return a !== undefined && b !== undefined && compareDecimal(a, timesText(b, factor)) > 0;
}

function checkRates(model: Model, r: PartialRates, label: string, add: Add): void {
  if (r.cache_read !== undefined && r.input !== undefined && r.input !== '0' && compareDecimal(r.cache_read, r.input) >= 0) {
    add('cache_read < input', `${label}: cache_read ${r.cache_read} >= input ${r.input}`);
  }
  if (model.kind === 'chat' && r.output !== undefined && r.input !== undefined && r.output !== '0' && compareDecimal(r.output, r.input) < 0) {
    add('output >= input', `${label}: output ${r.output} < input ${r.input}`);
  }
  if (!isClaude(model) || r.input === undefined) return;
  const expect: Array<[keyof PartialRates, string]> = [
    ['cache_read', '0.1'],
    ['cache_write_5m', '1.25'],
    ['cache_write_1h', '2'],
  ];
  for (const [c, f] of expect) {
    const v = r[c];
    if (v !== undefined && !sameDecimal(v, timesText(r.input, f))) add(`claude ${c} = ${f}x input`, `${label}: ${c} ${v}, input ${r.input}`);
  }
}

function checkPeriod(model: Model, p: Period, add: Add): void {
  checkRates(model, p.rates, 'base', add);
  for (const t of p.tiers ?? []) {
    checkRates(model, { ...p.rates, ...t.rates }, `tier >${t.above}`, add);
    for (const [c, v] of Object.entries(t.rates) as Array<[keyof PartialRates, string]>) {
      if (p.rates[c] !== undefined && compareDecimal(v, p.rates[c]!) < 0) add('tier >= base', `tier >${t.above} ${c} ${v} < base ${p.rates[c]}`);
    }
  }
  const st = p.service_tiers ?? {};
  for (const [name, limit] of [['batch', '1'], ['flex', '1'], ['priority', '2.5']] as const) {
    const m = st[name];
    if (!m) continue;
    const modified = applyModifierToRates(p.rates, m);
    for (const c of ['input', 'output', 'cache_read'] as const) {
      if (exceeds(modified[c], p.rates[c], limit)) add(`${name} <= ${limit}x standard`, `${name} ${c} ${modified[c]} vs standard ${p.rates[c]}`);
    }
  }
}

export function ratioChecks(file: ProviderFile): RatioFinding[] {
  const findings: RatioFinding[] = [];
  for (const model of file.models) {
    for (const o of model.offerings) {
      for (const p of o.periods) {
        checkPeriod(model, p, (check, detail) =>
          findings.push({ provider: file.provider, model: model.id, scope: o.scope, from: p.from, check, detail }),
        );
      }
    }
  }
  return findings;
}

/** Azure Data Zone ("eu", "us") components within 0.01 of Global x 1.1 but not equal: rounded in the source. */
export function azureZoneFindings(file: ProviderFile): RatioFinding[] {
  if (file.provider !== 'azure') return [];
  const findings: RatioFinding[] = [];
  for (const model of file.models) {
    const global = model.offerings.find((o) => o.scope === 'global')?.periods.at(-1)?.rates;
    if (!global) continue;
    for (const o of model.offerings.filter((x) => x.scope === 'eu' || x.scope === 'us')) {
      const p = o.periods.at(-1)!;
      for (const [c, v] of Object.entries(p.rates) as Array<[keyof PartialRates, string]>) {
        const g = global[c];
        if (g === undefined) continue;
        const expected = dec(g).times('1.1');
        const diff = dec(v).minus(expected).abs();
        if (!diff.isZero() && diff.lessThan('0.01')) {
          findings.push({ provider: file.provider, model: model.id, scope: o.scope, from: p.from, check: 'azure zone = 1.1x global', detail: `${c} ${v} vs ${expected.toFixed()} (rounded in the source?)` });
        }
      }
    }
  }
  return findings;
}
