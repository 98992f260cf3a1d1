/**
 * The price catalogue: provider files from `pricing/` (or a folder written by
 * `llmfin pricing update`), loaded lazily one provider at a time so that pricing one
 * usage does not parse every provider's file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogueManifest, ProviderFile } from './catalogue-schema.js';
import type { CatalogueManifest as Manifest } from './catalogue-schema.js';
import { InputError } from '../shared/errors.js';

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

  constructor(dir: string, manifest: Manifest, providerIds: string[], extra: ProviderFile[] = []) {
    this.dir = dir;
    this.manifest = manifest;
    const order = (id: string) => {
      const i = PROVIDER_PRECEDENCE.indexOf(id);
      return i === -1 ? PROVIDER_PRECEDENCE.length : i;
    };
    // Custom models from the config come first: the user's word beats the public list.
    this.extra = extra;
    const fromExtra = extra.map((f) => f.provider);
    this.providerIds = [...new Set([...fromExtra, ...[...providerIds].sort((a, b) => order(a) - order(b) || a.localeCompare(b))])];
  }

  /** Loads the manifest and the list of provider files; provider files are parsed on first use. */
  static load(dir: string = bundledCatalogueDir(), extra: ProviderFile[] = []): PriceCatalogue {
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) {
      throw new InputError(manifestPath, undefined, 'not a price catalogue folder (no manifest.json)', {
        hint: 'point pricing.catalogue in llmfin.yaml at a folder written by `llmfin pricing update`',
      });
    }
    const manifest = parseJsonFile(manifestPath, CatalogueManifest);
    const ids = readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'manifest.json')
      .map((f) => f.slice(0, -'.json'.length));
    return new PriceCatalogue(dir, manifest, ids, extra);
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
    const file = parseJsonFile(path, ProviderFile);
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
  'x-ai': 'xai',
  grok: 'xai',
  together_ai: 'together',
  togetherai: 'together',
  fireworks_ai: 'fireworks',
  'azure-openai': 'azure',
  azure_ai: 'azure',
  mistralai: 'mistral',
};

function parseJsonFile<T>(path: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new InputError(path, undefined, `not valid JSON (${(cause as Error).message})`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(path, undefined, `${issue.path.map(String).join('.')}: ${issue.message}`, {
      hint: 'the catalogue file does not match the catalogue schema; regenerate it with `llmfin pricing update`',
    });
  }
  return result.data;
}
