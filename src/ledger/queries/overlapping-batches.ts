/**
 * Earlier imports of the same source that an import left beside itself on the days it
 * covers: neither replaced by it (no shared row, no shared account) nor another part of
 * its export. Asked inside the import's transaction, once per file, after the sweeps
 * (record-import-stream.ts), so that an import found to count the same usage twice can
 * still be rolled back whole.
 *
 * Three findings, from surest to least:
 * - `coarser`: the earlier batch has rows of an account this file has too, whose bucket
 *   starts before the file's period and ends inside it, or starts inside it and ends after
 *   it (a daily row beside an hourly export of part of that day). The sweep keeps a row
 *   whose bucket reaches outside the period (deleting it would lose the hours the file
 *   does not cover), so the hours both cover are counted twice, whatever the grouping.
 * - `same-usage`: a source whose accounts are groupings of one organisation's usage
 *   (workspace, project: `groupedAccounts`), and on every day both cover, the earlier
 *   batch's totals per provider, provenance, kind and model equal this file's (tokens
 *   exactly, money within a cent): the same usage grouped otherwise.
 * - `maybe`: such a source, days in common, totals that differ (another project's
 *   export, or a partial one of the same usage): it may be counted twice.
 * - `other-buckets`: a file given earlier in the same command (`parts`), which the sweep
 *   leaves alone as another part of this export and `coarser` does not judge (a part may
 *   hold a bill's month-long line and another the hours it reaches over), has LLM usage
 *   (charge category usage) of an account, provider, provenance and model this file has too,
 *   in buckets of another width over the same hours: a daily export and an hourly one of
 *   part of its days. One export has one bucket width for a model's usage, so its parts,
 *   however split, never differ so; two exports at different granularity always do.
 * Batches imported under another `--account` (or one without it beside one with it,
 * which the import warns about already) are other organisations' and not findings. On a
 * source whose accounts are ids no other organisation shares (a CUR's payer), rows of
 * other accounts are another account's spend, not a finding either.
 */
import { sql, type Kysely } from 'kysely';
import type { LedgerDatabase } from '../ledger-schema.js';
import { TICKS_PER_USD } from '../../shared/money.js';

export type OverlapKind = 'coarser' | 'same-usage' | 'maybe' | 'other-buckets';

/**
 * Which end of the file's period a `coarser` finding's buckets reach past: `start` when a
 * bucket starts before it (one that also ends after it among them), `end` when a bucket
 * starting inside it ends after it, `both` when the batch has buckets of each.
 */
export type StraddledEdge = 'start' | 'end' | 'both';

export interface OverlapFinding {
  batchId: number;
  fileName: string | null;
  kind: OverlapKind;
  /** `coarser` findings only. */
  edge?: StraddledEdge;
  /** `other-buckets` findings only: the bucket widths (seconds) of the earlier batch's rows and of this file's. */
  widths?: { earlier: number; file: number };
  /** The days (YYYY-MM-DD, UTC) both batches have rows on, first and last. */
  firstDay: string;
  lastDay: string;
}

export interface OverlapQuery {
  source: string;
  batchId: number;
  /** The largest row id before this import: its own rows are above it. */
  lastOldId: number;
  /** The file's whole period, ISO UTC text, `to` exclusive. */
  from: string;
  to: string;
  /** The accounts this file's rows have. */
  accounts: ReadonlySet<string | null>;
  /** Batches of files given earlier in the same command that are parts of this export. */
  parts: readonly number[];
  /** The source's accounts are groupings of one organisation's usage (workspace, project). */
  groupedAccounts: boolean;
  /**
   * The source's accounts begin with the kind of usage their rows count, `kind` or
   * `kind:group` (after `NAME/` under `--account`): the Usage API's endpoint, a dashboard
   * CSV's file kind. Files of different kinds are different usage, whatever their totals:
   * the completions and the embeddings pages of one day, or two endpoints without a model
   * whose unpriced rows both total $0, are never the same usage grouped otherwise.
   */
  kindInAccount: boolean;
  /**
   * A row's group (its account past `NAME/` and the kind) is the project or workspace its
   * usage belongs to, and is named only in an export grouped by it: two files whose rows
   * on the days both cover all name groups, none in common, are different projects' usage
   * (one project's export beside another's), not a finding. Not so where an ungrouped
   * row names the organisation (the Costs API's organization_id) or where groups overlap
   * (LiteLLM's users and teams).
   */
  groupOwnsUsage: boolean;
}

/** How far before the period a row may start and still end inside it: a month's bucket. */
const LONGEST_BUCKET_MS = 32 * 86_400_000;

/** Money equal "within rounding": one cent, in ticks. */
const CENT_TICKS = TICKS_PER_USD / 100n;

const TOKENS = sql<number>`sum(input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens + output_tokens + input_audio_tokens + input_image_tokens + output_audio_tokens + output_image_tokens)`;

export async function overlappingBatches(trx: Kysely<LedgerDatabase>, q: OverlapQuery): Promise<OverlapFinding[]> {
  const lookFrom = new Date(Date.parse(q.from) - LONGEST_BUCKET_MS).toISOString();
  // One walk of the ts index over the period: this import's rows are told apart by id
  // from the index entry, so only earlier rows are read from the table.
  const earlier = await sql<{ batch_id: number; account: string | null; straddles: number; straddlesEnd: string | null; first: string; last: string }>`
    SELECT batch_id, account, max(ts < ${q.from}) AS straddles, min(CASE WHEN ts >= ${q.from} AND ts_end > ${q.to} THEN ts END) AS straddlesEnd, min(ts) AS first, max(ts) AS last
    FROM usage_entries
    WHERE ts >= ${lookFrom} AND ts < ${q.to} AND id <= ${q.lastOldId} AND +source = ${q.source}
      AND batch_id IS NOT NULL AND batch_id != ${q.batchId}
      AND (ts >= ${q.from} OR ts_end > ${q.from})
    GROUP BY batch_id, account`.execute(trx);
  if (earlier.rows.length === 0) return [];
  const ids = [...new Set(earlier.rows.map((r) => r.batch_id))];
  const batches = await trx.selectFrom('import_batches').select(['id', 'file_name', 'account']).where('id', 'in', ids).execute();
  const own = await trx.selectFrom('import_batches').select('account').where('id', '=', q.batchId).executeTakeFirstOrThrow();
  const findings: OverlapFinding[] = [];
  for (const batch of batches) {
    if (batch.account !== own.account) continue;
    const rows = earlier.rows.filter((r) => r.batch_id === batch.id);
    const shared = rows.filter((r) => q.accounts.has(r.account));
    const start = shared.some((r) => r.straddles === 1);
    const endFrom = shared.reduce<string | null>((d, r) => (r.straddlesEnd !== null && (d === null || r.straddlesEnd < d) ? r.straddlesEnd : d), null);
    if ((start || endFrom !== null) && !q.parts.includes(batch.id)) {
      // The days both cover: from the earliest straddling bucket to the period's start, or
      // from the first bucket straddling its end to the period's last day.
      const first = start ? shared.reduce((d, r) => (r.first < d ? r.first : d), shared[0]!.first).slice(0, 10) : endFrom!.slice(0, 10);
      const last = endFrom !== null ? new Date(Date.parse(q.to) - 1).toISOString().slice(0, 10) : q.from.slice(0, 10);
      const edge: StraddledEdge = start && endFrom !== null ? 'both' : start ? 'start' : 'end';
      findings.push({ batchId: batch.id, fileName: batch.file_name, kind: 'coarser', edge, firstDay: first, lastDay: last });
      continue;
    }
    if (q.parts.includes(batch.id)) {
      const other = await otherBuckets(trx, q, batch.id, lookFrom);
      if (other !== undefined) {
        findings.push({ batchId: batch.id, fileName: batch.file_name, ...other });
        continue;
      }
    }
    if (!q.groupedAccounts) continue;
    const kind = await compareTotals(trx, q, batch.id);
    if (kind !== undefined) findings.push({ batchId: batch.id, fileName: batch.file_name, ...kind });
  }
  return findings.sort((a, b) => a.batchId - b.batchId);
}

/**
 * Whether a part given earlier in the command has LLM usage of an account, provider,
 * provenance and model this file has, in buckets of another width over the same hours
 * (`other-buckets`), and on which days. Both batches' usage rows on the file's period, per
 * model, bucket width and day, with the hours each group spans: a file's hourly rows of a
 * day are one group, so a month's file is a few thousand groups whatever its rows.
 */
async function otherBuckets(trx: Kysely<LedgerDatabase>, q: OverlapQuery, part: number, lookFrom: string): Promise<Pick<OverlapFinding, 'kind' | 'firstDay' | 'lastDay' | 'widths'> | undefined> {
  const rows = await sql<{ batch_id: number; usage: string; width: number; first: string; last: string }>`
    SELECT batch_id, coalesce(account, '') || char(31) || provider || char(31) || provenance || char(31) || coalesce(model, '') AS usage,
      CAST(strftime('%s', ts_end) AS INTEGER) - CAST(strftime('%s', ts) AS INTEGER) AS width, min(ts) AS first, max(ts_end) AS last
    FROM usage_entries
    WHERE batch_id IN (${q.batchId}, ${part}) AND ts >= ${lookFrom} AND ts < ${q.to} AND ts_end IS NOT NULL AND charge_category = 'usage'
    GROUP BY batch_id, usage, width, substr(ts, 1, 10)`.execute(trx);
  const groups = (batch: number) => {
    const by = new Map<string, Array<{ width: number; first: string; last: string }>>();
    for (const r of rows.rows) {
      if (r.batch_id !== batch) continue;
      const list = by.get(r.usage);
      if (list === undefined) by.set(r.usage, [{ width: Number(r.width), first: r.first, last: r.last }]);
      else list.push({ width: Number(r.width), first: r.first, last: r.last });
    }
    return by;
  };
  const mine = groups(q.batchId);
  const theirs = groups(part);
  let found: { first: string; last: string; widths: { earlier: number; file: number } } | undefined;
  for (const [usage, own] of mine) {
    for (const a of own) {
      for (const b of theirs.get(usage) ?? []) {
        // Different widths over hours both hold (ISO UTC text compares as time).
        if (a.width === b.width || !(a.first < b.last && b.first < a.last)) continue;
        const first = a.first > b.first ? a.first : b.first;
        const last = a.last < b.last ? a.last : b.last;
        if (found === undefined) found = { first, last, widths: { earlier: b.width, file: a.width } };
        else {
          if (first < found.first) found.first = first;
          if (last > found.last) found.last = last;
        }
      }
    }
  }
  if (found === undefined) return undefined;
  // The last day is the one the overlap's last instant falls on (`last` is exclusive).
  return { kind: 'other-buckets', firstDay: found.first.slice(0, 10), lastDay: new Date(Date.parse(found.last) - 1).toISOString().slice(0, 10), widths: found.widths };
}

/**
 * The two batches' totals per day, provider, provenance, kind (`kindInAccount`) and model on the file's period:
 * undefined when they have no day in common, else whether those days' totals are equal.
 */
async function compareTotals(trx: Kysely<LedgerDatabase>, q: OverlapQuery, other: number): Promise<Pick<OverlapFinding, 'kind' | 'firstDay' | 'lastDay'> | undefined> {
  const rows = await sql<{ batch_id: number; day: string; layer: string; model: string; account: string | null; tokens: number; ticks: bigint | number | null }>`
    SELECT batch_id, substr(ts, 1, 10) AS day, provider || '|' || provenance AS layer, coalesce(model, '') AS model, account, ${TOKENS} AS tokens, sum(cost_ticks) AS ticks
    FROM usage_entries
    WHERE batch_id IN (${q.batchId}, ${other}) AND ts >= ${q.from.slice(0, 10)} AND ts < ${q.to}
    GROUP BY batch_id, day, layer, model, account`.execute(trx);
  // A bill beside usage of the same source (a Console cost CSV and usage CSV) is two layers,
  // reconciled, not counted twice: only the layers (provider, provenance and kind) both have count.
  const read = rows.rows.map((r) => {
    const { kind, group } = accountParts(r.account, q.kindInAccount);
    return { ...r, mine: r.batch_id === q.batchId, layer: q.kindInAccount ? `${r.layer}|${kind}` : r.layer, group };
  });
  const layers = [new Set<string>(), new Set<string>()];
  for (const r of read) layers[r.mine ? 0 : 1]!.add(r.layer);
  const compared = read.filter((r) => layers[0]!.has(r.layer) && layers[1]!.has(r.layer));
  const days = new Map<string, [Map<string, { tokens: number; ticks: bigint }>, Map<string, { tokens: number; ticks: bigint }>]>();
  for (const r of compared) {
    let pair = days.get(r.day);
    if (pair === undefined) days.set(r.day, (pair = [new Map(), new Map()]));
    // Rows of several groups (projects, workspaces) of one kind add up to its total.
    const totals = pair[r.mine ? 0 : 1];
    const what = `${r.layer}|${r.model}`;
    const sum = totals.get(what) ?? { tokens: 0, ticks: 0n };
    totals.set(what, { tokens: sum.tokens + Number(r.tokens), ticks: sum.ticks + BigInt(r.ticks ?? 0) });
  }
  const common = [...days].filter(([, [mine, theirs]]) => mine.size > 0 && theirs.size > 0).sort(([a], [b]) => a.localeCompare(b));
  if (common.length === 0) return undefined;
  if (q.groupOwnsUsage) {
    const commonDays = new Set(common.map(([day]) => day));
    const groups = [new Set<string | null>(), new Set<string | null>()];
    for (const r of compared) if (commonDays.has(r.day)) groups[r.mine ? 0 : 1]!.add(r.group);
    const [mine, theirs] = groups as [Set<string | null>, Set<string | null>];
    if (!mine.has(null) && !theirs.has(null) && ![...mine].some((g) => theirs.has(g))) return undefined;
  }
  const same = common.every(([, [mine, theirs]]) => mine.size === theirs.size && [...mine].every(([what, m]) => {
    const t = theirs.get(what);
    const gap = t === undefined ? CENT_TICKS + 1n : m.ticks > t.ticks ? m.ticks - t.ticks : t.ticks - m.ticks;
    return t !== undefined && t.tokens === m.tokens && gap <= CENT_TICKS;
  }));
  return { kind: same ? 'same-usage' : 'maybe', firstDay: common[0]![0], lastDay: common[common.length - 1]![0] };
}

/**
 * What an account names past `NAME/` (`--account`): with `kindInAccount`, `kind` or
 * `kind:group`, else `group`; a group left empty is none (usage of no group).
 */
function accountParts(account: string | null, kindInAccount: boolean): { kind: string; group: string | null } {
  const own = account ?? '';
  const rest = own.slice(own.indexOf('/') + 1);
  const colon = kindInAccount ? rest.indexOf(':') : -1;
  const kind = !kindInAccount ? '' : colon === -1 ? rest : rest.slice(0, colon);
  const group = !kindInAccount ? rest : colon === -1 ? '' : rest.slice(colon + 1);
  return { kind, group: group === '' ? null : group };
}
