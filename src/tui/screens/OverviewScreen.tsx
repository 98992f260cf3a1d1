/** The first view: budgets, flags, the top groups of the last hour and the newest requests, sized to the terminal. */
import { Box } from 'ink';
import type { DashboardSnapshot } from '../data/dashboard-snapshot.js';
import { BudgetList } from '../components/BudgetList.js';
import { FlagList } from '../components/FlagList.js';
import { GroupTable } from '../components/GroupTable.js';
import { RequestFeed } from '../components/RequestFeed.js';
import { SectionTitle } from '../components/SectionTitle.js';
import { overviewLayout } from './overview-layout.js';

export interface ScreenProps {
  snapshot: DashboardSnapshot;
  width: number;
  height: number;
}

export function OverviewScreen({ snapshot, width, height }: ScreenProps) {
  const layout = overviewLayout(height, { budgets: snapshot.budgets.length, groups: snapshot.groups.length, flags: snapshot.flags.length });
  return (
    <Box flexDirection="column">
      {layout.budgets > 0 ? (
        <>
          <SectionTitle title="Budgets" note="spent/limit → P50 at period end, as budget status projects it" />
          <BudgetList budgets={snapshot.budgets} width={width} rows={layout.budgets} />
        </>
      ) : null}
      {layout.flags > 0 ? (
        <>
          <SectionTitle title="Flags" note="loops and spikes as they appear" />
          <FlagList flags={snapshot.flags} limit={layout.flags} filter={snapshot.filter} />
        </>
      ) : null}
      {layout.groups > 0 ? (
        <>
          <SectionTitle title={`Top ${snapshot.groupBy}s`} note="last hour, per minute (g: change)" />
          <GroupTable groups={snapshot.groups} width={width} rows={layout.groups} filter={snapshot.filter} />
        </>
      ) : null}
      {layout.feed > 0 ? (
        <>
          <SectionTitle title="Latest requests" />
          <RequestFeed rows={snapshot.latest} groupBy={snapshot.groupBy} width={width} limit={layout.feed} filter={snapshot.filter} at={snapshot.at} />
        </>
      ) : null}
    </Box>
  );
}
