/**
 * Ledger data: invoices typed with a cloud's name as its invoice header prints it
 * ("Google Cloud", "Amazon Web Services, Inc.", "Microsoft Azure") were kept under that name,
 * lower-cased, a provider of its own that reconcile matched with none of the bill's rows.
 * The catalogue now reads those names as aliases of vertex, bedrock and azure; this gives
 * the invoices already in a ledger the same ids, so that importing their file again finds
 * them instead of recording a second copy (as 2026_12_02_0800 did for the names before).
 * The names are frozen here as a migration must be.
 */
import type { Kysely } from 'kysely';
import { readProviderName, renameInvoiceProviders } from './2026_12_02_0800_invoice_provider_ids.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const CLOUD_NAMES = new Map(
  Object.entries({
    'google-cloud': 'vertex',
    'google-cloud-platform': 'vertex',
    'amazon-web-services': 'bedrock',
    'microsoft-azure': 'azure',
  }),
);

/** The id this change gives a stored invoice provider name, or undefined when it is not one of the cloud names. */
export function cloudProviderId(name: string): string | undefined {
  return readProviderName(name, (spelling) => CLOUD_NAMES.get(spelling));
}

export async function up(db: AnyDb): Promise<void> {
  await renameInvoiceProviders(db, cloudProviderId);
}

/** The names as written are not kept: down leaves the ids, which read the same to older code. */
export async function down(): Promise<void> {}
