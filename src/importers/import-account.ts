/**
 * `llmfin import FILE --account NAME`: the organisation a file comes from, for sources
 * whose exports do not say (see `Importer.accountOption`). The ledger replaces and
 * dedupes per source, account and period, so two organisations' Console CSVs of October
 * (both with a workspace "Default") would otherwise be one account's, and the second
 * would replace the first. NAME goes before each row's account ("acme-eu/cost:Default")
 * and dedupe key, and is recorded on the import batch. Without it rows are as they
 * always were, so a ledger imported without --account keeps deduping as before.
 */
import type { NewUsageEntry } from '../ledger/ledger-schema.js';
import { UsageError } from '../shared/errors.js';
import type { Importer } from './importer.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_LENGTH = 64;

/**
 * The account name as given, or a usage error saying what is expected. Letters, digits,
 * ".", "_" and "-": no "/" or ":" (the separators of the scoped account it is put
 * before), no "|" or "@" (those of the dedupe key), no spaces a shell would split.
 */
export function accountName(raw: string): string {
  const shown = JSON.stringify(raw);
  const expected = 'expected an organisation name of letters, digits, ".", "_" or "-" starting with a letter or digit, such as acme-eu or org-2';
  if (raw.trim() === '') throw new UsageError(`--account: ${expected}, got an empty value`, { option: '--account' });
  if (raw.length > MAX_LENGTH) throw new UsageError(`--account: ${expected}, at most ${MAX_LENGTH} characters, got ${raw.length}`, { option: '--account' });
  if (!NAME.test(raw)) throw new UsageError(`--account: ${expected}, got ${shown}`, { option: '--account' });
  return raw;
}

/** Refuses --account for a source whose rows already say which account they are (its `accountOption.refused`). */
export function assertAccountOption(importer: Importer, fileName: string, account: string | undefined): void {
  if (account === undefined || importer.accountOption === 'prefix') return;
  const reason = importer.accountOption?.refused ?? 'its rows already say which account they are';
  throw new UsageError(`--account: ${fileName} (${importer.id}): ${reason}; import it without --account`, {
    option: '--account',
    hint: '--account is for exports that do not name their organisation (the Anthropic Console CSVs, the OpenAI and Anthropic usage and cost reports, LiteLLM daily activity)',
  });
}

/** The row filed under `account`: its account and dedupe key prefixed (the entry is changed in place). */
export function fileUnderAccount(entry: NewUsageEntry, account: string): NewUsageEntry {
  entry.account = entry.account ? `${account}/${entry.account}` : account;
  // No source makes a key of "@", a name and "|" without --account.
  entry.dedupe_key = `@${account}|${entry.dedupe_key}`;
  return entry;
}
