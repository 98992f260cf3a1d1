/** The newest requests and, below, the costliest of the last hour. */
import { Box } from 'ink';
import { FeedHeader, RequestFeed } from '../components/RequestFeed.js';
import { SectionTitle } from '../components/SectionTitle.js';
import type { ScreenProps } from './OverviewScreen.js';

export function RequestsScreen({ snapshot, width, height }: ScreenProps) {
  if (height < 6) {
    // No room for two sections of a title, a column header and a row: the latest only.
    return (
      <Box flexDirection="column">
        <SectionTitle title="Latest requests" />
        <FeedHeader width={width} />
        <RequestFeed rows={snapshot.latest} width={width} limit={Math.max(1, height - 2)} filter={snapshot.filter} />
      </Box>
    );
  }
  // Two sections of a title, a column header and rows each.
  const rows = Math.max(1, Math.floor((height - 4) / 2));
  return (
    <Box flexDirection="column">
      <SectionTitle title="Latest requests" />
      <FeedHeader width={width} />
      <RequestFeed rows={snapshot.latest} width={width} limit={rows} filter={snapshot.filter} />
      <SectionTitle title="Most expensive requests" note="last hour" />
      <FeedHeader width={width} />
      <RequestFeed rows={snapshot.costliest} width={width} limit={height - 4 - Math.min(rows, Math.max(1, snapshot.latest.length))} filter={snapshot.filter} empty="no priced request in the last hour" />
    </Box>
  );
}
