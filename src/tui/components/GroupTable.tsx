/**
 * Top groups of the chosen dimension over the last hour: name, a sparkline of spend
 * per minute (oldest left), spend, requests and share of the hour. A group with rows
 * that have no price says how many after its share (`+3 unpriced`): their cost is
 * unknown and not in its spend, which must not pass for all of it (as budget bars do).
 */
import { Box } from 'ink';
import type { GroupTotals } from '../data/group-tracker.js';
import { padEnd, padStart } from '../format/fit.js';
import { formatCount, formatMoney, ticksToDisplayUsd } from '../format/format-money.js';
import { emptyText } from '../format/no-match.js';
import { sparkline } from '../format/sparkline.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

export interface GroupTableProps {
  groups: readonly GroupTotals[];
  width: number;
  rows: number;
  /** The dashboard's filter, for what an empty table says. */
  filter: string;
}

export function GroupTable({ groups, width, rows, filter }: GroupTableProps) {
  if (groups.length === 0) {
    return (
      <Line>
        <Paint dim>{emptyText(filter, 'no spend in the last hour yet')}</Paint>
      </Line>
    );
  }
  const fits = groups.length <= rows;
  const shown = groups.slice(0, fits ? groups.length : Math.max(1, rows - 1));
  // The "…and N more" row only when there is a row for it: more rows than given would lay them over the next section.
  const hidden = shown.length < rows ? groups.length - shown.length : 0;
  const total = groups.reduce((a, g) => a + g.costTicks, 0);
  const nameWidth = Math.min(Math.max(8, ...shown.map((g) => g.name.length)), Math.max(10, Math.floor(width * 0.25)));
  const unpricedText = (g: GroupTotals) => (g.unpricedRows > 0 ? `+${formatCount(g.unpricedRows)} unpriced` : '');
  // The unpriced column only when a shown group needs it; the sparkline gives up the room.
  const unpricedWidth = Math.max(0, ...shown.map((g) => unpricedText(g).length));
  // name, spark, money (11), requests (9), share (5), unpriced, and the gaps between them.
  const sparkWidth = Math.max(10, Math.min(60, width - nameWidth - 11 - 9 - 5 - 5 - (unpricedWidth > 0 ? unpricedWidth + 1 : 0)));
  return (
    <Box flexDirection="column">
      {shown.map((g) => (
        <Line key={g.name}>
          {`${padEnd(g.name, nameWidth)} `}
          <Paint color="cyan">{sparkline(g.perMinute, sparkWidth)}</Paint>
          {` ${padStart(formatMoney(ticksToDisplayUsd(g.costTicks)), 11)} ${padStart(`${formatCount(g.requests)} req`, 9)} ${padStart(total > 0 ? `${Math.round((g.costTicks / total) * 100)}%` : '–', 5)}`}
          {g.unpricedRows > 0 ? <Paint color="yellow">{` ${unpricedText(g)}`}</Paint> : null}
        </Line>
      ))}
      {hidden > 0 ? (
        <Line>
          <Paint dim>{`  …and ${hidden} more`}</Paint>
        </Line>
      ) : null}
    </Box>
  );
}
