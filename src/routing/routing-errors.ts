/** Errors of the routing domain. A policy that cannot be compiled is the user's config: exit 2. */
import { basename } from 'node:path';
import { LlmfinError } from '../shared/errors.js';
import { locateOption } from './load-policy-file.js';

/** The routing policy names something that does not exist (an upstream, a tier). */
export class RoutingPolicyError extends LlmfinError {
  override readonly name = 'RoutingPolicyError';
  /** The option path, e.g. `routing.tiers.0.models.groq`. */
  readonly optionPath: string;
  /** The message without the option path in front. */
  readonly detail: string;
  constructor(optionPath: string, message: string, options: { hint?: string } = {}) {
    super(`${optionPath}: ${message}`, options);
    this.optionPath = optionPath;
    this.detail = message;
  }
}

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
