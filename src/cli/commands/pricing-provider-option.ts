/** `--provider` of the pricing commands: a provider the catalogue (or llmfin.yaml) prices, or exit 2 listing them. */
import type { PriceCatalogue } from '../../pricing/price-catalogue.js';
import { UsageError } from '../../shared/errors.js';

export function assertKnownProvider(catalogue: PriceCatalogue, provider: string | undefined): void {
  if (provider === undefined || catalogue.provider(provider)) return;
  throw new UsageError(`--provider: unknown provider "${provider}" (known: ${catalogue.providerIds.join(', ')})`, { option: '--provider' });
}
