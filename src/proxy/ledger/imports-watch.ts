/**
 * Spend that reaches the ledger while the proxy runs by another road than its requests and
 * the other proxies' rows: an `llmfin import` of a provider's export or bill (a provider
 * the proxy does not front, or last night's invoice), or an `--undo` of one. Each changes
 * what `llmfin budget status` counts at once; a budget the proxy enforces from its start-up
 * read would go on without it until a restart. So the other-proxies poll asks this first,
 * about once a second, whether the imports changed, and if so the budgets read their
 * spend from the ledger again (BudgetGuard#reseed) and the poll resumes after that read.
 */
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { importsFingerprint } from '../../ledger/queries/import-batches.js';
import type { RequestGate } from '../request-gate.js';

export class ImportsWatch {
  readonly #ledger: LedgerStore;
  readonly #reseed: NonNullable<RequestGate['reseed']>;
  readonly #flush: () => Promise<unknown>;
  readonly #onReseed: (ms: number) => void;
  #seen: string;

  /**
   * `seen`: the fingerprint read before the budgets' spend was (an import landing between
   * them is then read twice, once more than needed, rather than never). `flush` writes
   * this proxy's queued rows, so that the re-read holds what it settled.
   */
  constructor(ledger: LedgerStore, reseed: NonNullable<RequestGate['reseed']>, flush: () => Promise<unknown>, seen: string, onReseed: (ms: number) => void) {
    this.#ledger = ledger;
    this.#reseed = reseed;
    this.#flush = flush;
    this.#seen = seen;
    this.#onReseed = onReseed;
  }

  /** When the imports changed since the last look: re-reads the budgets and returns the read's last row id. */
  async check(): Promise<number | undefined> {
    const now = await importsFingerprint(this.#ledger);
    if (now === this.#seen) return undefined;
    const started = performance.now();
    const afterId = await this.#reseed(this.#flush);
    this.#seen = now;
    this.#onReseed(performance.now() - started);
    return afterId;
  }
}
