/**
 * Requests, one per row: time, model, the model it was routed from, who made it, input→output
 * tokens, cost and latency. Who made it is the request's group of the dashboard's dimension
 * (`g` cycles it), headed TEAM, AGENT, FEATURE or CUSTOMER and decided through the attribution
 * rules as the Groups view's groups are, so a team a rule sets from the api key shows here too;
 * none reads `(unattributed)`, as there. Grouped by model it would only repeat the MODEL
 * column, and is left out unless a rule names some shown row's model group otherwise.
 *
 * The text columns (model, routed-from, group) are as wide as the shown rows need — the
 * header or the longest cell, up to 32 — not the terminal's width: a feed of `gpt-4o-mini`
 * has an 11-column model column at 150 columns, a routed-from column of `–` only is as wide
 * as its header, and the rest of a wide row is left blank. When they do not fit, the widest
 * are cut first (a short team name stays whole beside a long Bedrock id), then the
 * routed-from column goes, then the latency, then the model and the group are cut further,
 * and last the group goes: the cost is never cut.
 *
 * The time is UTC, as the header's clock; a list that holds a request from another day
 * shows each one's date too, so last month's imported rows never pass for this morning's
 * traffic. The feed draws its own column header, whose time column follows the rows' (dated
 * or not). A request the upstream failed (a 502, a timeout's 504) shows its HTTP status in
 * red where its tokens would be, so that it never passes for a free `0→0 $0.00` answer. A
 * cost that rests on estimated usage (a stream cut mid-way, a response without usage) reads
 * `~$0.0025`: never as exact as a measured one.
 */
import { Box } from 'ink';
import type { FeedRow } from '../data/dashboard-snapshot.js';
import type { GroupDimension } from '../data/group-dimensions.js';
import { UNATTRIBUTED } from '../data/group-tracker.js';
import type { LiveRow } from '../data/live-row.js';
import { padEnd, padStart } from '../format/fit.js';
import { formatCount, formatLatency, formatUnitCost } from '../format/format-money.js';
import { ticksToUsd } from '../../shared/money.js';
import { emptyText } from '../format/no-match.js';
import { Line } from './Line.js';
import { Paint } from './Paint.js';

export interface RequestFeedProps {
  rows: readonly FeedRow[];
  /** The dashboard's group-by dimension: the column of who made each request (TEAM, AGENT, …). */
  groupBy: GroupDimension;
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

/** Whether the rows a feed shows include one from another UTC day than `at`'s. */
function feedDated(shown: readonly LiveRow[], at: number): boolean {
  const today = new Date(at).toISOString().slice(0, 10);
  return shown.some((r) => r.ts.slice(0, 10) !== today);
}

/** The COST column: 9 wide, wider for a cost that needs it (`~$1,234.56`): a cost is never cut. */
const COST = 9;
const TOKENS = 13;
const LATENCY = 6;
/** The widest a text column (model, routed-from, group) grows for its longest cell: a long Bedrock id is cut past it. */
const TEXT_CAP = 32;

/** The text columns, in the order they are drawn. */
const TEXT = ['model', 'routed', 'group'] as const;
type TextColumn = (typeof TEXT)[number];
/** A width per text column; 0 for a column not drawn. */
export type TextWidths = Record<TextColumn, number>;

export interface FeedColumns extends TextWidths {
  time: number;
  cost: number;
  latency: boolean;
}

/**
 * The layouts tried in order until one fits, each giving up more for the cost's sake: the
 * routed-from column goes first, then the latency, and only then are the model and the group
 * cut below a readable width. `min` is what a text column may be cut to in that layout.
 */
const STAGES: ReadonlyArray<{ routed: boolean; latency: boolean; min: TextWidths }> = [
  { routed: true, latency: true, min: { model: 12, routed: 11, group: 10 } },
  { routed: false, latency: true, min: { model: 12, routed: 0, group: 10 } },
  { routed: false, latency: false, min: { model: 6, routed: 0, group: 6 } },
];

/** How wide a row of these columns is, every gap counted (a text column of width 0 has none). */
function rowWidth(c: FeedColumns): number {
  return c.time + 1 + c.model + 1 + (c.routed > 0 ? c.routed + 1 : 0) + (c.group > 0 ? c.group + 1 : 0) + TOKENS + 1 + c.cost + (c.latency ? 1 + LATENCY : 0);
}

const total = (w: TextWidths) => w.model + w.routed + w.group;

/**
 * The text columns' widths in `room` columns: each whole when all fit, else the widest cut
 * first, down to a common width (so that a short team name stays whole beside a long model id),
 * none below its `min`. Undefined when even the minimums do not fit.
 */
function share(needs: TextWidths, min: TextWidths, room: number): TextWidths | undefined {
  // Each column at `level`, never past what it needs nor below its minimum (or its need, if less).
  const widthAt = (k: TextColumn, level: number) => Math.min(needs[k], Math.max(Math.min(needs[k], min[k]), level));
  const at = (level: number): TextWidths => ({ model: widthAt('model', level), routed: widthAt('routed', level), group: widthAt('group', level) });
  let level = Math.max(needs.model, needs.routed, needs.group);
  while (level > 0 && total(at(level)) > room) level--;
  const widths = at(level);
  if (total(widths) > room) return undefined;
  // What the level left over goes to the columns it cut, one cell each.
  let spare = room - total(widths);
  for (const k of TEXT) {
    if (spare > 0 && widths[k] < needs[k]) {
      widths[k] += 1;
      spare -= 1;
    }
  }
  return widths;
}

/**
 * The feed's columns at `width` for text columns that need `needs` (header or longest cell,
 * capped; a group of 0 is no group column). The numbers keep their widths and the text columns
 * get what the rows need, not the terminal's whole width: the rest of a wide row is left blank.
 */
export function feedColumns(width: number, needs: TextWidths, dated = false, cost = COST): FeedColumns {
  const time = timeWidth(dated);
  for (const stage of STAGES) {
    const shown: TextWidths = { ...needs, routed: stage.routed ? needs.routed : 0 };
    const frame: FeedColumns = { time, model: 0, routed: 0, group: 0, cost, latency: stage.latency };
    // The room the text columns share: the row less the other columns and every gap.
    const room = width - rowWidth(frame) - (shown.routed > 0 ? 1 : 0) - (shown.group > 0 ? 1 : 0);
    const widths = share(shown, stage.min, room);
    if (widths) return { ...frame, ...widths };
  }
  // Narrower still the group goes too, and the model keeps what is left (down to `cl…`), so that the cost never goes.
  const frame: FeedColumns = { time, model: 0, routed: 0, group: 0, cost, latency: false };
  return { ...frame, model: Math.max(3, Math.min(needs.model, width - rowWidth(frame))) };
}

const modelText = (r: LiveRow) => r.model ?? '(no model)';
const routedText = (r: LiveRow) => (r.routedFrom ? `← ${r.routedFrom}` : '–');

/**
 * Whether the feed has a group column: not when it would only repeat the MODEL column (grouped
 * by model, and no rule names a shown row's model group otherwise).
 */
function hasGroup(rows: readonly FeedRow[], groupBy: GroupDimension): boolean {
  return groupBy !== 'model' || rows.some((r) => r.group !== (r.model ?? UNATTRIBUTED));
}

/** What each text column needs for `rows`: its header or its longest cell, up to TEXT_CAP. */
export function feedNeeds(rows: readonly FeedRow[], groupBy: GroupDimension): TextWidths {
  const longest = (header: string, cells: readonly string[]) => Math.min(TEXT_CAP, Math.max(header.length, ...cells.map((c) => c.length)));
  return {
    model: longest('MODEL', rows.map(modelText)),
    // All `–`, it is as wide as its header.
    routed: longest('ROUTED FROM', rows.map(routedText)),
    group: hasGroup(rows, groupBy) ? longest(groupBy.toUpperCase(), rows.map((r) => r.group)) : 0,
  };
}

/** The COST column's width for these rows. */
const costWidth = (rows: readonly LiveRow[]) => Math.max(COST, ...rows.map((r) => costCell(r).length));

/** The IN→OUT cell: the tokens, and the HTTP status of a failed request (in place of `0→0` when it used none). */
function tokensCell(r: LiveRow): { text: string; failed: boolean } {
  const tokens = `${formatCount(r.inputTokens)}→${formatCount(r.outputTokens)}`;
  if (r.statusCode === null || r.statusCode < 400) return { text: tokens, failed: false };
  const withTokens = `${r.statusCode} ${tokens}`;
  const used = r.inputTokens > 0 || r.outputTokens > 0;
  return { text: used && withTokens.length <= TOKENS ? withTokens : `HTTP ${r.statusCode}`, failed: true };
}

/** The COST cell: `unpriced`, the cost, or `~` and the cost when its usage was estimated. */
export function costCell(r: LiveRow): string {
  if (r.costTicks === null) return 'unpriced';
  const cost = formatUnitCost(ticksToUsd(r.costTicks));
  return r.estimated ? `~${cost}` : cost;
}

function FeedHeader({ c, dated, groupBy }: { c: FeedColumns; dated: boolean; groupBy: GroupDimension }) {
  return (
    <Line>
      <Paint dim>{`${padEnd(dated ? 'DAY   TIME' : 'TIME', c.time)} ${padEnd('MODEL', c.model)} ${c.routed > 0 ? `${padEnd('ROUTED FROM', c.routed)} ` : ''}${c.group > 0 ? `${padEnd(groupBy.toUpperCase(), c.group)} ` : ''}${padStart('IN→OUT', TOKENS)} ${padStart('COST', c.cost)}${c.latency ? ` ${padStart('LAT', LATENCY)}` : ''}`}</Paint>
    </Line>
  );
}

function TokensCell({ row }: { row: LiveRow }) {
  const cell = tokensCell(row);
  const text = `${padStart(cell.text, TOKENS)} `;
  return cell.failed ? (
    <Paint color="red" bold>
      {text}
    </Paint>
  ) : (
    <>{text}</>
  );
}

export function RequestFeed({ rows, groupBy, width, limit, filter, empty = 'waiting for requests…', at }: RequestFeedProps) {
  if (rows.length === 0) {
    return (
      <>
        <FeedHeader c={feedColumns(width, feedNeeds([], groupBy))} dated={false} groupBy={groupBy} />
        <Line>
          <Paint dim>{emptyText(filter, empty)}</Paint>
        </Line>
      </>
    );
  }
  const shown = rows.slice(0, Math.max(0, limit));
  const dated = feedDated(shown, at);
  const c = feedColumns(width, feedNeeds(shown, groupBy), dated, costWidth(shown));
  return (
    <>
      <FeedHeader c={c} dated={dated} groupBy={groupBy} />
      <Box flexDirection="column">
        {shown.map((r) => (
          <Line key={r.id}>
            {`${dated ? `${r.ts.slice(5, 10)} ${r.ts.slice(11, 16)}` : r.ts.slice(11, 19)} ${padEnd(modelText(r), c.model)} `}
            {c.routed > 0 ? (
              <Paint color={r.routedFrom ? 'magenta' : undefined} dim={!r.routedFrom}>
                {`${padEnd(routedText(r), c.routed)} `}
              </Paint>
            ) : null}
            {c.group > 0 ? <Paint dim={r.group === UNATTRIBUTED}>{`${padEnd(r.group, c.group)} `}</Paint> : null}
            <TokensCell row={r} />
            <Paint bold={!r.estimated}>{padStart(costCell(r), c.cost)}</Paint>
            {c.latency ? ` ${padStart(formatLatency(r.latencyMs), LATENCY)}` : ''}
          </Line>
        ))}
      </Box>
    </>
  );
}
