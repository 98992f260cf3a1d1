/**
 * Budgets, most at risk first, in up to `rows` rows; with `detail`, a second row each (scope,
 * period, breach) and a third for a budget whose period holds unpriced rows.
 */
import { Box } from 'ink';
import { byRisk } from '../../budgets/budget-status.js';
import type { LiveBudgetStatus } from '../data/dashboard-snapshot.js';
import { firstFitting, truncate } from '../format/fit.js';
import { formatCount, formatMoney } from '../format/format-money.js';
import { BudgetBar, budgetColumns } from './BudgetBar.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

export interface BudgetListProps {
  budgets: readonly LiveBudgetStatus[];
  width: number;
  rows: number;
  detail?: boolean;
}

/**
 * The breach as `llmfin budget status` prints it (its BREACH column): `breached`, the day
 * the P50 path crosses the limit, else the P90 path's (`P90 2026-12-20`), else `–`.
 */
export function breachText(s: LiveBudgetStatus): string {
  return s.breached ? 'breached' : (s.breach_date_p50 ?? (s.breach_date_p90 ? `P90 ${s.breach_date_p90}` : '–'));
}

/**
 * The detail row: scope · period · action · end P50 · end P90 · P(breach) · breach, labelled
 * as budget status labels them (P(breach) when there is one: a run rate has none), fitted to
 * `width` by dropping P90, then the action, the period, P(breach) and the breach, then
 * cutting the scope — never the P50 money.
 */
export function detailLine(s: LiveBudgetStatus, width: number): string {
  const p50 = `end P50 ${formatMoney(s.projected_p50_usd)}`;
  const p90 = `end P90 ${formatMoney(s.projected_p90_usd)}`;
  const probability = s.breach_probability === null ? [] : [`P(breach) ${Math.round(s.breach_probability * 100)}%`];
  const breach = s.breached ? 'breached' : `breach ${breachText(s)}`;
  const forms = [
    [s.scope, s.period, `action ${s.action}`, p50, p90, ...probability, breach],
    [s.scope, s.period, `action ${s.action}`, p50, ...probability, breach],
    [s.scope, s.period, p50, ...probability, breach],
    [s.scope, p50, ...probability, breach],
    [s.scope, p50, breach],
    [s.scope, p50],
  ].map((parts) => `  ${parts.join(' · ')}`);
  const fitting = firstFitting(forms, width);
  if (fitting !== undefined) return fitting;
  // The scope gives way: `  team=sup… · end P50 $172.88`.
  const tail = ` · ${p50}`;
  return `  ${truncate(s.scope, Math.max(1, width - 2 - tail.length))}${tail}`;
}

/**
 * As budget status warns: rows of the period with no price, whose cost is unknown, not $0,
 * and not in spent — in words that fit `width`, the count never cut.
 */
export function unpricedLine(s: LiveBudgetStatus, width: number): string {
  const n = s.unpriced_rows;
  const count = formatCount(n);
  const forms = [
    `  ${count} unpriced ${n === 1 ? 'row' : 'rows'} in this period: ${n === 1 ? 'its' : 'their'} cost is unknown, not $0, and not in spent`,
    `  ${count} unpriced ${n === 1 ? 'row' : 'rows'} in this period: cost unknown, not $0, not in spent`,
    `  ${count} unpriced ${n === 1 ? 'row' : 'rows'}: cost unknown, not in spent`,
    `  (+${count} unpriced: not in spent)`,
    `  (+${count} unpriced)`,
  ];
  return firstFitting(forms, width) ?? forms.at(-1)!;
}

/**
 * The rows a budget takes: its bar; with `detail`, its detail line; and, when it has unpriced
 * rows, a line saying so (with `detail`, or when the bar has no room for its mark).
 */
const rowsOf = (s: LiveBudgetStatus, detail: boolean, markBelow: boolean) => 1 + (detail ? 1 : 0) + (s.unpriced_rows > 0 && (detail || markBelow) ? 1 : 0);

export function BudgetList({ budgets, width, rows, detail = false }: BudgetListProps) {
  if (budgets.length === 0) {
    return (
      <Line>
        <Paint dim>no budgets: add them under budgets: in llmfin.yaml (llmfin init writes an example)</Paint>
      </Line>
    );
  }
  const sorted = [...budgets].sort(byRisk);
  // Whether the unpriced marks fit on the bars is a matter of width alone: asked of every
  // budget, so that the rows counted below are the rows drawn.
  const markBelow = budgetColumns(sorted, width).markBelow;
  const rowsOfBudget = (s: LiveBudgetStatus) => rowsOf(s, detail, markBelow);
  // When not all fit, the last row says how many are left out, if there is a row for it:
  // drawing more rows than given would lay them over the next section.
  const total = sorted.reduce((n, s) => n + rowsOfBudget(s), 0);
  const room = total <= rows ? rows : rows - 1;
  let used = 0;
  let count = 0;
  while (count < sorted.length && used + rowsOfBudget(sorted[count]!) <= room) used += rowsOfBudget(sorted[count++]!);
  // One budget at least; where even its lines do not all fit, it keeps its bar and the lines
  // the rows have room for: the unpriced count before the detail when the bar has no room
  // for it (and on the bar itself when there is no other row), else the detail first.
  const first = sorted[0]!;
  const squeezed = count === 0 && rowsOfBudget(first) > rows;
  const extra = squeezed ? Math.max(0, rows - 1) : Infinity;
  const hasUnpriced = first.unpriced_rows > 0;
  const squeezedLines = {
    unpriced: hasUnpriced && (markBelow ? extra >= 1 : detail && extra >= 2),
    detail: detail && (markBelow && hasUnpriced ? extra >= 2 : extra >= 1),
  };
  if (count === 0) {
    count = 1;
    used = squeezed ? 1 + Number(squeezedLines.unpriced) + Number(squeezedLines.detail) : rowsOfBudget(first);
  }
  const shown = sorted.slice(0, count);
  const hidden = used < rows ? sorted.length - shown.length : 0;
  const columns = { ...budgetColumns(shown, width), markBelow };
  return (
    <Box flexDirection="column">
      {shown.map((s, i) => {
        const unpricedBelow = s.unpriced_rows > 0 && (detail || markBelow) && (!squeezed || squeezedLines.unpriced);
        return (
          <Box key={`${s.name}-${i}`} flexDirection="column">
            {/* Squeezed with no row for its unpriced line, the bar keeps its mark (cut at the edge if it must). */}
            <BudgetBar status={s} columns={columns} {...(squeezed && markBelow && !squeezedLines.unpriced ? { mark: true } : {})} />
            {detail && (!squeezed || squeezedLines.detail) ? (
              <Line>
                <Paint dim>{detailLine(s, width)}</Paint>
              </Line>
            ) : null}
            {unpricedBelow ? (
              <Line>
                <Paint color="yellow">{unpricedLine(s, width)}</Paint>
              </Line>
            ) : null}
          </Box>
        );
      })}
      {hidden > 0 ? (
        <Line>
          <Paint dim>{`  …and ${hidden} more (see the Budgets view)`}</Paint>
        </Line>
      ) : null}
    </Box>
  );
}
