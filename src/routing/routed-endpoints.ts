/**
 * The endpoints whose requests routing decides: the ones that generate text from a
 * conversation, where any model of a tier can answer in its place. An embeddings request
 * asks for vectors of one model's space: no chat model can serve it, and its vectors are
 * only comparable with that model's, so it is forwarded as asked and never replayed.
 */
export const ROUTED_ENDPOINTS: ReadonlySet<string> = new Set(['/v1/chat/completions', '/v1/responses', '/v1/messages']);

/** True for an endpoint routing decides (see ROUTED_ENDPOINTS). */
export function isRoutedEndpoint(endpoint: string): boolean {
  return ROUTED_ENDPOINTS.has(endpoint);
}
