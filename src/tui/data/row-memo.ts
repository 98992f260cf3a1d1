/**
 * A decision about a row that reads only a few of its identifier fields (its group, whether
 * a budget's scope holds), remembered per distinct combination of those fields' values.
 * Hundreds of rows a second arrive that share a handful of teams and agents; decided
 * afresh, each row made an identifiers object and ran the attribution rules again for
 * every tracked dimension and every scoped budget. A hit is one map lookup per field and
 * makes nothing.
 *
 * Right only for a decision that reads nothing but `fields` and never changes for the
 * same values: a dimension decided by the attribution rules reads exactly
 * `Attributor.fieldsFor(dimension)`, and top's rules are fixed while it runs. Memory is
 * bounded: past `limit` combinations (a dimension with a value per request, a customer,
 * a trace) the memo starts again empty.
 */
import { rowFieldReader, type LiveRow } from './live-row.js';

type Node = Map<string | undefined, unknown>;

export class RowMemo<V extends string | boolean> {
  readonly #read: ReadonlyArray<(row: LiveRow) => string | undefined>;
  readonly #decide: (row: LiveRow) => V;
  readonly #limit: number;
  /** Nested by field, in the order of `fields`: the last level holds the decisions. */
  #root: Node = new Map();
  #size = 0;

  constructor(fields: readonly string[], decide: (row: LiveRow) => V, limit = 2048) {
    this.#read = [...new Set(fields)].map(rowFieldReader);
    this.#decide = decide;
    this.#limit = limit;
  }

  /** Combinations remembered. */
  get size(): number {
    return this.#size;
  }

  get(row: LiveRow): V {
    // Indexed loops: top runs without the optimising compiler (top-run.ts), where a for…of
    // makes an iterator result object per step, for every row.
    let node = this.#root;
    const last = this.#read.length - 1;
    for (let i = 0; i < last; i++) {
      const value = this.#read[i]!(row);
      let next = node.get(value) as Node | undefined;
      if (next === undefined) node.set(value, (next = new Map()));
      node = next;
    }
    const value = last >= 0 ? this.#read[last]!(row) : undefined;
    const held = node.get(value) as V | undefined;
    if (held !== undefined) return held;
    const decided = this.#decide(row);
    if (this.#size >= this.#limit) {
      this.#root = new Map();
      this.#size = 0;
      return decided;
    }
    node.set(value, decided);
    this.#size += 1;
    return decided;
  }
}
