/**
 * The top two rows: what is watched and whether it is live, then the money — spend
 * today and this month, requests and tokens per second, and cost per request. Requests
 * with no price are counted beside the money, so that a $0.00 is never silent about them.
 */
import { basename } from 'node:path';
import { Box } from 'ink';
import type { DashboardSnapshot } from '../data/dashboard-snapshot.js';
import { formatCount, formatMoney, formatRate, formatUnitCost, ticksToDisplayUsd } from '../format/format-money.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

export interface HeaderProps {
  snapshot: DashboardSnapshot;
  paused: boolean;
  width: number;
}

export function Header({ snapshot, paused, width }: HeaderProps) {
  // Minutes: a ticking seconds clock would redraw an idle dashboard every second (use-live-snapshot.ts).
  const time = new Date(snapshot.at).toISOString().slice(11, 16);
  const today = formatMoney(ticksToDisplayUsd(snapshot.today.costTicks));
  const month = formatMoney(ticksToDisplayUsd(snapshot.month.costTicks));
  const rest = (sep: string) =>
    [formatRate(snapshot.requestsPerSecond, 'req'), formatRate(snapshot.tokensPerSecond, 'tok'), `${formatUnitCost(ticksToDisplayUsd(snapshot.costPerRequestTicks))}/req`].join(sep);
  const count = ` (${formatCount(snapshot.today.requests)} req${snapshot.today.unpriced > 0 ? `, ${formatCount(snapshot.today.unpriced)} unpriced` : ''})`;
  const monthNote = snapshot.month.unpriced > 0 ? ` (+${formatCount(snapshot.month.unpriced)} unpriced)` : '';
  // Widest form that fits: roomy separators, then tight ones, then without today's request count.
  const fits = (sep: string, withCount: boolean) => `today ${today}${withCount ? count : ''}${sep}month ${month}${monthNote}${sep}${rest(sep)}`.length <= width;
  const sep = fits('  │  ', true) ? '  │  ' : ' │ ';
  const withCount = fits(sep, true);
  return (
    <Box flexDirection="column">
      <Line>
        <Paint bold>llmfin top</Paint>
        {`  ${basename(snapshot.ledger)}  ${time} UTC  `}
        {paused ? (
          <Paint color="yellow" bold>
            PAUSED
          </Paint>
        ) : (
          <Paint color="green">live</Paint>
        )}
        {snapshot.filter ? `  filter: ${snapshot.filter}` : ''}
      </Line>
      <Line>
        {'today '}
        <Paint bold>{today}</Paint>
        {`${withCount ? count : ''}${sep}month `}
        <Paint bold>{month}</Paint>
        {monthNote !== '' ? <Paint color="yellow">{monthNote}</Paint> : null}
        {`${sep}${rest(sep)}`}
      </Line>
    </Box>
  );
}
