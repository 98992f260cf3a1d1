/**
 * One budget on one row: name, a bar of spent/limit, the percentage, the state as a
 * word (OK / WARN / OVER), spent/limit — marked `(+N unpriced)` when rows of its period
 * have no price, whose cost is unknown and not in spent — and the period's end at P50, as
 * `llmfin budget status` projects it (END P50; the section's note says so, which keeps the
 * row as short as it was: at 80 columns a label cost the figure its place).
 */
import type { LiveBudgetStatus } from '../data/dashboard-snapshot.js';
import { percentUsedText } from '../../budgets/percent-used.js';
import { barCells, stateColor, stateLabel } from '../format/budget-bar.js';
import { giveWay, nameRoom, padEnd } from '../format/fit.js';
import { formatCount, formatMoney } from '../format/format-money.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

/** Column widths shared by every bar of a list, so the bars line up. */
export interface BudgetColumns {
  name: number;
  /** Cells of the bar; 0: no bar (too narrow a terminal), the figures follow the name. */
  bar: number;
  projection: boolean;
  /** The percentage (`85.0%`); dropped, after the bar, on a narrow terminal: spent/limit says it too. */
  percent: boolean;
  /**
   * The `(+N unpriced)` mark does not fit on the bar's row: it goes on a line of its own
   * below (BudgetList), rather than being cut at the edge.
   */
  markBelow: boolean;
}

export interface BudgetBarProps {
  status: LiveBudgetStatus;
  columns: BudgetColumns;
  /** Whether the row carries the unpriced mark, when not as the columns say (a budget squeezed to its bar row keeps it). */
  mark?: boolean;
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
  return (percent >= 1000 ? `${Math.floor(percent)}%` : percentUsedText(percent)).padStart(6);
}

/** What of a budget's figures a row shows. */
export interface FigureParts {
  projection: boolean;
  percent?: boolean;
  mark?: boolean;
}

/** The text right of the bar; the projection is dropped first when space is short. */
export function budgetFigures(s: LiveBudgetStatus, parts: boolean | FigureParts): string {
  const { projection, percent = true, mark = true } = typeof parts === 'boolean' ? { projection: parts } : parts;
  const unpriced = mark && s.unpriced_rows > 0 ? ` (+${formatCount(s.unpriced_rows)} unpriced)` : '';
  const base = `${percent ? `${percentText(s.percent)} ` : ''}${padEnd(stateLabel(s.state), 4)} ${formatMoney(s.spent_usd)}/${formatMoney(s.limit_usd)}${unpriced}`;
  return projection ? `${base} → ${formatMoney(s.projected_p50_usd)} ${periodEnd(s)}` : base;
}

/** How wide a bar's row is with these columns (the widest of `statuses`). */
function rowWidth(statuses: readonly LiveBudgetStatus[], c: BudgetColumns): number {
  const figures = Math.max(0, ...statuses.map((s) => budgetFigures(s, { projection: c.projection, percent: c.percent, mark: !c.markBelow }).length));
  return c.name + (c.bar > 0 ? 4 + c.bar : 1) + figures;
}

/** The fewest cells a bar is drawn in; narrower, it goes. */
const MIN_BAR = 5;
/** The fewest columns a name keeps (`coder…`) while anything else can still give way. */
const MIN_NAME = 6;

/**
 * Widths for `statuses` at a terminal width: the bar gets what the text leaves, 10 to 40
 * cells. Narrower, things give way in order — the projection, the bar down to 5 cells,
 * the bar, the name down to 6 columns, the percentage, and last the unpriced mark moves
 * to its own line — so that spent/limit and the unpriced count are never cut.
 */
export function budgetColumns(statuses: readonly LiveBudgetStatus[], width: number): BudgetColumns {
  const longest = Math.max(6, ...statuses.map((s) => s.name.length));
  const name = Math.min(longest, Math.max(8, Math.floor(width * 0.22)));
  const base: BudgetColumns = { name, bar: 0, projection: true, percent: true, markBelow: false };
  const widthOf = (c: BudgetColumns) => rowWidth(statuses, c);
  // name, " [", bar, "] ", figures
  const roomForBar = (c: BudgetColumns) => width - widthOf({ ...c, bar: 0 }) + 1 - 4;
  const withProjection = roomForBar(base);
  if (withProjection >= 10) return { ...base, bar: Math.min(40, withProjection) };
  const steps: Array<(c: BudgetColumns) => BudgetColumns> = [
    (x) => ({ ...x, bar: Math.min(40, Math.max(MIN_BAR, roomForBar(x))) }),
    (x) => ({ ...x, bar: 0 }),
    (x) => ({ ...x, name: Math.max(Math.min(x.name, MIN_NAME), nameRoom(x, widthOf, width)) }),
    (x) => ({ ...x, percent: false }),
    (x) => ({ ...x, markBelow: statuses.some((s) => s.unpriced_rows > 0) }),
    (x) => ({ ...x, name: Math.max(3, nameRoom(x, widthOf, width)) }),
  ];
  return giveWay({ ...base, projection: false }, steps, widthOf, width, name);
}

export function BudgetBar({ status, columns, mark }: BudgetBarProps) {
  const { filled, empty } = barCells(status.percent, Math.max(0, columns.bar));
  const color = stateColor(status.state);
  return (
    <Line>
      {`${padEnd(status.name, columns.name)} ${columns.bar > 0 ? '[' : ''}`}
      {columns.bar > 0 ? (
        <>
          <Paint color={color}>{filled}</Paint>
          <Paint dim>{empty}</Paint>
          {'] '}
        </>
      ) : null}
      <Paint color={color} bold={status.state !== 'green'}>
        {budgetFigures(status, { projection: columns.projection, percent: columns.percent, mark: mark ?? !columns.markBelow })}
      </Paint>
    </Line>
  );
}
