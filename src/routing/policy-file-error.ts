/**
 * A routing policy error placed in its file. Apart from routing-errors.ts because it reads
 * the file with YAML: the proxy loads this only when a policy is wrong, so YAML never sits
 * on its event loop's thread otherwise (test/proxy/proxy-modules.test.ts).
 */
import { basename } from 'node:path';
import { locateOption } from './load-policy-file.js';
import { RoutingPolicyError } from './routing-errors.js';

/**
 * A policy error names an option path but not the file it is in: the file is known only to
 * whoever loaded it, which puts it in front with the option's line, as a schema error has
 * it (`candidate.yaml:3: tiers.0.models.opnai: …`; `llmfin.yaml:9: routing.tiers.0.…`).
 */
export function inPolicyFile(error: unknown, file: string | undefined): unknown {
  if (!(error instanceof RoutingPolicyError) || file === undefined) return error;
  const at = locateOption(file, error.optionPath);
  const where = `${basename(file)}${at.line === undefined ? '' : `:${at.line}`}: ${at.path}`;
  return new RoutingPolicyError(where, error.detail, error.hint !== undefined ? { hint: error.hint } : {});
}
