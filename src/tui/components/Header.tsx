/**
 * The top two rows: what is watched and whether it is live, then the money — spend
 * today and this month, requests and tokens per second, and cost per request. Requests
 * with no price are counted beside the money, so that a $0.00 is never silent about them;
 * on a narrow terminal the rates give way before any of that is cut.
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

/** One way to lay out the money row: separators, today's count note, and what follows the month. */
interface Form {
  sep: string;
  count: string;
  rest: string[];
}

export function Header({ snapshot, paused, width }: HeaderProps) {
  // Minutes: a ticking seconds clock would redraw an idle dashboard every second (use-live-snapshot.ts).
  const time = new Date(snapshot.at).toISOString().slice(11, 16);
  const today = formatMoney(ticksToDisplayUsd(snapshot.today.costTicks));
  const month = formatMoney(ticksToDisplayUsd(snapshot.month.costTicks));
  const rates = [formatRate(snapshot.requestsPerSecond, 'req'), formatRate(snapshot.tokensPerSecond, 'tok')];
  // Without a priced request today there is no cost per request: a dash, as `llmfin report` prints.
  const perRequest = `${snapshot.costPerRequestTicks === null ? '–' : formatUnitCost(ticksToDisplayUsd(snapshot.costPerRequestTicks))}/req`;
  const unpricedToday = snapshot.today.unpriced > 0 ? `${formatCount(snapshot.today.unpriced)} unpriced` : '';
  const fullCount = ` (${formatCount(snapshot.today.requests)} req${unpricedToday !== '' ? `, ${unpricedToday}` : ''})`;
  const shortCount = unpricedToday !== '' ? ` (${unpricedToday})` : '';
  const monthNote = snapshot.month.unpriced > 0 ? ` (+${formatCount(snapshot.month.unpriced)} unpriced)` : '';
  // The widest form that fits: roomy separators, then tight ones, then without today's
  // request count (its unpriced count stays: without it a narrow header's "today $0.00"
  // would not say whether that is all today cost), then without the token rate, the request
  // rate and cost per request, so that a money figure is never cut at the edge.
  const line = (f: Form) => [`today ${today}${f.count}`, `month ${month}${monthNote}`, ...f.rest].join(f.sep);
  const forms: Form[] = [
    { sep: '  │  ', count: fullCount, rest: [...rates, perRequest] },
    { sep: ' │ ', count: fullCount, rest: [...rates, perRequest] },
    { sep: ' │ ', count: shortCount, rest: [...rates, perRequest] },
    { sep: ' │ ', count: shortCount, rest: [rates[0]!, perRequest] },
    { sep: ' │ ', count: shortCount, rest: [perRequest] },
    { sep: ' │ ', count: shortCount, rest: [] },
  ];
  const form = forms.find((f) => line(f).length <= width) ?? forms.at(-1)!;
  const { sep } = form;
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
        {`${form.count}${sep}month `}
        <Paint bold>{month}</Paint>
        {monthNote !== '' ? <Paint color="yellow">{monthNote}</Paint> : null}
        {form.rest.length > 0 ? `${sep}${form.rest.join(sep)}` : ''}
      </Line>
    </Box>
  );
}
