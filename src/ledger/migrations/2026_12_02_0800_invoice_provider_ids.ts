/**
 * Ledger data: an invoice's provider becomes the catalogue's id for it. Invoices used to
 * keep the provider as written ("OpenAI, Inc.", `aws`, `Mistral AI`), lower-cased; since
 * then the importer stores the id (`openai`, `bedrock`, `mistral`), which reports and
 * reconcile join to that provider's rows. Without this, such an invoice of an older
 * ledger would stay a provider of its own, billed against no rows, and importing its
 * file again would record it a second time under the id (an invoice is kept by provider
 * and number). An invoice whose id already holds the same number keeps its old name: which
 * of the two is right is the user's call (`llmfin import --undo` the one that is not).
 *
 * The ids and spellings are those of the bundled catalogue on the day of this change,
 * frozen here as a migration must be; the importer's own reading is in
 * importers/invoice/invoice-importer.ts.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const IDS = new Set(['anthropic', 'azure', 'bedrock', 'cerebras', 'cohere', 'deepseek', 'fireworks', 'google', 'groq', 'mistral', 'moonshotai', 'openai', 'perplexity', 'together', 'vertex', 'xai']);
const ALIASES = new Map(
  Object.entries({
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
  }),
);

/** The importer's reading of a provider name on this day: the id, or undefined for a vendor the catalogue does not know. */
export function legacyProviderId(name: string): string | undefined {
  return readProviderName(name, (spelling) => (IDS.has(spelling) ? spelling : ALIASES.get(spelling)));
}

/**
 * The importer's spellings of a name, tried in its order against `known`: as written (lower
 * case), without a company suffix (", Inc."), with dashes, and run together. Frozen with
 * this migration; a later one that adds names reads them the same way.
 */
export function readProviderName(name: string, known: (spelling: string) => string | undefined): string | undefined {
  const lower = name.trim().toLowerCase();
  const bare = lower.replace(/[,.]?\s+(inc|llc|ltd|pbc|corp|corporation|gmbh|sas|sa)\.?$/, '').trim();
  for (const spelling of [lower, bare, bare.replace(/[^a-z0-9]+/g, '-'), bare.replace(/[^a-z0-9]+/g, '')]) {
    const id = known(spelling);
    if (id !== undefined) return id;
  }
  return undefined;
}

/**
 * Gives each invoice the id `idOf` reads in its stored name, unless that id already holds
 * an invoice of the same number (then both stay, as the doc comment above says).
 */
export async function renameInvoiceProviders(db: AnyDb, idOf: (name: string) => string | undefined): Promise<void> {
  const rows = await sql<{ id: number; provider: string; number: string }>`select id, provider, number from invoices`.execute(db);
  const taken = new Set(rows.rows.map((r) => `${r.provider}\u0000${r.number}`));
  for (const row of rows.rows) {
    const id = idOf(row.provider);
    if (id === undefined || id === row.provider || taken.has(`${id}\u0000${row.number}`)) continue;
    await sql`update invoices set provider = ${id} where id = ${row.id}`.execute(db);
    taken.add(`${id}\u0000${row.number}`);
  }
}

export async function up(db: AnyDb): Promise<void> {
  await renameInvoiceProviders(db, legacyProviderId);
}

/** The names as written are not kept: down leaves the ids, which read the same to older code. */
export async function down(): Promise<void> {}
