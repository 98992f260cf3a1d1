/** Loop and spike flags raised since the dashboard started. */
import { Box } from 'ink';
import { FlagList } from '../components/FlagList.js';
import { SectionTitle } from '../components/SectionTitle.js';
import type { ScreenProps } from './OverviewScreen.js';

export function FlagsScreen({ snapshot, height }: ScreenProps) {
  return (
    <Box flexDirection="column">
      <SectionTitle title="Flags" note="a trace repeating a call or an error, or alternating two, anomalies.loop_repeats times; a minute ≥ 3× the usual spend" />
      <FlagList flags={snapshot.flags} limit={Math.max(1, height - 1)} filter={snapshot.filter} />
    </Box>
  );
}
