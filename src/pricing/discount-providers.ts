/**
 * A discount in llmfin.yaml applies to the prices of the provider it names, as the price
 * catalogue (or `pricing.custom_models`) names it. One naming a provider the catalogue
 * does not have (`opnai`) can never apply: the negotiated 10% would be missing from every
 * price without a word. The config schema cannot tell, as it does not know the catalogue,
 * so the check runs when the pricer is built and fails like any config mistake.
 */
import { readFileSync } from 'node:fs';
import type { DiscountConfig } from '../config/config-schema.js';
import { ConfigError } from '../config/config-error.js';
import type { PriceCatalogue } from './price-catalogue.js';
import { suggestProviders } from './suggest-providers.js';

type Catalogue = Pick<PriceCatalogue, 'providerIds' | 'canonicalProviderId' | 'providerAliases'>;

/** Throws a ConfigError, placed at the option's line of `configPath`, for the first discount whose provider no catalogue has. */
export async function checkDiscountProviders(discounts: readonly DiscountConfig[], catalogue: Catalogue, configPath: string | undefined): Promise<void> {
  const i = discounts.findIndex((d) => catalogue.canonicalProviderId(d.provider) === undefined);
  if (i < 0) return;
  const provider = discounts[i]!.provider;
  const path = ['pricing', 'discounts', String(i), 'provider'];
  const near = suggestProviders(catalogue, provider)[0];
  const message = `${path.join('.')}: no provider "${provider}" in the price catalogue, so this discount would apply to nothing${near ? ` (did you mean "${near}"?)` : ''}`;
  // Discounts come from a file (the defaults have none); its line is looked up only now, on the way to an error.
  const file = configPath ?? 'llmfin.yaml';
  const hint = `in ${file}; the providers are ${catalogue.providerIds.join(', ')} (those of pricing.custom_models included)`;
  let line: number | undefined;
  try {
    const { readYamlDocument } = await import('../config/read-yaml-document.js');
    line = readYamlDocument(readFileSync(file, 'utf8'), file).lineOf(path);
  } catch {
    line = undefined;
  }
  throw new ConfigError(file, line, message, { hint, optionPath: path.join('.') });
}
