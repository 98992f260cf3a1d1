/**
 * The price catalogue: provider files from `pricing/` (or a folder written by
 * `llmfin pricing update`), loaded lazily one provider at a time so that pricing one
 * usage does not parse every provider's file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogueManifest as Manifest, ProviderFile } from './catalogue-schema.js';
import type { CatalogueFileKind, checkCatalogueFile } from './catalogue-file-check.js';
import { parseJsonDocument } from '../importers/json-document.js';
import { InputError } from '../shared/errors.js';
import { compareText } from '../shared/compare-text.js';

/** The `pricing/` folder shipped with llmfin (two levels up from src/pricing or dist/pricing). */
export function bundledCatalogueDir(): string {
  return fileURLToPath(new URL('../../pricing/', import.meta.url));
}

/**
 * Search order when no provider is named: first-party APIs first, so that `gpt-4o`
 * means OpenAI's price and `claude-sonnet-4-5` Anthropic's, not a reseller's.
 */
export const PROVIDER_PRECEDENCE = [
  'openai',
  'anthropic',
  'google',
  'mistral',
  'deepseek',
  'xai',
  'bedrock',
  'vertex',
  'azure',
  'groq',
  'together',
  'fireworks',
];

export class PriceCatalogue {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly providerIds: readonly string[];
  private readonly files = new Map<string, ProviderFile>();
  private readonly extra: ProviderFile[] = [];
  private aliasIndex: Map<string, string> | undefined;
  /**
   * Whether files are checked against the zod schema when read. The bundled catalogue
   * is checked by the test suite instead (test/pricing/catalogue.test.ts), which keeps
   * zod off the `pricing cost` start-up path; any other folder is validated.
   */
  private readonly check: CheckFile | undefined;

  constructor(dir: string, manifest: Manifest, providerIds: string[], extra: ProviderFile[] = [], check?: CheckFile) {
    this.dir = dir;
    this.check = check;
    this.manifest = manifest;
    const order = (id: string) => {
      const i = PROVIDER_PRECEDENCE.indexOf(id);
      return i === -1 ? PROVIDER_PRECEDENCE.length : i;
    };
    // Custom models from the config come first: the user's word beats the public list.
    this.extra = extra;
    const fromExtra = extra.map((f) => f.provider);
    this.providerIds = [...new Set([...fromExtra, ...[...providerIds].sort((a, b) => order(a) - order(b) || compareText(a, b))])];
  }

  /** Loads the manifest and the list of provider files; provider files are parsed on first use. */
  static async load(dir: string = bundledCatalogueDir(), extra: ProviderFile[] = []): Promise<PriceCatalogue> {
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) {
      throw new InputError(manifestPath, undefined, 'not a price catalogue folder (no manifest.json)', {
        hint: 'point pricing.catalogue in llmfin.yaml at a folder written by `llmfin pricing update`',
      });
    }
    const check = resolve(dir) === resolve(bundledCatalogueDir()) ? undefined : (await import('./catalogue-file-check.js')).checkCatalogueFile;
    const manifest = readJsonFile(manifestPath, 'manifest', check) as Manifest;
    // The providers the manifest lists (the schema requires the list), not every .json in
    // the folder: a dataset kept beside the catalogue it was built from is not a provider file.
    const ids = manifest.providers.filter((id) => existsSync(join(dir, `${id}.json`)));
    return new PriceCatalogue(dir, manifest, ids, extra, check);
  }

  /** The provider file for an id or one of its aliases ("aws" → bedrock), or undefined. */
  provider(idOrAlias: string): ProviderFile | undefined {
    const id = this.canonicalProviderId(idOrAlias);
    if (id === undefined) return undefined;
    const extra = this.extra.find((f) => f.provider === id);
    const cached = this.files.get(id);
    if (cached) return cached;
    const path = join(this.dir, `${id}.json`);
    if (!existsSync(path)) return extra;
    const file = readJsonFile(path, 'provider', this.check) as ProviderFile;
    // A custom model with the same provider id extends that provider's file.
    const merged = extra ? { ...file, models: [...extra.models, ...file.models] } : file;
    this.files.set(id, merged);
    return merged;
  }

  canonicalProviderId(idOrAlias: string): string | undefined {
    const wanted = idOrAlias.toLowerCase();
    if (this.providerIds.includes(wanted)) return wanted;
    return this.aliases().get(wanted);
  }

  /** Every alias with the provider id it stands for ("aws" → bedrock), built-in and custom. */
  providerAliases(): Array<[string, string]> {
    return [...this.aliases()];
  }

  /** Every provider file, in precedence order (parses all of them). */
  all(): ProviderFile[] {
    return this.providerIds.map((id) => this.provider(id)).filter((f): f is ProviderFile => f !== undefined);
  }

  private aliases(): Map<string, string> {
    if (this.aliasIndex) return this.aliasIndex;
    const index = new Map<string, string>();
    for (const [alias, id] of Object.entries(BUILTIN_PROVIDER_ALIASES)) index.set(alias, id);
    for (const file of this.extra) for (const a of file.provider_aliases) index.set(a.toLowerCase(), file.provider);
    this.aliasIndex = index;
    return index;
  }
}

/**
 * Provider spellings seen in exports and SDKs. Kept here (not only in the provider
 * files) so that resolving an alias does not require parsing every file.
 */
const BUILTIN_PROVIDER_ALIASES: Record<string, string> = {
  aws: 'bedrock',
  'aws-bedrock': 'bedrock',
  'amazon-bedrock': 'bedrock',
  bedrock_converse: 'bedrock',
  gemini: 'google',
  'google-ai-studio': 'google',
  google_ai_studio: 'google',
  vertex_ai: 'vertex',
  'vertex-ai': 'vertex',
  'google-vertex': 'vertex',
  gcp: 'vertex',
  // The names a cloud's invoice is issued under, as a user types them from its header: kept
  // under another name, the invoice was a provider of its own and matched none of its bill's rows.
  'google-cloud': 'vertex',
  'google-cloud-platform': 'vertex',
  'amazon-web-services': 'bedrock',
  'microsoft-azure': 'azure',
  'x-ai': 'xai',
  grok: 'xai',
  together_ai: 'together',
  togetherai: 'together',
  fireworks_ai: 'fireworks',
  'azure-openai': 'azure',
  azure_ai: 'azure',
  mistralai: 'mistral',
};

type CheckFile = typeof checkCatalogueFile;

/** A hand edit is fixed where it is; a folder broken otherwise is built again, or dropped. */
const FIX = 'fix it there, or rebuild the catalogue with `llmfin pricing update FILE` (a LiteLLM or genai-prices dataset), or remove its folder to use the bundled one';

function readJsonFile(path: string, kind: CatalogueFileKind, check: CheckFile | undefined): unknown {
  const text = readFileSync(path, 'utf8');
  const doc = parseJsonDocument(text);
  if (!doc.ok) throw new InputError(path, doc.line, doc.message, { hint: FIX });
  if (check === undefined) return doc.value;
  const result = check(kind, text, doc.value);
  if (!result.ok) throw new InputError(path, result.line, result.message, { hint: FIX });
  return result.value;
}

