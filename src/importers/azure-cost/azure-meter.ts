/**
 * Azure OpenAI / Foundry Models meter names, where Azure encodes model, version, token
 * direction, cache, batch and deployment type in free text that changes spelling from
 * model to model: "gpt-4o-0806-Inp-glbl Tokens", "gpt 4o 0806 cached Inp Data Zone",
 * "gpt-4o-mini-0718-Batch-Inp-glbl", "GPT 5 Inpt Glbl", "gpt4omini-rt-aud1217 Inp regnl".
 * The name is split into words; the words before the first marker are the model, the rest
 * must all be markers we know, else the meter is not understood (the caller keeps its
 * money as 'unclassified').
 *
 * Meters billed by the hour rather than by the token, and where their names come from:
 * - provisioned throughput: "Provisioned Managed Global Unit" (also "… Data Zone Unit",
 *   "… Regional Unit"), unit 1/Hour, as the Azure Retail Prices API lists them
 *   (infracost/infracost internal/resources/azure/cognitive_deployment.go@7c081fea names the
 *   SKUs "Provisioned Managed Global / Data Zone / Regional"; Microsoft Learn's
 *   provisioned-throughput reservation page gives the same three as reservation products);
 * - fine-tuning: "<model>-FTuned Training Unit" and "<model>-FTuned Deployment Hosting Unit",
 *   e.g. "Az-GPT35-Turbo-4K-FTuned Training Unit" (same infracost file), and the Foundry
 *   partner spelling "3.3 70b FT Deployment Hosting Unit" (unit 1/Hour, Retail Prices API).
 */
import type { TokenKind } from '../aws-cur/billing-values.js';

export type AzureMeter =
  | {
      kind: 'tokens';
      /** The model as the meter spells it, normalised ("gpt-4o-0806"). */
      modelName: string;
      /** Catalogue ids to try, most specific first ("gpt-4o-2024-08-06", "gpt-4o-0806", "gpt-4o"). */
      candidates: string[];
      tokenKind: TokenKind;
      deployment: 'global' | 'datazone' | 'regional' | undefined;
      batch: boolean;
    }
  | { kind: 'provisioned'; modelName: string; deployment: 'global' | 'datazone' | 'regional' | undefined }
  | {
      kind: 'fineTuning';
      /** Training a model, or keeping a fine-tuned model deployed. */
      phase: 'training' | 'hosting';
      modelName: string;
      candidates: string[];
      deployment: 'global' | 'datazone' | 'regional' | undefined;
    };

const WORDS: Record<string, string> = {
  inp: 'in', input: 'in', inpt: 'in', in: 'in',
  outp: 'out', output: 'out', out: 'out', opt: 'out',
  cached: 'cached', cchd: 'cached', cache: 'cached', cachd: 'cached',
  glbl: 'global', global: 'global', gl: 'global', glb: 'global', globl: 'global',
  regnl: 'regional', regional: 'regional', rgnl: 'regional', regn: 'regional',
  dzone: 'datazone', dzn: 'datazone', datazone: 'datazone',
  batch: 'batch',
  ptu: 'provisioned', provisioned: 'provisioned', managed: 'provisioned', hourly: 'provisioned',
  aud: 'audio', audio: 'audio', txt: 'text', text: 'text', img: 'image', image: 'image',
  ftuned: 'finetuned', ft: 'finetuned', training: 'training', hosting: 'hosting', deployment: 'noise',
  tokens: 'noise', token: 'noise', '1k': 'noise', '1m': 'noise', units: 'noise', unit: 'noise',
};
/** Prefixes of the older SKU spellings ("Az-GPT35-Turbo-4K") that are not part of the model. */
const SKU_PREFIX = new Set(['az']);
/** Markers that may also start a model name ("text-embedding-3-small"). */
const MODALITY = new Set(['audio', 'text', 'image']);

/** Model versions Azure writes as MMDD, with their release dates (catalogue ids carry the date). */
const VERSIONS: Record<string, string> = {
  '0513': '2024-05-13', '0718': '2024-07-18', '0806': '2024-08-06', '1120': '2024-11-20', '0912': '2024-09-12',
  '1217': '2024-12-17', '0131': '2025-01-31', '0227': '2025-02-27', '0414': '2025-04-14', '0416': '2025-04-16', '0807': '2025-08-07',
};
/** Meter spellings of model names → catalogue ids. */
const ALIASES: Record<string, string> = {
  gpt4o: 'gpt-4o', 'gpt35-turbo': 'gpt-35-turbo', gpt4omini: 'gpt-4o-mini', 'gpt-4o-aud': 'gpt-4o-audio-preview', 'gpt4omini-aud': 'gpt-4o-mini-audio-preview',
  'gpt-4o-rt': 'gpt-4o-realtime-preview', 'gpt4omini-rt': 'gpt-4o-mini-realtime-preview', 'gpt-4.5': 'gpt-4.5-preview',
  r1: 'deepseek-r1', 'computer-use': 'computer-use-preview', 'gpt-35-turbo': 'gpt-35-turbo',
};

/** Splits the glued spellings ("BatchOutp", "mini0718", "aud1217") into words. */
function words(name: string): string[] {
  return name
    .replace(/\bdata\s*zone\b/gi, 'dzone')
    .replace(/([a-z0-9])(?=(?:Batch|Inp|Outp|Input|Output|DataZone|DZone)(?:\b|[A-Z]))/g, '$1 ')
    .replace(/([a-z])(\d{4})\b/gi, '$1 $2')
    .split(/[\s\-_]+/)
    .filter((w) => w !== '');
}

function candidatesFor(modelWords: string[]): { modelName: string; candidates: string[] } {
  const lower = modelWords.map((w) => w.toLowerCase());
  const version = lower.length > 1 && /^\d{4}$/.test(lower.at(-1)!) ? lower.pop() : undefined;
  const base = lower.join('-');
  const out: string[] = [];
  const add = (id: string) => {
    const aliased = ALIASES[id] ?? id;
    if (version !== undefined && VERSIONS[version]) out.push(`${aliased}-${VERSIONS[version]}`);
    if (version !== undefined) out.push(`${aliased}-${version}`);
    out.push(aliased);
  };
  add(base);
  // Context sizes in meter names ("gpt-35-turbo4K", "gpt-4-8K") are not part of the id, except 16k/32k models.
  // Never fall back from a 16k/32k model to its base: that would price another model.
  const noContext = base.replace(/-?(\d+)k$/, (_, n: string) => (n === '16' || n === '32' ? `-${n}k` : ''));
  if (noContext !== base) add(noContext);
  return { modelName: version ? `${base}-${version}` : base, candidates: [...new Set(out)] };
}

export function parseAzureMeter(name: string): AzureMeter | undefined {
  const ws = words(name);
  let i = 0;
  for (; i < ws.length; i++) {
    const role = WORDS[ws[i]!.toLowerCase()];
    if (role !== undefined && !(i === 0 && MODALITY.has(role))) break;
  }
  const modelWords = ws.slice(SKU_PREFIX.has(ws[0]?.toLowerCase() ?? '') ? 1 : 0, i);
  const roles = new Set<string>();
  let versionAfter: string | undefined;
  for (const w of ws.slice(i)) {
    const role = WORDS[w.toLowerCase()];
    if (role !== undefined) roles.add(role);
    else if (/^\d{4}$/.test(w) && versionAfter === undefined) versionAfter = w;
    else return undefined;
  }
  if (versionAfter !== undefined) modelWords.push(versionAfter);
  const deployment = roles.has('global') ? 'global' : roles.has('datazone') ? 'datazone' : roles.has('regional') ? 'regional' : undefined;
  const { modelName, candidates } = candidatesFor(modelWords);
  if (roles.has('provisioned')) return { kind: 'provisioned', modelName, deployment };
  // Training and hosting are billed per hour (or per training token); the model is the one tuned.
  const phase = roles.has('training') ? 'training' : roles.has('hosting') ? 'hosting' : undefined;
  if (phase !== undefined) return { kind: 'fineTuning', phase, modelName, candidates, deployment };
  // A fine-tuned model's tokens have prices of their own: estimating them at the base model's would mislead.
  if (roles.has('finetuned')) return undefined;
  if (modelWords.length === 0) return undefined;

  const direction = roles.has('out') ? 'out' : roles.has('in') || roles.has('cached') || /embedding/.test(modelName) ? 'in' : undefined;
  if (direction === undefined || (roles.has('in') && roles.has('out'))) return undefined;
  const tokenKind: TokenKind = roles.has('cached')
    ? 'cacheRead'
    : roles.has('audio')
      ? direction === 'in' ? 'inputAudio' : 'outputAudio'
      : roles.has('image')
        ? direction === 'in' ? 'inputImage' : 'outputImage'
        : direction === 'in' ? 'input' : 'output';
  if (roles.has('cached') && direction === 'out') return undefined;
  return { kind: 'tokens', modelName, candidates, tokenKind, deployment, batch: roles.has('batch') };
}
