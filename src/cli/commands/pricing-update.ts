/** `llmfin pricing update FILE...` (filled in below once the seed lands). */
import type { CliContext } from '../cli-context.js';
import { NotYetAvailableError } from '../../shared/errors.js';

export async function pricingUpdate(_ctx: CliContext, _files: string[], _opts: { out?: string; dryRun?: boolean }): Promise<void> {
  throw new NotYetAvailableError('pricing update');
}
