/**
 * The top two rows: what is watched and whether it is live, then the money — spend
 * today and this month, requests and tokens per second, and cost per request. Requests
 * with no price are counted beside the money, so that a $0.00 is never silent about them;
 * on a narrow terminal the rates give way before any of that is cut, and narrower still
 * today and the month take a row each (a third header row) rather than cut a figure or its count.
 */
import { basename } from 'node:path';
import { Box } from 'ink';
import type { DashboardSnapshot } from '../data/dashboard-snapshot.js';
import { formatCount, formatMoney, formatRate, formatUnitCost } from '../format/format-money.js';
import { ticksToUsd } from '../../shared/money.js';
import { truncate } from '../format/fit.js';
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

/** The money rows' text and parts at a width: one row, or today and the month on a row each. */
interface MoneyLayout {
  today: string;
  month: string;
  monthNote: string;
  /** One row, in this form; null: too narrow for both totals and their counts on one row. */
  form: Form | null;
  /** With `form` null: today's count note and what follows it on its own row. */
  split: { count: string; rest: string[] };
}

function moneyLayout(snapshot: DashboardSnapshot, width: number): MoneyLayout {
  const today = formatMoney(ticksToUsd(snapshot.today.costTicks));
  const month = formatMoney(ticksToUsd(snapshot.month.costTicks));
  const rates = [formatRate(snapshot.requestsPerSecond, 'req'), formatRate(snapshot.tokensPerSecond, 'tok')];
  // Without a priced request today there is no cost per request: a dash, as `llmfin report` prints.
  const perRequest = `${snapshot.costPerRequestTicks === null ? '–' : formatUnitCost(ticksToUsd(snapshot.costPerRequestTicks))}/req`;
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
  const form = forms.find((f) => line(f).length <= width) ?? null;
  // Narrower than the last form (a month with unpriced rows, at 40 to 50 columns): today
  // and the month take a row each, the month's unpriced count whole on its own.
  const todayRow = (count: string, rest: string[]) => [`today ${today}${count}`, ...rest].join(' │ ');
  const splits = [
    { count: fullCount, rest: [perRequest] },
    { count: shortCount, rest: [perRequest] },
    { count: shortCount, rest: [] },
  ];
  const split = splits.find((f) => todayRow(f.count, f.rest).length <= width) ?? splits.at(-1)!;
  return { today, month, monthNote, form, split };
}

const PRODUCT = 'llmfin top';
/** The fewest columns a cut ledger name keeps (three characters and `…`); narrower, it goes. */
const MIN_NAME = 4;

/**
 * The title row's ledger name and clock at a width. Whether the picture is live or PAUSED,
 * and the filter applied, say what the figures below are: they stay whole, and the ledger's
 * name is cut to make room for them, then left out, then the clock.
 */
function titleParts(ledgerName: string, time: string, state: string, filter: string, width: number): { name: string | null; clock: string | null } {
  const clock = `${time} UTC`;
  const tail = `  ${state}${filter ? `  filter: ${filter}` : ''}`;
  const room = width - `${PRODUCT}  ${clock}${tail}`.length - 2;
  if (room >= ledgerName.length) return { name: ledgerName, clock };
  if (room >= MIN_NAME) return { name: truncate(ledgerName, room), clock };
  return { name: null, clock: `${PRODUCT}  ${clock}${tail}`.length <= width ? clock : null };
}

/** Rows the header takes at this width: 2, or 3 when the money needs a row per total. */
export function headerRows(snapshot: DashboardSnapshot, width: number): number {
  return moneyLayout(snapshot, width).form === null ? 3 : 2;
}

export function Header({ snapshot, paused, width }: HeaderProps) {
  // Minutes: a ticking seconds clock would redraw an idle dashboard every second (use-live-snapshot.ts).
  const time = new Date(snapshot.at).toISOString().slice(11, 16);
  const title = titleParts(basename(snapshot.ledger), time, paused ? 'PAUSED' : 'live', snapshot.filter, width);
  const { today, month, monthNote, form, split } = moneyLayout(snapshot, width);
  const monthRow = (
    <>
      {'month '}
      <Paint bold>{month}</Paint>
      {monthNote !== '' ? <Paint color="yellow">{monthNote}</Paint> : null}
    </>
  );
  return (
    <Box flexDirection="column">
      <Line>
        <Paint bold>{PRODUCT}</Paint>
        {`${title.name !== null ? `  ${title.name}` : ''}${title.clock !== null ? `  ${title.clock}` : ''}  `}
        {paused ? (
          <Paint color="yellow" bold>
            PAUSED
          </Paint>
        ) : (
          <Paint color="green">live</Paint>
        )}
        {snapshot.filter ? `  filter: ${snapshot.filter}` : ''}
      </Line>
      {form !== null ? (
        <Line>
          {'today '}
          <Paint bold>{today}</Paint>
          {`${form.count}${form.sep}`}
          {monthRow}
          {form.rest.length > 0 ? `${form.sep}${form.rest.join(form.sep)}` : ''}
        </Line>
      ) : (
        <>
          <Line>
            {'today '}
            <Paint bold>{today}</Paint>
            {split.count}
            {split.rest.length > 0 ? ` │ ${split.rest.join(' │ ')}` : ''}
          </Line>
          <Line>{monthRow}</Line>
        </>
      )}
    </Box>
  );
}
