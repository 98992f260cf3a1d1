/**
 * The seed's warning list. Reading two public datasets turns up disagreements, stale
 * entries and values the catalogue cannot express; none of them should stop the seed,
 * all of them should be read by whoever reruns it. Messages are de-duplicated and keep
 * the order they were raised in, so reruns print the same report.
 */
export class WarningLog {
  private readonly seen = new Set<string>();
  readonly items: string[] = [];

  add(message: string): void {
    if (this.seen.has(message)) return;
    this.seen.add(message);
    this.items.push(message);
  }
}
