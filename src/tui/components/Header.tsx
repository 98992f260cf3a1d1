/**
 * The top two rows: what is watched and whether it is live, then the money — spend
 * today and this month, requests and tokens per second, and cost per request.
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
  const time = new Date(snapshot.at).toISOString().slice(11, 19);
  const sep = width >= 90 ? '  │  ' : ' │ ';
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
        <Paint bold>{formatMoney(ticksToDisplayUsd(snapshot.today.costTicks))}</Paint>
        {` (${formatCount(snapshot.today.requests)} req)${sep}month `}
        <Paint bold>{formatMoney(ticksToDisplayUsd(snapshot.month.costTicks))}</Paint>
        {`${sep}${formatRate(snapshot.requestsPerSecond, 'req')}${sep}${formatRate(snapshot.tokensPerSecond, 'tok')}${sep}${formatUnitCost(ticksToDisplayUsd(snapshot.costPerRequestTicks))}/req`}
      </Line>
    </Box>
  );
}
