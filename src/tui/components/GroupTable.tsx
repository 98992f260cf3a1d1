/**
 * Top groups of the chosen dimension over the last hour: name, a sparkline of spend
 * per minute (oldest left), spend, requests and share of the hour. A group with rows
 * that have no price says how many after its share (`+3 unpriced`): their cost is
 * unknown and not in its spend, which must not pass for all of it (as budget bars do).
 * On a narrow terminal the columns give way in order — the sparkline first, then the
 * share, the name's room and the request count — so that the spend and the unpriced
 * count are never cut at the edge.
 */
import { Box } from 'ink';
import type { GroupTotals } from '../data/group-tracker.js';
import { giveWay, nameRoom, padEnd, padStart } from '../format/fit.js';
import { formatCount, formatMoney } from '../format/format-money.js';
import { ticksToUsd } from '../../shared/money.js';
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

/** Widths of a table's columns; a width of 0 (or false) is a column given up for room. */
export interface GroupColumns {
  name: number;
  spark: number;
  money: number;
  requests: boolean;
  share: boolean;
  /** Width of the unpriced note (`+3 unpriced`), 0 when no shown group has one. */
  unpriced: number;
}

/** The fewest cells a sparkline is drawn in: narrower than this it says nothing, and goes. */
const MIN_SPARK = 10;
/** The fewest columns a name keeps (`supp…`) once the columns after it need the room. */
const MIN_NAME = 6;
/** A money column at least this wide, so that a growing figure does not shift the row (`$123,456.78`). */
const MONEY = 11;

const unpricedText = (g: GroupTotals) => (g.unpricedRows > 0 ? `+${formatCount(g.unpricedRows)} unpriced` : '');
const moneyText = (g: GroupTotals) => formatMoney(ticksToUsd(g.costTicks));

/** How wide a row of these columns is, every gap counted. */
function rowWidth(c: GroupColumns): number {
  return c.name + (c.spark > 0 ? 1 + c.spark : 0) + 1 + c.money + (c.requests ? 10 : 0) + (c.share ? 6 : 0) + (c.unpriced > 0 ? 1 + c.unpriced : 0);
}

/** The columns for `shown` at `width`: each step gives up one column's room, until the row fits. */
export function groupColumns(shown: readonly GroupTotals[], width: number): GroupColumns {
  const longest = Math.max(8, ...shown.map((g) => g.name.length));
  const moneyWidth = Math.max(0, ...shown.map((g) => moneyText(g).length));
  const c: GroupColumns = {
    name: Math.min(longest, Math.max(10, Math.floor(width * 0.25))),
    spark: 0,
    money: Math.max(MONEY, moneyWidth),
    requests: true,
    share: true,
    unpriced: Math.max(0, ...shown.map((g) => unpricedText(g).length)),
  };
  // The sparkline takes what the figures leave (the last column kept free), up to an hour's 60 cells.
  const spark = Math.min(60, width - rowWidth(c) - 2);
  if (spark >= MIN_SPARK) return { ...c, spark };
  // Narrower, in order: no sparkline, the money column to its widest figure, no share, the
  // name down to MIN_NAME, no request count. The money and the unpriced note always stay.
  const steps: Array<(c: GroupColumns) => GroupColumns> = [
    (x) => x,
    (x) => ({ ...x, money: moneyWidth }),
    (x) => ({ ...x, share: false }),
    (x) => ({ ...x, name: Math.max(Math.min(x.name, MIN_NAME), nameRoom(x, rowWidth, width)) }),
    (x) => ({ ...x, requests: false }),
    (x) => ({ ...x, name: Math.max(3, nameRoom(x, rowWidth, width)) }),
  ];
  return giveWay(c, steps, rowWidth, width, c.name);
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
  const c = groupColumns(shown, width);
  return (
    <Box flexDirection="column">
      {shown.map((g) => (
        <Line key={g.name}>
          {`${padEnd(g.name, c.name)} `}
          {c.spark > 0 ? <Paint color="cyan">{`${sparkline(g.perMinute, c.spark)} `}</Paint> : null}
          {padStart(moneyText(g), c.money)}
          {c.requests ? ` ${padStart(`${formatCount(g.requests)} req`, 9)}` : ''}
          {c.share ? ` ${padStart(total > 0 ? `${Math.round((g.costTicks / total) * 100)}%` : '–', 5)}` : ''}
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
