/** All groups of the chosen dimension over the last hour, with their sparklines. */
import { Box } from 'ink';
import { GroupTable } from '../components/GroupTable.js';
import { SectionTitle } from '../components/SectionTitle.js';
import type { ScreenProps } from './OverviewScreen.js';

export function GroupsScreen({ snapshot, width, height }: ScreenProps) {
  return (
    <Box flexDirection="column">
      <SectionTitle title={`Spend by ${snapshot.groupBy}`} note="last hour, one bar per minute, newest right (g: change)" />
      <GroupTable groups={snapshot.groups} width={width} rows={Math.max(1, height - 1)} filter={snapshot.filter} />
    </Box>
  );
}
