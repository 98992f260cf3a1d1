/**
 * The text of a budget bar. The fill shows spent/limit (capped at full), and a state
 * word travels with it, because colour is never the only signal (NO_COLOR, colour
 * blindness, screenshots).
 */
import type { BudgetStateName } from '../../budgets/budget-status.js';
import { filledCells } from '../../budgets/percent-used.js';

const FULL = '█';
const EMPTY = '░';

/** `width` cells, filled in proportion to `percent` (0–100+, capped; full only at the limit). */
export function barCells(percent: number, width: number): { filled: string; empty: string } {
  const n = filledCells(percent, width);
  return { filled: FULL.repeat(n), empty: EMPTY.repeat(Math.max(0, width - n)) };
}

/** The state as a word: OK, WARN (past the soft limit), OVER (at or past the limit). */
export function stateLabel(state: BudgetStateName): string {
  return state === 'red' ? 'OVER' : state === 'amber' ? 'WARN' : 'OK';
}

/** Ink colour names for each state. */
export function stateColor(state: BudgetStateName): 'green' | 'yellow' | 'red' {
  return state === 'red' ? 'red' : state === 'amber' ? 'yellow' : 'green';
}
