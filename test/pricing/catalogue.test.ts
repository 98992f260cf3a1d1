/**
 * Invariants of the generated price catalogue (`pricing/*.json`): every file parses
 * with the schema, ids are claimed once, periods are contiguous, and every rate passes
 * the ratio checks that found the known data errors (pricing.md §4). Exceptions are
 * listed by name with the reason, so a new oddity fails the test instead of hiding.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogueManifest, type Model, type PartialRates, type Period } from '../../src/pricing/catalogue-schema.js';
import { dec } from '../../src/shared/money.js';
import { PRICING_DIR, allProviders, providerFileNames } from './catalogue-helpers.js';

const files = allProviders();

/** Models whose Claude cache prices are their own rounded numbers, not 0.1x/1.25x/2x input. */
const CLAUDE_OWN_NUMBERS: Record<string, string> = {
  'claude-3-haiku': 'Haiku 3 keeps write 0.30 and read 0.03 (pricing.md §3.2: "older models keep their own rounded numbers")',
};

/** Chat models whose output price is below the input price in the source data. */
const OUTPUT_BELOW_INPUT: Record<string, string> = {
  'azure/Llama-4-Maverick-17B-128E-Instruct-FP8': 'as LiteLLM lists the Azure AI Foundry price (1.41/0.35); not confirmed, kept',
  'azure/Meta-Llama-3-70B-Instruct': 'as LiteLLM lists the Azure AI Foundry price (1.1/0.37); not confirmed, kept',
};

const gt = (a: string, b: string) => dec(a).greaterThan(dec(b));
const times = (a: string, f: string) => dec(a).times(f);

function everyPeriod(fn: (provider: string, model: Model, scope: string, p: Period) => void): void {
  for (const f of files) for (const m of f.models) for (const o of m.offerings) for (const p of o.periods) fn(f.provider, m, o.scope, p);
}

/** Base rates and every tier's effective rates (tier over base) of a period. */
function rateSets(p: Period): Array<{ label: string; rates: PartialRates }> {
  return [{ label: 'base', rates: p.rates }, ...(p.tiers ?? []).map((t) => ({ label: `tier>${t.above}`, rates: { ...p.rates, ...t.rates } }))];
}

describe('pricing/ files', () => {
  it('has the twelve required providers', () => {
    const ids = files.map((f) => f.provider);
    for (const p of ['openai', 'anthropic', 'google', 'vertex', 'bedrock', 'azure', 'mistral', 'deepseek', 'xai', 'groq', 'together', 'fireworks']) {
      expect(ids).toContain(p);
    }
  });

  it('every provider file parses with ProviderFile and is named after its provider', () => {
    for (const name of providerFileNames()) {
      const file = files.find((f) => `${f.provider}.json` === name);
      expect(file, name).toBeDefined();
      expect(file!.models.length).toBeGreaterThan(0);
    }
  });

  it('the manifest parses with CatalogueManifest and lists exactly the provider files', () => {
    const manifest = CatalogueManifest.parse(JSON.parse(readFileSync(join(PRICING_DIR, 'manifest.json'), 'utf8')));
    expect(manifest.providers).toEqual(providerFileNames().map((f) => f.slice(0, -'.json'.length)));
    expect(manifest.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    for (const s of manifest.sources) expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses the agreed usage conventions', () => {
    const conv = Object.fromEntries(files.map((f) => [f.provider, f.usage_convention]));
    for (const p of ['anthropic', 'bedrock']) expect(conv[p]).toEqual({ input_includes_cache: false, output_includes_reasoning: true });
    for (const p of ['google', 'vertex']) expect(conv[p]).toEqual({ input_includes_cache: true, output_includes_reasoning: false });
    for (const p of ['openai', 'azure', 'deepseek', 'xai', 'groq', 'together', 'fireworks', 'mistral']) {
      expect(conv[p]).toEqual({ input_includes_cache: true, output_includes_reasoning: true });
    }
  });
});

describe('ids are claimed once per provider', () => {
  it('exact ids are unique case-insensitively, and the canonical id comes first', () => {
    for (const f of files) {
      const seen = new Map<string, string>();
      for (const m of f.models) {
        expect(m.match.exact[0]).toBe(m.id.toLowerCase());
        for (const e of m.match.exact) {
          const key = e.toLowerCase();
          expect(seen.get(key), `${f.provider}: "${e}" in ${m.id} and ${seen.get(key)}`).toBeUndefined();
          seen.set(key, m.id);
        }
      }
    }
  });

  it("no model's regex matches another model's exact id or an alias", () => {
    for (const f of files) {
      for (const m of f.models) {
        for (const r of m.match.regex ?? []) {
          expect(r.startsWith('^') && r.endsWith('$'), `${f.provider}/${m.id}: ${r} is not anchored`).toBe(true);
          const re = new RegExp(r, 'i');
          for (const other of f.models) {
            if (other === m) continue;
            for (const e of other.match.exact) expect(re.test(e), `${f.provider}: ${m.id} ${r} matches ${other.id}'s "${e}"`).toBe(false);
          }
          for (const a of f.aliases) expect(re.test(a.id), `${f.provider}: ${m.id} ${r} matches alias ${a.id}`).toBe(false);
        }
      }
    }
  });

  it('aliases point at models and never shadow an exact id', () => {
    for (const f of files) {
      const exact = new Set(f.models.flatMap((m) => m.match.exact.map((e) => e.toLowerCase())));
      for (const a of f.aliases) {
        expect(f.models.some((m) => m.id === a.target), `${f.provider}: alias ${a.id} → ${a.target}`).toBe(true);
        expect(exact.has(a.id.toLowerCase()), `${f.provider}: alias ${a.id} is also an exact id`).toBe(false);
      }
    }
  });
});

describe('offerings and periods', () => {
  it('periods are ordered and contiguous: open start, each `to` is the next `from`, open end', () => {
    for (const f of files) {
      for (const m of f.models) {
        for (const o of m.offerings) {
          const ps = o.periods;
          expect(ps[0]!.from, `${f.provider}/${m.id}`).toBeNull();
          expect(ps[ps.length - 1]!.to, `${f.provider}/${m.id}`).toBeNull();
          for (let i = 1; i < ps.length; i++) expect(ps[i]!.from, `${f.provider}/${m.id}`).toBe(ps[i - 1]!.to);
        }
      }
    }
  });

  it('Bedrock lists the regional offering first; Azure lists global first', () => {
    for (const m of files.find((f) => f.provider === 'bedrock')!.models) {
      const scopes = m.offerings.map((o) => o.scope);
      expect(scopes.every((s) => s === 'regional' || s === 'global')).toBe(true);
      if (scopes.includes('regional')) expect(scopes[0]).toBe('regional');
    }
    for (const m of files.find((f) => f.provider === 'azure')!.models) {
      if (m.offerings.some((o) => o.scope === 'global')) expect(m.offerings[0]!.scope).toBe('global');
    }
  });

  it('every period names its source dataset and key', () => {
    everyPeriod((provider, m, _s, p) => expect(p.source, `${provider}/${m.id}`).toMatch(/genai-prices:|litellm:|https:\/\//));
  });
});

describe('ratio checks over every period', () => {
  it('cache read is below input', () => {
    everyPeriod((provider, m, scope, p) => {
      for (const { label, rates } of rateSets(p)) {
        if (rates.cache_read !== undefined && rates.input !== undefined && rates.input !== '0') {
          expect(gt(rates.input, rates.cache_read), `${provider}/${m.id} [${scope}] ${label}`).toBe(true);
        }
      }
    });
  });

  it('output is at least input on chat models (listed exceptions aside)', () => {
    everyPeriod((provider, m, scope, p) => {
      if (m.kind !== 'chat' || p.rates.output === '0' || OUTPUT_BELOW_INPUT[`${provider}/${m.id}`]) return;
      expect(gt(p.rates.input, p.rates.output), `${provider}/${m.id} [${scope}]: ${p.rates.input}/${p.rates.output}`).toBe(false);
    });
    for (const key of Object.keys(OUTPUT_BELOW_INPUT)) {
      const [provider, id] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      expect(files.find((f) => f.provider === provider)!.models.some((m) => m.id === id), `stale exception ${key}`).toBe(true);
    }
  });

  it('Claude cache prices are 0.1x read, 1.25x 5m write and 2x 1h write of input, wherever Claude is sold', () => {
    everyPeriod((provider, m, scope, p) => {
      if (!/claude/i.test(m.id) || CLAUDE_OWN_NUMBERS[m.id]) return;
      for (const { label, rates } of rateSets(p)) {
        const where = `${provider}/${m.id} [${scope}] ${label}`;
        if (rates.cache_read !== undefined) expect(dec(rates.cache_read).equals(times(rates.input!, '0.1')), where).toBe(true);
        if (rates.cache_write_5m !== undefined) expect(dec(rates.cache_write_5m).equals(times(rates.input!, '1.25')), where).toBe(true);
        if (rates.cache_write_1h !== undefined) expect(dec(rates.cache_write_1h).equals(times(rates.input!, '2')), where).toBe(true);
      }
    });
  });

  it('priority is at most 2.5x standard; batch and flex at most standard', () => {
    everyPeriod((provider, m, scope, p) => {
      for (const [tier, limit] of [['priority', '2.5'], ['batch', '1'], ['flex', '1']] as const) {
        const mod = p.service_tiers?.[tier];
        if (!mod) continue;
        for (const c of ['input', 'output', 'cache_read'] as const) {
          const base = p.rates[c];
          if (base === undefined) continue;
          const value = mod.rates?.[c] ?? dec(base).times(mod.multiply ?? '1').toFixed();
          expect(gt(value, dec(base).times(limit).toFixed()), `${provider}/${m.id} [${scope}] ${tier} ${c} ${value} vs ${base}`).toBe(false);
        }
      }
    });
  });

  it('long-context tier rates are at least the base rates', () => {
    everyPeriod((provider, m, scope, p) => {
      for (const t of p.tiers ?? []) {
        for (const [c, v] of Object.entries(t.rates) as Array<[keyof PartialRates, string]>) {
          const base = p.rates[c];
          expect(base, `${provider}/${m.id}: tier prices ${c} the base does not`).toBeDefined();
          expect(gt(base!, v), `${provider}/${m.id} [${scope}] tier>${t.above} ${c} ${v} < ${base}`).toBe(false);
        }
      }
    });
  });

  it('xAI tiers are inclusive ("gte"), everyone else strict', () => {
    everyPeriod((provider, _m, _s, p) => {
      for (const t of p.tiers ?? []) expect(t.compare).toBe(provider === 'xai' ? 'gte' : 'gt');
    });
  });
});
