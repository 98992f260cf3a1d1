/**
 * One budget on one row: name, a bar of spent/limit, the percentage, the state as a
 * word (OK / WARN / OVER), spent/limit — marked `(+N unpriced)` when rows of its period
 * have no price, whose cost is unknown and not in spent — and the projected period end at
 * today's run rate.
 */
import type { LiveBudgetStatus } from '../data/dashboard-snapshot.js';
import { barCells, stateColor, stateLabel } from '../format/budget-bar.js';
import { padEnd } from '../format/fit.js';
import { formatCount, formatMoney } from '../format/format-money.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

/** Column widths shared by every bar of a list, so the bars line up. */
export interface BudgetColumns {
  name: number;
  bar: number;
  projection: boolean;
}

export interface BudgetBarProps {
  status: LiveBudgetStatus;
  columns: BudgetColumns;
}

function periodEnd(s: LiveBudgetStatus): string {
  return s.period === 'daily' ? 'by midnight' : s.period === 'weekly' ? 'by week end' : 'by month end';
}

/**
 * `93.4%` in six columns; from 1,000% whole percents, so that a budget spent a hundred
 * times over still fits them (`10230%`), and a wider one takes more room rather than
 * being cut: a percentage missing its digits misstates the overrun.
 */
function percentText(percent: number): string {
  return `${percent >= 999.95 ? Math.round(percent) : percent.toFixed(1)}%`.padStart(6);
}

/** The text right of the bar; the projection is dropped first when space is short. */
export function budgetFigures(s: LiveBudgetStatus, withProjection: boolean): string {
  const unpriced = s.unpriced_rows > 0 ? ` (+${formatCount(s.unpriced_rows)} unpriced)` : '';
  const base = `${percentText(s.percent)} ${padEnd(stateLabel(s.state), 4)} ${formatMoney(s.spent_usd)}/${formatMoney(s.limit_usd)}${unpriced}`;
  return withProjection ? `${base} → ${formatMoney(s.projected_usd)} ${periodEnd(s)}` : base;
}

/** Widths for `statuses` at a terminal width: the bar gets what the text leaves, 10 to 40 cells. */
export function budgetColumns(statuses: readonly LiveBudgetStatus[], width: number): BudgetColumns {
  const longest = Math.max(6, ...statuses.map((s) => s.name.length));
  const name = Math.min(longest, Math.max(8, Math.floor(width * 0.22)));
  const figures = (projection: boolean) => Math.max(0, ...statuses.map((s) => budgetFigures(s, projection).length));
  // name, " [", bar, "] ", figures
  let projection = true;
  let bar = width - name - 4 - figures(true);
  if (bar < 10) {
    projection = false;
    bar = width - name - 4 - figures(false);
  }
  return { name, bar: Math.max(5, Math.min(40, bar)), projection };
}

export function BudgetBar({ status, columns }: BudgetBarProps) {
  const { filled, empty } = barCells(status.percent, columns.bar);
  const color = stateColor(status.state);
  return (
    <Line>
      {`${padEnd(status.name, columns.name)} [`}
      <Paint color={color}>{filled}</Paint>
      <Paint dim>{empty}</Paint>
      {'] '}
      <Paint color={color} bold={status.state !== 'green'}>
        {budgetFigures(status, columns.projection)}
      </Paint>
    </Line>
  );
}
