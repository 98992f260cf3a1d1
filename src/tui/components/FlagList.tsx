/** Loop and spike flags, newest first: time, kind as a word, what happened, money involved. */
import { Box } from 'ink';
import type { LiveFlag } from '../data/live-flag.js';
import { formatMoney } from '../format/format-money.js';
import { ticksToUsd } from '../../shared/money.js';
import { emptyText } from '../format/no-match.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

/** `filter`: the dashboard's filter, for what an empty list says. */
export function FlagList({ flags, limit, filter }: { flags: readonly LiveFlag[]; limit: number; filter: string }) {
  if (flags.length === 0) {
    return (
      <Line>
        <Paint dim>{emptyText(filter, 'no loops or spikes seen since start')}</Paint>
      </Line>
    );
  }
  return (
    <Box flexDirection="column">
      {flags.slice(0, Math.max(1, limit)).map((f) => (
        <Line key={f.key}>
          {`${new Date(f.at).toISOString().slice(11, 19)} `}
          <Paint color={f.kind === 'loop' ? 'red' : 'yellow'} bold>
            {f.kind === 'loop' ? 'LOOP ' : 'SPIKE'}
          </Paint>
          {` ${formatMoney(ticksToUsd(f.costTicks)).padStart(9)}  ${f.text.replace(/^(loop|spike): /, '')}`}
        </Line>
      ))}
    </Box>
  );
}
