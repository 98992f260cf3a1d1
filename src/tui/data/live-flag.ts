/** Something the dashboard noticed as rows arrived: a runaway loop or a spend spike. */
export interface LiveFlag {
  kind: 'loop' | 'spike';
  /** Stable identity: a flag seen again is updated, not repeated. */
  key: string;
  /** When it was first raised (ms). */
  since: number;
  /** When it was last updated (ms). */
  at: number;
  /** One line: what and where. */
  text: string;
  /** Money involved so far, in ticks. */
  costTicks: bigint;
}

/** Keeps the newest `limit` flags, one per key, newest first. */
export class FlagBoard {
  readonly #limit: number;
  readonly #flags = new Map<string, LiveFlag>();

  constructor(limit = 50) {
    this.#limit = limit;
  }

  raise(flag: LiveFlag): void {
    const previous = this.#flags.get(flag.key);
    this.#flags.delete(flag.key);
    this.#flags.set(flag.key, previous ? { ...flag, since: previous.since } : flag);
    if (this.#flags.size > this.#limit) {
      const oldest = this.#flags.keys().next();
      if (!oldest.done) this.#flags.delete(oldest.value);
    }
  }

  list(): LiveFlag[] {
    return [...this.#flags.values()].sort((a, b) => b.at - a.at);
  }
}
