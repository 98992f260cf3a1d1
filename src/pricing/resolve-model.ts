/**
 * Model-name matching: turns whatever id a provider, SDK or export wrote
 * (`us.anthropic.claude-sonnet-4-6-v1:0`, `azure/eu/gpt-5.1`, `gpt-4o-2024-08-06`,
 * `claude-sonnet-4-5@20250929`, `openai/gpt-4o`) into a catalogue model and offering.
 * Exact ids first, then anchored snapshot patterns, then a stripped date/revision
 * suffix; never a loose prefix match, which prices a new model at an old one's rate
 * (pricing.md §6, genai-prices #471).
 */
import type { Model, Offering, ProviderFile } from './catalogue-schema.js';
import type { PriceCatalogue } from './price-catalogue.js';

export interface ModelQuery {
  provider?: string | undefined;
  model: string;
  /** Request time: selects dated aliases. */
  at: Date;
  /** Offering scope asked for explicitly (`--offering global`), beating what the id implies. */
  offering?: string | undefined;
}

export interface ResolvedModel {
  provider: ProviderFile;
  model: Model;
  offering: Offering;
  /** How the id was recognised, for `--explain` and debugging. */
  matchedBy: 'exact' | 'regex' | 'alias' | 'stripped-suffix';
  /** The id after prefixes were removed, as matched. */
  normalisedId: string;
  /**
   * Geo keys the id itself implies, most specific first: a Bedrock source region from an
   * ARN or `bedrock/<region>/` path, then a cross-region profile prefix (`eu.`, `apac.`).
   */
  impliedRegions: string[];
}

export interface UnresolvedModel {
  provider: string | undefined;
  model: string;
  reason: string;
}

interface ParsedId {
  provider: string | undefined;
  id: string;
  scope: string | undefined;
  region: string | undefined;
  /** A Bedrock geographic profile prefix ("us", "eu", "apac"); undefined for `global.` and bare ids. */
  geo: string | undefined;
}

const BEDROCK_GEO = /^(us|eu|apac|jp|au|ca|us-gov|global)\.(?=[a-z0-9-]+\.)/;
const DATE_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;
const REVISION_SUFFIX = /(-v\d+(:\d+)?|:\d+)$/;

/** Splits the prefixes providers put around model ids; pure, exported for tests. */
export function parseModelId(raw: string, provider: string | undefined, isProvider: (p: string) => boolean): ParsedId {
  let id = raw.trim().toLowerCase();
  let scope: string | undefined;
  let region: string | undefined;
  let geoPrefix: string | undefined;

  // Bedrock ARNs: the last segment is the model or inference-profile id.
  const arn = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]*):\d*:(foundation-model|inference-profile)\/(.+)$/.exec(id);
  if (arn) {
    provider ??= 'bedrock';
    region = arn[1] || undefined;
    id = arn[3]!;
  }
  // "provider/model", possibly nested ("openrouter/anthropic/claude-…"): take the last known provider.
  for (;;) {
    const slash = id.indexOf('/');
    if (slash === -1) break;
    const head = id.slice(0, slash);
    if (head === 'bedrock' || head === 'azure') {
      provider ??= head;
      id = id.slice(slash + 1);
      const next = id.indexOf('/');
      // bedrock/<region>/<id>, azure/<scope>/<id>
      if (next !== -1) {
        const seg = id.slice(0, next);
        if (head === 'bedrock') region = seg;
        else scope = seg === 'global-standard' ? 'global' : seg;
        id = id.slice(next + 1);
      }
      continue;
    }
    if (head === 'publishers') {
      // Vertex resource names: publishers/anthropic/models/claude-…
      id = id.slice(id.lastIndexOf('/') + 1);
      provider ??= 'vertex';
      break;
    }
    if (head === 'models') {
      // Gemini API resource names: models/gemini-2.5-pro
      id = id.slice(slash + 1);
      continue;
    }
    // Only a known provider is a prefix; "meta-llama/Llama-3.3-70B" is a whole id (Together, Fireworks).
    if (!isProvider(head)) break;
    provider ??= head;
    id = id.slice(slash + 1);
  }
  const geo = BEDROCK_GEO.exec(id);
  if (geo) {
    scope = geo[1] === 'global' ? 'global' : 'regional';
    if (geo[1] !== 'global') geoPrefix = geo[1];
    id = id.slice(geo[0].length);
    provider ??= 'bedrock';
  }
  return { provider, id, scope, region, geo: geoPrefix };
}

/** Candidate spellings, most specific first. */
function candidates(id: string): string[] {
  const out = [id];
  const at = id.indexOf('@');
  if (at !== -1) out.push(id.slice(0, at));
  for (const c of [...out]) {
    const noRevision = c.replace(REVISION_SUFFIX, '');
    if (noRevision !== c) out.push(noRevision);
  }
  for (const c of [...out]) {
    const noDate = c.replace(DATE_SUFFIX, '');
    if (noDate !== c) out.push(noDate);
  }
  // Last resort for router prefixes we do not know ("openrouter/anthropic/claude-…"): the last segment.
  const slash = id.lastIndexOf('/');
  if (slash !== -1) out.push(...candidates(id.slice(slash + 1)));
  return [...new Set(out)];
}

const regexCache = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'i');
    regexCache.set(pattern, re);
  }
  return re;
}

function findInProvider(file: ProviderFile, id: string, at: Date): { model: Model; matchedBy: ResolvedModel['matchedBy']; id: string } | undefined {
  const all = candidates(id);
  const [first] = all;
  for (const [i, c] of all.entries()) {
    for (const m of file.models) {
      if (m.match.exact.some((e) => e.toLowerCase() === c)) return { model: m, matchedBy: i === 0 ? 'exact' : 'stripped-suffix', id: c };
    }
    for (const m of file.models) {
      if (m.match.regex?.some((r) => compiled(r).test(c))) return { model: m, matchedBy: c === first ? 'regex' : 'stripped-suffix', id: c };
    }
    const time = at.getTime();
    for (const a of file.aliases) {
      if (a.id.toLowerCase() !== c) continue;
      if (a.from !== null && time < Date.parse(a.from)) continue;
      if (a.to !== null && time >= Date.parse(a.to)) continue;
      const target = file.models.find((m) => m.id === a.target);
      if (target) return { model: target, matchedBy: 'alias', id: c };
    }
  }
  return undefined;
}

function pickOffering(model: Model, scope: string | undefined): Offering | undefined {
  if (scope === undefined) return model.offerings[0];
  // Any case, as --region: `--offering Global` is the global offering.
  const wanted = scope.toLowerCase();
  return model.offerings.find((o) => o.scope === wanted) ?? (model.offerings.length === 1 ? model.offerings[0] : undefined);
}

/** Resolves a model id against the catalogue; never guesses across providers when one is named. */
export function resolveModel(catalogue: PriceCatalogue, query: ModelQuery): ResolvedModel | UnresolvedModel {
  const parsed = parseModelId(query.model, query.provider, (p) => catalogue.canonicalProviderId(p) !== undefined);
  const scope = query.offering ?? parsed.scope;

  if (/application-inference-profile\//.test(parsed.id)) {
    return {
      provider: 'bedrock',
      model: query.model,
      reason: 'a Bedrock application inference profile does not name its model; map it to one in llmfin.yaml',
    };
  }

  let providers: ProviderFile[];
  if (parsed.provider !== undefined) {
    const file = catalogue.provider(parsed.provider);
    if (!file) return { provider: parsed.provider, model: query.model, reason: `unknown provider "${parsed.provider}"` };
    providers = [file];
  } else {
    providers = catalogue.all();
  }

  for (const file of providers) {
    const hit = findInProvider(file, parsed.id, query.at);
    if (!hit) continue;
    const offering = pickOffering(hit.model, scope);
    if (!offering) {
      return {
        provider: file.provider,
        model: query.model,
        reason: `${hit.model.id} has no "${scope}" offering (known: ${hit.model.offerings.map((o) => o.scope).join(', ')})`,
      };
    }
    const impliedRegions = [parsed.region, parsed.geo].filter((r): r is string => r !== undefined);
    return { provider: file, model: hit.model, offering, matchedBy: hit.matchedBy, normalisedId: hit.id, impliedRegions };
  }
  return {
    provider: parsed.provider,
    model: query.model,
    reason: parsed.provider
      ? `no model "${parsed.id}" in the ${parsed.provider} price catalogue`
      : `no model "${parsed.id}" in any provider's price catalogue`,
  };
}

export function isResolved(r: ResolvedModel | UnresolvedModel): r is ResolvedModel {
  return 'offering' in r;
}
