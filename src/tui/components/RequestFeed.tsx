/**
 * Requests, one per row: time, model, the model it was routed from, input→output
 * tokens, cost and latency. Column widths follow the terminal's width.
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
}

/** time 8, tokens 13, cost 9, latency 6, five gaps: the rest is split between the two model columns. */
const FIXED = 8 + 13 + 9 + 6 + 5;
/** Narrower than this, the routed-from and latency columns go, so that the cost never does. */
const ALL_COLUMNS = FIXED + 16;

export function feedColumns(width: number): { model: number; routed: number; latency: boolean } {
  if (width < ALL_COLUMNS) return { model: Math.max(6, width - (8 + 13 + 9 + 3)), routed: 0, latency: false };
  const rest = width - FIXED;
  const model = Math.ceil(rest * 0.55);
  return { model, routed: rest - model, latency: true };
}

export function FeedHeader({ width }: { width: number }) {
  const c = feedColumns(width);
  return (
    <Line>
      <Paint dim>{`${padEnd('TIME', 8)} ${padEnd('MODEL', c.model)} ${c.routed > 0 ? `${padEnd('ROUTED FROM', c.routed)} ` : ''}${padStart('IN→OUT', 13)} ${padStart('COST', 9)}${c.latency ? ` ${padStart('LAT', 6)}` : ''}`}</Paint>
    </Line>
  );
}

export function RequestFeed({ rows, width, limit, filter, empty = 'waiting for requests…' }: RequestFeedProps) {
  if (rows.length === 0) {
    return (
      <Line>
        <Paint dim>{emptyText(filter, empty)}</Paint>
      </Line>
    );
  }
  const c = feedColumns(width);
  return (
    <Box flexDirection="column">
      {rows.slice(0, Math.max(0, limit)).map((r) => (
        <Line key={r.id}>
          {`${r.ts.slice(11, 19)} ${padEnd(r.model ?? '(no model)', c.model)} `}
          {c.routed > 0 ? (
            <Paint color={r.routedFrom ? 'magenta' : undefined} dim={!r.routedFrom}>
              {`${padEnd(r.routedFrom ? `← ${r.routedFrom}` : '–', c.routed)} `}
            </Paint>
          ) : null}
          {`${padStart(`${formatCount(r.inputTokens)}→${formatCount(r.outputTokens)}`, 13)} `}
          <Paint bold>{padStart(r.costTicks === null ? 'unpriced' : formatUnitCost(ticksToDisplayUsd(r.costTicks)), 9)}</Paint>
          {c.latency ? ` ${padStart(formatLatency(r.latencyMs), 6)}` : ''}
        </Line>
      ))}
    </Box>
  );
}
