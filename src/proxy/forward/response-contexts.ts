/**
 * The context each Responses API response leaves behind, for the requests that continue it.
 * A request with `previous_response_id` (or `conversation`, the Conversations API) sends only
 * its new input: the conversation so far is stored upstream and billed as input again, so its
 * body says nothing of what it will cost. For responses that went through this proxy the size
 * of that conversation is known — the response's own input plus its output, kept under the
 * response's id and its conversation's — and it is added to the prompt the reservation (and
 * an estimate, when usage never comes) counts. Bounded: the most recent `max` ids, oldest
 * forgotten first; an id not held (another proxy's, one forgotten) adds nothing.
 */
export class ResponseContexts {
  readonly #tokens = new Map<string, number>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  get size(): number {
    return this.#tokens.size;
  }

  /** Notes that response `id` ended with `tokens` in its context (input + output). */
  remember(id: string, tokens: number): void {
    this.#tokens.delete(id);
    this.#tokens.set(id, tokens);
    if (this.#tokens.size > this.#max) this.#tokens.delete(this.#tokens.keys().next().value!);
  }

  /** The tokens a request continuing response `id` brings along, 0 when unknown. */
  tokensOf(id: string | undefined): number {
    return id === undefined ? 0 : (this.#tokens.get(id) ?? 0);
  }
}
