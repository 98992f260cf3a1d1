/** Every budget with its scope, period, action, projection (P50, P90, P(breach)) and the day the limit would be crossed. */
import { Box } from 'ink';
import { BudgetList } from '../components/BudgetList.js';
import { SectionTitle } from '../components/SectionTitle.js';
import type { ScreenProps } from './OverviewScreen.js';

export function BudgetsScreen({ snapshot, width, height }: ScreenProps) {
  return (
    <Box flexDirection="column">
      <SectionTitle title="Budgets" note="most at risk first · OK < soft limit ≤ WARN < 100% ≤ OVER" />
      <BudgetList budgets={snapshot.budgets} width={width} rows={Math.max(1, height - 1)} detail />
    </Box>
  );
}
