/** Errors of the routing domain. A policy that cannot be compiled is the user's config: exit 2. */
import { LlmfinError } from '../shared/errors.js';

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
