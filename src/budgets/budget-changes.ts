/**
 * What changed between the budgets a running proxy enforces and those in a config file it
 * has just re-read: SIGHUP's reload line names them, so that whoever raised a limit sees
 * that the proxy took it (and a budget edited by mistake shows up there too).
 */
import type { BudgetConfig } from '../config/config-schema.js';

/** One entry per budget that differs, by name: "search-day (limit_usd)", "labs (added)", "old (removed)". */
export function budgetChanges(running: readonly BudgetConfig[], fresh: readonly BudgetConfig[]): string[] {
  const before = new Map(running.map((b) => [b.name, b]));
  const after = new Map(fresh.map((b) => [b.name, b]));
  const changes: string[] = [];
  for (const [name, b] of after) {
    const old = before.get(name);
    if (old === undefined) {
      changes.push(`${name} (added)`);
      continue;
    }
    const keys = [...new Set([...Object.keys(old), ...Object.keys(b)])] as Array<keyof BudgetConfig>;
    const changed = keys.filter((k) => JSON.stringify(old[k]) !== JSON.stringify(b[k]));
    if (changed.length > 0) changes.push(`${name} (${changed.join(', ')})`);
  }
  for (const name of before.keys()) if (!after.has(name)) changes.push(`${name} (removed)`);
  return changes;
}
