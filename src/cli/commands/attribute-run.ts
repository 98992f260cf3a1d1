/** `llmfin attribute`: the rules and their coverage, or one row's decisions explained. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { Attributor } from '../../attribution/attributor.js';
import { IDENTIFIER_FIELDS, isIdentifierField, type Identifiers } from '../../attribution/identifiers.js';
import { entryIdentifiers, entryIdsByKey, type EntryIdentifiers } from '../../ledger/queries/entry-identifiers.js';
import type { LedgerStore } from '../../ledger/ledger-store.js';
import { buildReport, type Basis } from '../../reports/build-report.js';
import { emptyWindowNote } from './empty-window-note.js';
import { noUsageYet } from '../../budgets/stale-ledger-hint.js';
import { FACT_COLUMNS, rollupAnswers, usageFacts, type FactColumn, type FactQuery } from '../../ledger/queries/usage-facts.js';
import { refreshRollups } from '../../ledger/rollups/refresh-rollups.js';
import { UsageError } from '../../shared/errors.js';
import { dec, formatUsd } from '../../shared/money.js';
import { countNoun, unpricedRowsWarning } from '../../shared/count-noun.js';
import { parseBasis, parsePeriod } from '../report-period.js';
import { windowEdge } from '../window-edge.js';

const MAIN_DIMENSIONS = ['team', 'feature', 'customer', 'agent', 'environment', 'project'];

export interface AttributeOptions {
  explain?: string;
  since?: string;
  until?: string;
  month?: string;
  basis?: string;
}

export async function attributeCommand(ctx: CliContext, opts: AttributeOptions): Promise<void> {
  // The coverage counts money as `llmfin report --by DIM` does for the same window and basis.
  const basis = parseBasis(opts.basis ?? 'default');
  const period = parsePeriod(opts);
  const { config } = await ctx.config();
  const attributor = new Attributor(config.attribution.rules);
  const dims = [...new Set([...MAIN_DIMENSIONS, ...config.attribution.dimensions, ...attributor.ruleDimensions])];
  if (opts.explain !== undefined) {
    await explain(ctx, attributor, dims, opts.explain);
    return;
  }
  const ledger = await ctx.openLedger({ create: false });
  try {
    const coverage = [];
    let unpriced = 0;
    let empty = false;
    for (const d of dims) {
      const r = await buildReport(ledger, attributor, { by: [d], ...period, basis });
      const un = r.rows.find((row) => row[d] === '(unattributed)');
      unpriced = r.total.unpriced_rows;
      empty = r.total_sums.rows === 0 && r.total_sums.cost_ticks === 0n;
      coverage.push({
        dimension: d,
        values: r.rows.filter((row) => row[d] !== '(unattributed)').length,
        unattributed_share: un?.share ?? 0,
        unattributed_usd: un?.cost_usd ?? 0,
        // Rows of an unknown model have no cost: a dimension they leave unattributed is not $0 unattributed.
        unattributed_unpriced_rows: un?.unpriced_rows ?? 0,
        exact: un?.cost_usd_exact ?? '0',
      });
    }
    const span = period.since === undefined && period.until === undefined ? 'all time' : `${period.since ? windowEdge(period.since) : 'the beginning'} to ${period.until ? `${windowEdge(period.until)} (exclusive)` : 'now'}`;
    const unmatched = await rulesMatchingNothing(ledger, attributor, period);
    emit(ctx, {
      title: `${countNoun(config.attribution.rules.length, 'attribution rule')}; spend left unattributed per dimension (${span}, ${basis} basis)`,
      json: { since: period.since ?? null, until: period.until ?? null, basis, rules: config.attribution.rules, unmatched_rules: unmatched, rows: coverage.map(({ exact: _exact, ...c }) => c) },
      table: {
        columns: [
          { key: 'dimension', header: 'DIMENSION' },
          { key: 'values', header: 'VALUES', align: 'right' },
          { key: 'usd', header: 'UNATTRIBUTED', align: 'right' },
          { key: 'share', header: 'SHARE', align: 'right' },
        ],
        // The money is the report's `(unattributed)` row for the same window and basis, to the cent.
        // A window with no spend has no share to leave unattributed: "–", not a 0.0% that
        // reads as all of it attributed.
        rows: coverage.map((c) => ({
          dimension: c.dimension,
          values: c.values,
          usd: empty ? '–' : c.unattributed_unpriced_rows === 0 ? formatUsd(dec(c.exact)) : dec(c.exact).isZero() ? 'unpriced' : `${formatUsd(dec(c.exact))} + unpriced`,
          share: empty ? '–' : `${(c.unattributed_share * 100).toFixed(1)}%`,
        })),
      },
    });
    if (ctx.globals.format !== 'json') {
      if (empty) ctx.info(await emptyWindowText(ledger, attributor, basis, period, span));
      if (unpriced > 0) {
        ctx.warn(
          unpricedRowsWarning(unpriced, `${unpriced === 1 ? 'its cost is' : 'their cost is'} in no UNATTRIBUTED amount or share; "unpriced" marks a dimension ${unpriced === 1 ? 'it leaves' : 'they leave'} unattributed`),
        );
      }
      for (const rule of unmatched) {
        const patterns = Object.entries(config.attribution.rules[rule.number - 1]!.match).map(([field, pattern]) => `${field}: ${pattern}`);
        const first = Object.keys(config.attribution.rules[rule.number - 1]!.match)[0]!;
        ctx.warn(
          `rule ${rule.number}${rule.name === `rule ${rule.number}` ? '' : ` (${rule.name})`} matches no ledger row${span === 'all time' ? '' : ` from ${span}`}, so it sets nothing: ` +
            `check its patterns (${patterns.join(', ')}) against the values the rows have${first.startsWith('tags.') ? '' : ` (\`llmfin report --by ${first}\` lists them)`}`,
        );
      }
    }
  } finally {
    await ledger.close();
  }
}

/**
 * What an attribute run over a window with no spend says: that there is nothing to
 * attribute there, and where the ledger's usage is (or that another layer has the window's
 * spend, for one --basis), rather than a table of $0.00 that reads as all attributed.
 */
async function emptyWindowText(ledger: LedgerStore, attributor: Attributor, basis: Basis, period: { since?: string; until?: string }, span: string): Promise<string> {
  const other = await emptyWindowNote(ledger, attributor, { basis, where: {}, ...period });
  if (other.onOtherLayers) return other.text;
  const { first, last } = other.span;
  const where =
    first === null || last === null
      ? noUsageYet(other.span)
      : `the ledger's usage runs from ${first.slice(0, 10)} to ${last.slice(0, 10)} — pick a window there with --month or --since/--until`;
  return `nothing to attribute ${span === 'all time' ? 'in the ledger' : `from ${span}`}: no spend in that window; ${where}`;
}

/**
 * The rules whose patterns match no usage row of the window on any layer: usually a typo
 * in a pattern (`proj_serch*`) or a value the source writes otherwise (`SK-` for `sk-`).
 * Such a rule sets nothing, and without a word the user would take its dimension's
 * coverage as what the rule achieves.
 */
async function rulesMatchingNothing(ledger: LedgerStore, attributor: Attributor, period: { since?: string; until?: string }): Promise<Array<{ number: number; name: string }>> {
  const rules = attributor.rules;
  if (rules.length === 0) return [];
  const columns = new Set<FactColumn>(['provider']);
  for (const rule of rules) for (const f of rule.fields) columns.add(f.startsWith('tags.') ? 'tags' : (f as FactColumn));
  const query: FactQuery = { columns: FACT_COLUMNS.filter((c) => columns.has(c)), grain: 'month', ...period };
  if (rollupAnswers(query)) await refreshRollups(ledger);
  const facts = (await usageFacts(ledger, query)).filter((f) => f.charge_category === 'usage');
  // A window without usage has nothing to judge a rule by.
  if (facts.length === 0) return [];
  const matched = new Set<number>();
  for (const fact of facts) {
    for (const rule of rules) if (!matched.has(rule.number) && attributor.matches(rule.number, fact.ids as Identifiers)) matched.add(rule.number);
    if (matched.size === rules.length) break;
  }
  return rules.filter((r) => !matched.has(r.number)).map(({ number, name }) => ({ number, name }));
}

const EXAMPLE = 'such as "api_key=sk-support-1,project=proj_web,tags.env=prod"';

/** `--explain "api_key=…,tags.env=prod"`: identifier → value, each field once (`tags.KEY` for a tag). */
function parseIdentifiers(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  // A comma separates identifiers only before another `field=`: a value may hold one (customer=Acme, Inc.).
  for (const part of text.split(/,(?=\s*[^=\s,]+\s*=)/)) {
    const m = /^\s*([^=\s]+)\s*=(.*)$/.exec(part);
    if (!m) throw new UsageError(`--explain: expected a ledger row id or identifiers ${EXAMPLE}, got "${part.trim()}"`, { option: '--explain' });
    const field = m[1]!;
    const value = m[2]!.trim();
    if (!isIdentifierField(field)) {
      throw new UsageError(`--explain: expected identifiers ${EXAMPLE}, got "${field}"`, { option: '--explain', hint: `identifiers: ${IDENTIFIER_FIELDS.join(', ')}, tags.KEY` });
    }
    if (value === '') throw new UsageError(`--explain: expected a value after "${field}=", got nothing`, { option: '--explain' });
    const before = out[field];
    if (before !== undefined && before !== value) throw new UsageError(`--explain: expected one value per identifier, got ${field}=${before} and ${field}=${value}`, { option: '--explain' });
    out[field] = value;
  }
  return out;
}

/**
 * What the row takes from its provider-month's bill, as reports count it (the default
 * basis; src/reports/layer-rule.ts poolIdentity): the identifiers all of the bill's money
 * records and the row does not, such as the one account a CUR or cost export is from, when
 * the row is of the layer that attributes that month. A proxy row knows no billing account;
 * `report --by account` and a rule matching `account` give it the bill's.
 */
async function billShares(ledger: LedgerStore, attributor: Attributor, dims: string[], row: EntryIdentifiers): Promise<{ shares: Record<string, string>; pool?: string }> {
  // Only a dimension whose identifiers (its own and those its rules read) the row does not
  // all record can take something from the bill: the month is grouped by those dimensions.
  const lacking = dims.filter((d) =>
    attributor.fieldsFor(d).some((field) => {
      const column = field.startsWith('tags.') ? 'tags' : field;
      const own = row.ids[column];
      return column !== 'provider' && (own === null || own === undefined || own === '');
    }),
  );
  if (lacking.length === 0) return { shares: {} };
  const month = row.ts.slice(0, 7);
  const day = row.ts.slice(0, 10);
  const start = new Date(`${month}-01T00:00:00.000Z`);
  const until = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)).toISOString();
  const report = await buildReport(ledger, attributor, { by: lacking, basis: 'default', since: start.toISOString(), until });
  const pool = report.pools.find(
    (p) => p.provider === row.ids.provider && p.month === month && (p.days === undefined || p.days.spans.some((s) => s.from <= day && day <= s.to)),
  );
  const shares: Record<string, string> = {};
  if (pool?.shared === undefined || pool.attributed_by !== row.provenance) return { shares };
  for (const [column, value] of Object.entries(pool.shared)) {
    const own = row.ids[column];
    if (typeof value === 'string' && (own === null || own === undefined || own === '')) shares[column] = value;
  }
  return { shares, pool: `${pool.provider} ${pool.month}` };
}

async function explain(ctx: CliContext, attributor: Attributor, dims: string[], target: string): Promise<void> {
  let ids: Identifiers;
  let subject: string;
  let shares: Record<string, string> | undefined;
  let sharedBy: string | undefined;
  if (/^\d+$/.test(target) || !target.includes('=')) {
    // A row number, or the id `llmfin export` writes for a row (its dedupe key, such as a
    // request id or an llmfin JSONL row's own id): the rows users can see ids of.
    const ledger = await ctx.openLedger({ create: false });
    try {
      let rowId = Number(target);
      if (!/^\d+$/.test(target)) {
        const found = await entryIdsByKey(ledger, target);
        if (found.length === 0) {
          throw new UsageError(`--explain: no ledger row has the id "${target}"; expected a ledger row number, a row's id as \`llmfin export\` writes it, or identifiers ${EXAMPLE}`, {
            option: '--explain',
          });
        }
        if (found.length > 1) {
          throw new UsageError(`--explain: ${found.length} ledger rows have the id "${target}": ${found.map((f) => `row ${f.id} (${f.source})`).join(', ')}`, {
            option: '--explain',
            hint: `give the row number, e.g. llmfin attribute --explain ${found[0]!.id}`,
          });
        }
        rowId = found[0]!.id;
      }
      const row = await entryIdentifiers(ledger, rowId);
      if (!row) throw new UsageError(`--explain: no ledger row ${target}`, { option: '--explain' });
      if (/^\d+$/.test(target)) {
        // Digits are a row number, but an llmfin JSONL row's own id can be digits too.
        const other = (await entryIdsByKey(ledger, target)).filter((f) => f.id !== rowId);
        for (const f of other) ctx.warn(`--explain ${target} is ledger row ${rowId}; the row whose id is "${target}" in \`llmfin export\` is row ${f.id} (${f.source}): \`llmfin attribute --explain ${f.id}\` explains it`);
      }
      const taken = await billShares(ledger, attributor, dims, row);
      shares = taken.shares;
      sharedBy = taken.pool;
      ids = { ...row.ids, ...shares };
      subject = `row ${row.id} (${row.provenance}, ${row.source}, ${row.ts})`;
    } finally {
      await ledger.close();
    }
  } else {
    const tags: Record<string, string> = {};
    ids = {};
    for (const [k, v] of Object.entries(parseIdentifiers(target))) {
      if (k.startsWith('tags.')) tags[k.slice(5)] = v;
      else (ids as Record<string, string>)[k] = v;
    }
    if (Object.keys(tags).length > 0) ids.tags = JSON.stringify(tags);
    subject = target;
  }
  const decisions = attributor.explain(ids, dims);
  const fromBill = Object.entries(shares ?? {}).map(([k, v]) => `${k === 'tags' ? 'tags' : k} ${v}`);
  emit(ctx, {
    title: `Attribution of ${subject}${fromBill.length > 0 ? `\n${fromBill.join(', ')} from the bill of ${sharedBy}, which all of its money records (as reports count it)` : ''}`,
    // A rule is known by its 1-based number, as the table and `unmatched_rules` name it.
    json: {
      subject,
      identifiers: ids,
      ...(shares !== undefined ? { bill_shares: shares } : {}),
      rows: decisions.map((d) => (d.by === 'rule' ? { dimension: d.dimension, value: d.value, by: d.by, rule: d.rule, number: d.index + 1 } : d)),
    },
    table: {
      columns: [
        { key: 'dimension', header: 'DIMENSION' },
        { key: 'value', header: 'VALUE' },
        { key: 'by', header: 'SET BY' },
      ],
      rows: decisions.map((d) => ({
        dimension: d.dimension,
        value: d.value ?? '(unattributed)',
        by:
          d.by === 'rule'
            ? d.rule === `rule ${d.index + 1}`
              ? d.rule
              : `rule ${d.index + 1} (${d.rule})`
            : d.by === 'recorded'
              ? shares !== undefined && Object.hasOwn(shares, d.field.startsWith('tags.') ? 'tags' : d.field)
                ? `its bill (${d.field})`
                : `recorded on the row (${d.field})`
              : 'no rule matched',
      })),
    },
  });
}
