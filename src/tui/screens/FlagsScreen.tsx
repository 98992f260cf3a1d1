/** Loop and spike flags raised since the dashboard started. */
import { Box } from 'ink';
import { FlagList } from '../components/FlagList.js';
import { SectionTitle } from '../components/SectionTitle.js';
import type { ScreenProps } from './OverviewScreen.js';

export function FlagsScreen({ snapshot, height }: ScreenProps) {
  return (
    <Box flexDirection="column">
      {/* Short enough for 80 columns: the note is cut at the edge. The count is anomalies.loop_repeats. */}
      <SectionTitle title="Flags" note={`loops: ${snapshot.loopRepeats}× the same call, error or pair · spikes: a minute ≥ 3× usual`} />
      <FlagList flags={snapshot.flags} limit={Math.max(1, height - 1)} filter={snapshot.filter} />
    </Box>
  );
}
