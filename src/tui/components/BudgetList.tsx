/**
 * Budgets, most at risk first, in up to `rows` rows; with `detail`, a second row each (scope,
 * period, breach) and a third for a budget whose period holds unpriced rows.
 */
import { Box } from 'ink';
import { byRisk } from '../../budgets/budget-status.js';
import type { LiveBudgetStatus } from '../data/dashboard-snapshot.js';
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

function detailLine(s: LiveBudgetStatus): string {
  const breach = s.breached ? 'limit reached' : s.breach_at ? `limit crossed ~${s.breach_at.slice(5, 16).replace('T', ' ')} UTC at this rate` : 'within limit at this rate';
  return `  ${s.scope} · ${s.period} · action ${s.action} · projected ${formatMoney(s.projected_usd)} · ${breach}`;
}

/** As budget status warns: rows of the period with no price, whose cost is unknown, not $0, and not in spent. */
function unpricedLine(s: LiveBudgetStatus): string {
  const n = s.unpriced_rows;
  return `  ${formatCount(n)} unpriced ${n === 1 ? 'row' : 'rows'} in this period: ${n === 1 ? 'its' : 'their'} cost is unknown, not $0, and not in spent`;
}

/** Rows a budget takes: its bar, and with `detail` its detail line and, when it has unpriced rows, a line saying so. */
const rowsOf = (s: LiveBudgetStatus, detail: boolean) => (detail ? 2 + (s.unpriced_rows > 0 ? 1 : 0) : 1);

export function BudgetList({ budgets, width, rows, detail = false }: BudgetListProps) {
  if (budgets.length === 0) {
    return (
      <Line>
        <Paint dim>no budgets: add them under budgets: in llmfin.yaml (llmfin init writes an example)</Paint>
      </Line>
    );
  }
  const sorted = [...budgets].sort(byRisk);
  // When not all fit, the last row says how many are left out, if there is a row for it:
  // drawing more rows than given would lay them over the next section.
  const total = sorted.reduce((n, s) => n + rowsOf(s, detail), 0);
  const room = total <= rows ? rows : rows - 1;
  let used = 0;
  let count = 0;
  while (count < sorted.length && used + rowsOf(sorted[count]!, detail) <= room) used += rowsOf(sorted[count++]!, detail);
  // One budget at least; where even its lines do not all fit, the unpriced line goes (the bar keeps its mark).
  const squeezed = count === 0 && rowsOf(sorted[0]!, detail) > rows;
  if (count === 0) used = rowsOf(sorted[count++]!, detail) - (squeezed ? 1 : 0);
  const shown = sorted.slice(0, count);
  const hidden = used < rows ? sorted.length - shown.length : 0;
  const columns = budgetColumns(shown, width);
  return (
    <Box flexDirection="column">
      {shown.map((s, i) => (
        <Box key={`${s.name}-${i}`} flexDirection="column">
          <BudgetBar status={s} columns={columns} />
          {detail ? (
            <Line>
              <Paint dim>{detailLine(s)}</Paint>
            </Line>
          ) : null}
          {detail && s.unpriced_rows > 0 && !squeezed ? (
            <Line>
              <Paint color="yellow">{unpricedLine(s)}</Paint>
            </Line>
          ) : null}
        </Box>
      ))}
      {hidden > 0 ? (
        <Line>
          <Paint dim>{`  …and ${hidden} more (see the Budgets view)`}</Paint>
        </Line>
      ) : null}
    </Box>
  );
}
