/** The newest requests and, below, the costliest of the last hour. */
import { Box } from 'ink';
import { RequestFeed } from '../components/RequestFeed.js';
import { SectionTitle } from '../components/SectionTitle.js';
import type { ScreenProps } from './OverviewScreen.js';

export function RequestsScreen({ snapshot, width, height }: ScreenProps) {
  // Two sections of a title, a column header and rows each; under 6 rows there is no room
  // for both with a row each: the latest only.
  const both = height >= 6;
  const rows = both ? Math.max(1, Math.floor((height - 4) / 2)) : Math.max(1, height - 2);
  const costliestRows = height - 4 - Math.min(rows, Math.max(1, snapshot.latest.length));
  return (
    <Box flexDirection="column">
      <SectionTitle title="Latest requests" />
      <RequestFeed rows={snapshot.latest} groupBy={snapshot.groupBy} width={width} limit={rows} filter={snapshot.filter} at={snapshot.at} />
      {both ? (
        <>
          <SectionTitle title="Most expensive requests" note="last hour" />
          <RequestFeed rows={snapshot.costliest} groupBy={snapshot.groupBy} width={width} limit={costliestRows} filter={snapshot.filter} empty="no priced request in the last hour" at={snapshot.at} />
        </>
      ) : null}
    </Box>
  );
}
