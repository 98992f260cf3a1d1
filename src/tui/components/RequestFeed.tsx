/**
 * Requests, one per row: time, model, the model it was routed from, input→output
 * tokens, cost and latency. Column widths follow the terminal's width.
 */
import { Box } from 'ink';
import type { LiveRow } from '../data/live-row.js';
import { padEnd, padStart } from '../format/fit.js';
import { formatCount, formatLatency, formatUnitCost, ticksToDisplayUsd } from '../format/format-money.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

export interface RequestFeedProps {
  rows: readonly LiveRow[];
  width: number;
  limit: number;
  empty?: string;
}

/** time 8, tokens 13, cost 9, latency 6, five gaps: the rest is split between the two model columns. */
const FIXED = 8 + 13 + 9 + 6 + 5;

export function feedColumns(width: number): { model: number; routed: number } {
  const rest = Math.max(16, width - FIXED);
  const model = Math.ceil(rest * 0.55);
  return { model, routed: rest - model };
}

export function FeedHeader({ width }: { width: number }) {
  const c = feedColumns(width);
  return (
    <Line>
      <Paint dim>{`${padEnd('TIME', 8)} ${padEnd('MODEL', c.model)} ${padEnd('ROUTED FROM', c.routed)} ${padStart('IN→OUT', 13)} ${padStart('COST', 9)} ${padStart('LAT', 6)}`}</Paint>
    </Line>
  );
}

export function RequestFeed({ rows, width, limit, empty = 'waiting for requests…' }: RequestFeedProps) {
  if (rows.length === 0) {
    return (
      <Line>
        <Paint dim>{empty}</Paint>
      </Line>
    );
  }
  const c = feedColumns(width);
  return (
    <Box flexDirection="column">
      {rows.slice(0, Math.max(0, limit)).map((r) => (
        <Line key={r.id}>
          {`${r.ts.slice(11, 19)} ${padEnd(r.model ?? '(no model)', c.model)} `}
          <Paint color={r.routedFrom ? 'magenta' : undefined} dim={!r.routedFrom}>
            {padEnd(r.routedFrom ? `← ${r.routedFrom}` : '–', c.routed)}
          </Paint>
          {` ${padStart(`${formatCount(r.inputTokens)}→${formatCount(r.outputTokens)}`, 13)} `}
          <Paint bold>{padStart(r.costTicks === null ? 'unpriced' : formatUnitCost(ticksToDisplayUsd(r.costTicks)), 9)}</Paint>
          {` ${padStart(formatLatency(r.latencyMs), 6)}`}
        </Line>
      ))}
    </Box>
  );
}
