/** `llmfin attribute`: the rules and their coverage, or one row's decisions explained. */
import type { CliContext } from '../cli-context.js';
import { emit } from '../output/emit.js';
import { Attributor } from '../../attribution/attributor.js';
import { IDENTIFIER_FIELDS, isIdentifierField, type Identifiers } from '../../attribution/identifiers.js';
import { entryIdentifiers, entryIdsByKey } from '../../ledger/queries/entry-identifiers.js';
import { buildReport } from '../../reports/build-report.js';
import { UsageError } from '../../shared/errors.js';

const MAIN_DIMENSIONS = ['team', 'feature', 'customer', 'agent', 'environment', 'project'];

export async function attributeCommand(ctx: CliContext, opts: { explain?: string }): Promise<void> {
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
    for (const d of dims) {
      const r = await buildReport(ledger, attributor, { by: [d], basis: 'default' });
      const un = r.rows.find((row) => row[d] === '(unattributed)');
      coverage.push({ dimension: d, values: r.rows.filter((row) => row[d] !== '(unattributed)').length, unattributed_share: un?.share ?? 0, unattributed_usd: un?.cost_usd ?? 0 });
    }
    emit(ctx, {
      title: `${config.attribution.rules.length} attribution rule(s); spend left unattributed per dimension (all time, default basis)`,
      json: { rules: config.attribution.rules, rows: coverage },
      table: {
        columns: [
          { key: 'dimension', header: 'DIMENSION' },
          { key: 'values', header: 'VALUES', align: 'right' },
          { key: 'un', header: 'UNATTRIBUTED', align: 'right' },
        ],
        rows: coverage.map((c) => ({ dimension: c.dimension, values: c.values, un: `${(c.unattributed_share * 100).toFixed(1)}%` })),
      },
    });
  } finally {
    await ledger.close();
  }
}

const EXAMPLE = 'such as "api_key=sk-support-1,project=proj_web,tags.env=prod"';

/** `--explain "api_key=…,tags.env=prod"`: identifier → value, each field once (`tags.KEY` for a tag). */
function parseIdentifiers(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
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

async function explain(ctx: CliContext, attributor: Attributor, dims: string[], target: string): Promise<void> {
  let ids: Identifiers;
  let subject: string;
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
      ids = row.ids;
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
  emit(ctx, {
    title: `Attribution of ${subject}`,
    json: { subject, identifiers: ids, rows: decisions },
    table: {
      columns: [
        { key: 'dimension', header: 'DIMENSION' },
        { key: 'value', header: 'VALUE' },
        { key: 'by', header: 'SET BY' },
      ],
      rows: decisions.map((d) => ({
        dimension: d.dimension,
        value: d.value ?? '(unattributed)',
        by: d.by === 'rule' ? (d.rule === `rule ${d.index + 1}` ? d.rule : `rule ${d.index + 1} (${d.rule})`) : d.by === 'recorded' ? `recorded on the row (${d.field})` : 'no rule matched',
      })),
    },
  });
}
