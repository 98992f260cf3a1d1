/** The budget status table, for `llmfin budget status` and the demo: one row a budget, most at risk first. */
import type { ChalkInstance } from 'chalk';
import type { BudgetStatus } from '../../budgets/budget-status.js';
import { filledCells, percentUsedText } from '../../budgets/percent-used.js';
import { formatUsd } from '../../shared/money.js';
import type { OutputFormat } from '../cli-context.js';
import type { Table } from '../output/table.js';

const BAR = 20;

export function budgetTable(rows: readonly BudgetStatus[], format: OutputFormat, chalk: ChalkInstance): Table {
  // Colour is for the terminal's table; a Markdown table (a pull request, a chat) gets the state as a word alone.
  const colour = (s: BudgetStatus, text: string) => (format !== 'table' ? text : s.state === 'red' ? chalk.red(text) : s.state === 'amber' ? chalk.yellow(text) : chalk.green(text));
  const bar = (s: BudgetStatus) => {
    const filled = filledCells(s.percent, BAR);
    return colour(s, '█'.repeat(filled)) + '░'.repeat(BAR - filled);
  };
  return {
    columns: [
      { key: 'name', header: 'BUDGET' },
      { key: 'scope', header: 'SCOPE' },
      { key: 'period', header: 'PERIOD' },
      { key: 'spent', header: 'SPENT', align: 'right' },
      { key: 'limit', header: 'LIMIT', align: 'right' },
      // The bar is for the terminal: a Markdown table would carry an empty, unnamed column.
      ...(format === 'table' ? [{ key: 'bar', header: '' }] : []),
      { key: 'percent', header: 'USED', align: 'right' },
      { key: 'state', header: 'STATE' },
      // Period-end spend, median and pessimistic, and the chance and day of crossing the limit.
      { key: 'p50', header: 'END P50', align: 'right' },
      { key: 'p90', header: 'END P90', align: 'right' },
      { key: 'probability', header: 'P(BREACH)', align: 'right' },
      { key: 'breach', header: 'BREACH' },
    ],
    rows: rows.map((s) => ({
      name: s.name,
      scope: s.scope,
      period: s.period,
      spent: formatUsd(s.spent_usd),
      limit: formatUsd(s.limit_usd),
      bar: format === 'table' ? bar(s) : '',
      percent: percentUsedText(s.percent),
      state: colour(s, s.state),
      p50: formatUsd(s.projected_p50_usd),
      p90: formatUsd(s.projected_p90_usd),
      probability: s.breach_probability === null ? (s.projection_method === 'run-rate' ? 'run rate' : '–') : `${Math.round(s.breach_probability * 100)}%`,
      // The day the median path crosses (the run rate's, when it is the projection): a
      // run-rate crossing the forecast disagrees with would contradict END P50 beside it.
      breach: s.breached ? 'breached' : (s.breach_date_p50 ?? (s.breach_date_p90 ? `P90 ${s.breach_date_p90}` : '–')),
    })),
  };
}
