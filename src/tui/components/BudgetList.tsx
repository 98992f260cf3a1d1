/** Budgets, most at risk first, up to `rows` of them; with `detail`, a second row each (scope, period, breach). */
import { Box } from 'ink';
import type { BudgetStatus } from '../../budgets/budget-status.js';
import { byRisk } from '../../budgets/budget-status.js';
import { formatMoney } from '../format/format-money.js';
import { BudgetBar, budgetColumns } from './BudgetBar.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

export interface BudgetListProps {
  budgets: readonly BudgetStatus[];
  width: number;
  rows: number;
  detail?: boolean;
}

function detailLine(s: BudgetStatus): string {
  const breach = s.breached ? 'limit reached' : s.breach_at ? `limit crossed ~${s.breach_at.slice(5, 16).replace('T', ' ')} UTC at this rate` : 'within limit at this rate';
  return `  ${s.scope} · ${s.period} · action ${s.action} · projected ${formatMoney(s.projected_usd)} · ${breach}`;
}

export function BudgetList({ budgets, width, rows, detail = false }: BudgetListProps) {
  if (budgets.length === 0) {
    return (
      <Line>
        <Paint dim>no budgets: add them under budgets: in llmfin.yaml (llmfin init writes an example)</Paint>
      </Line>
    );
  }
  const sorted = [...budgets].sort(byRisk);
  const per = detail ? 2 : 1;
  // When not all fit, the last row says how many are left out, if there is a row for it:
  // drawing more rows than given would lay them over the next section.
  const fits = sorted.length * per <= rows;
  const shown = sorted.slice(0, fits ? sorted.length : Math.max(1, Math.floor((rows - 1) / per)));
  const hidden = shown.length * per < rows ? sorted.length - shown.length : 0;
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
