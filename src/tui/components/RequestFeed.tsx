/**
 * Requests, one per row: time, model, the model it was routed from, input→output
 * tokens, cost and latency. Column widths follow the terminal's width. The time is UTC,
 * as the header's clock; a list that holds a request from another day shows each one's
 * date too, so last month's imported rows never pass for this morning's traffic. The feed
 * draws its own column header, whose time column follows the rows' (dated or not). A
 * request the upstream failed (a 502, a timeout's 504) shows its HTTP status in red where
 * its tokens would be, so that it never passes for a free `0→0 $0.00` answer. A cost that
 * rests on estimated usage (a stream cut mid-way, a response without usage) reads `~$0.0025`:
 * never as exact as a measured one.
 */
import { Box } from 'ink';
import type { LiveRow } from '../data/live-row.js';
import { padEnd, padStart } from '../format/fit.js';
import { formatCount, formatLatency, formatUnitCost, ticksToDisplayUsd } from '../format/format-money.js';
import { emptyText } from '../format/no-match.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

export interface RequestFeedProps {
  rows: readonly LiveRow[];
  width: number;
  limit: number;
  /** The dashboard's filter: an empty feed under one says the filter hides everything. */
  filter: string;
  /** What an empty feed says when no filter is set. */
  empty?: string;
  /** The snapshot's moment (ms): rows of another UTC day than its show their date. */
  at: number;
}

/** `HH:MM:SS`, or `MM-DD HH:MM` when the list holds another day's request. */
const timeWidth = (dated: boolean) => (dated ? 11 : 8);

/** Whether the rows a feed shows (its first `limit`) include one from another UTC day than `at`'s. */
function feedDated(rows: readonly LiveRow[], limit: number, at: number): boolean {
  const today = new Date(at).toISOString().slice(0, 10);
  return rows.slice(0, Math.max(0, limit)).some((r) => r.ts.slice(0, 10) !== today);
}

/** The COST column: 9 wide, wider for a cost that needs it (`~$1,234.56`): a cost is never cut. */
const COST = 9;

/** time 8 (11 dated), tokens 13, cost 9+, latency 6, five gaps: the rest is split between the two model columns. */
const fixed = (dated: boolean, cost: number) => timeWidth(dated) + 13 + cost + 6 + 5;

export function feedColumns(width: number, dated = false, cost = COST): { model: number; routed: number; latency: boolean; cost: number } {
  // Narrower than this, the routed-from and latency columns go, then the model's room
  // (down to `cl…`), so that the cost never does.
  if (width < fixed(dated, cost) + 16) return { model: Math.max(3, width - (timeWidth(dated) + 13 + cost + 3)), routed: 0, latency: false, cost };
  const rest = width - fixed(dated, cost);
  const model = Math.ceil(rest * 0.55);
  return { model, routed: rest - model, latency: true, cost };
}

/** The COST column's width for these rows. */
const costWidth = (rows: readonly LiveRow[]) => Math.max(COST, ...rows.map((r) => costCell(r).length));

/** The IN→OUT cell: the tokens, and the HTTP status of a failed request (in place of `0→0` when it used none). */
function tokensCell(r: LiveRow): { text: string; failed: boolean } {
  const tokens = `${formatCount(r.inputTokens)}→${formatCount(r.outputTokens)}`;
  if (r.statusCode === null || r.statusCode < 400) return { text: tokens, failed: false };
  const withTokens = `${r.statusCode} ${tokens}`;
  const used = r.inputTokens > 0 || r.outputTokens > 0;
  return { text: used && withTokens.length <= 13 ? withTokens : `HTTP ${r.statusCode}`, failed: true };
}

/** The COST cell: `unpriced`, the cost, or `~` and the cost when its usage was estimated. */
export function costCell(r: LiveRow): string {
  if (r.costTicks === null) return 'unpriced';
  const cost = formatUnitCost(ticksToDisplayUsd(r.costTicks));
  return r.estimated ? `~${cost}` : cost;
}

function FeedHeader({ width, dated, cost = COST }: { width: number; dated: boolean; cost?: number }) {
  const c = feedColumns(width, dated, cost);
  return (
    <Line>
      <Paint dim>{`${padEnd(dated ? 'DAY   TIME' : 'TIME', timeWidth(dated))} ${padEnd('MODEL', c.model)} ${c.routed > 0 ? `${padEnd('ROUTED FROM', c.routed)} ` : ''}${padStart('IN→OUT', 13)} ${padStart('COST', c.cost)}${c.latency ? ` ${padStart('LAT', 6)}` : ''}`}</Paint>
    </Line>
  );
}

function TokensCell({ row }: { row: LiveRow }) {
  const cell = tokensCell(row);
  const text = `${padStart(cell.text, 13)} `;
  return cell.failed ? (
    <Paint color="red" bold>
      {text}
    </Paint>
  ) : (
    <>{text}</>
  );
}

export function RequestFeed({ rows, width, limit, filter, empty = 'waiting for requests…', at }: RequestFeedProps) {
  if (rows.length === 0) {
    return (
      <>
        <FeedHeader width={width} dated={false} />
        <Line>
          <Paint dim>{emptyText(filter, empty)}</Paint>
        </Line>
      </>
    );
  }
  const dated = feedDated(rows, limit, at);
  const cost = costWidth(rows.slice(0, Math.max(0, limit)));
  const c = feedColumns(width, dated, cost);
  return (
    <>
      <FeedHeader width={width} dated={dated} cost={cost} />
      <Box flexDirection="column">
        {rows.slice(0, Math.max(0, limit)).map((r) => (
          <Line key={r.id}>
            {`${dated ? `${r.ts.slice(5, 10)} ${r.ts.slice(11, 16)}` : r.ts.slice(11, 19)} ${padEnd(r.model ?? '(no model)', c.model)} `}
            {c.routed > 0 ? (
              <Paint color={r.routedFrom ? 'magenta' : undefined} dim={!r.routedFrom}>
                {`${padEnd(r.routedFrom ? `← ${r.routedFrom}` : '–', c.routed)} `}
              </Paint>
            ) : null}
            <TokensCell row={r} />
            <Paint bold={!r.estimated}>{padStart(costCell(r), c.cost)}</Paint>
            {c.latency ? ` ${padStart(formatLatency(r.latencyMs), 6)}` : ''}
          </Line>
        ))}
      </Box>
    </>
  );
}
