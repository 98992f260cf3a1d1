/**
 * Re-prices history after the catalogue changed (`llmfin pricing update`, a discount in
 * llmfin.yaml, a custom model added for rows that were unpriced). Every row keeps its
 * tokens in the ledger's one taxonomy, so a row priced by llmfin (metered, provider usage)
 * is priced again from those columns at its own time, and a billed row's estimate beside
 * the bill is recomputed — or made, for a bill imported with its usage while its model had
 * no price (a custom model added since) — the bill itself is never touched. A bill that
 * came without usage (an amount per line item) gets no estimate, and an unpriced row without
 * usage (an images or file-search bucket of a usage export) no price: $0 would be a lie.
 * Rows whose price is unchanged are left alone (an updated row's day is recomputed in the
 * daily rollup by the schema's trigger).
 * One transaction: a failure leaves the ledger as it was.
 */
import { sql } from 'kysely';
import type { LedgerStore } from '../ledger/ledger-store.js';
import { LONG_CONTEXT_REF, unpricedSearchNote, type PriceRequest, type Pricer } from '../pricing/pricer.js';
import type { ServiceTier } from '../pricing/catalogue-schema.js';
import { LEDGER_CONVENTION, ledgerUsage, type LedgerTokenColumns } from '../pricing/token-usage.js';
import { ticksToUsd, usdToTicks } from '../shared/money.js';
import { TOKEN_COUNT_COLUMNS } from '../ledger/ledger-schema.js';
import { REPRICED_KEY } from './repriced-mark.js';

const PAGE = 5000;

/** A row that carries usage to price: any token or web-search count (the columns default to 0). */
const HAS_USAGE = sql.raw(`(${[...TOKEN_COUNT_COLUMNS, 'web_search_requests'].map((c) => `${c} > 0`).join(' or ')})`);

export interface RepriceOptions {
  since?: string;
  until?: string;
  catalogueVersion: string;
  /** Compute and report, write nothing. */
  dryRun?: boolean;
}

export interface RepriceResult {
  rowsRead: number;
  rowsChanged: number;
  /** Rows that were unpriced and now have a price. */
  newlyPriced: number;
  /** Billed rows with usage that had no estimate beside the bill and now have one. */
  newlyEstimated: number;
  /** Rows that had a price and no longer resolve (kept as they were). */
  lostPrice: number;
  costBeforeTicks: bigint;
  costAfterTicks: bigint;
  estimateBeforeTicks: bigint;
  estimateAfterTicks: bigint;
}

interface Row {
  id: number;
  ts: string;
  provider: string;
  model: string | null;
  cost_status: string;
  requests: number;
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  input_audio_tokens: number;
  input_image_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  output_audio_tokens: number;
  output_image_tokens: number;
  web_search_requests: number;
  service_tier: string | null;
  region: string | null;
  offering: string | null;
  price_ref: string | null;
  cost_ticks: bigint | null;
  estimated_cost_ticks: bigint | null;
}

/** What pricing a ledger row again reads of it. */
export interface PricedRowColumns extends LedgerTokenColumns {
  ts: string;
  provider: string;
  /** Rows without a model are not priced; callers select rows that have one. */
  model: string | null;
  service_tier: string | null;
  region: string | null;
  offering: string | null;
  price_ref: string | null;
}

/** The price request that prices a ledger row again, as it was priced: its own time, tier, region, offering and long-context line. */
export function ledgerRowPriceRequest(row: PricedRowColumns): PriceRequest {
  return {
    provider: row.provider,
    model: row.model ?? '',
    at: new Date(row.ts),
    usage: ledgerUsage(row),
    convention: LEDGER_CONVENTION,
    serviceTier: (row.service_tier ?? undefined) as ServiceTier | undefined,
    region: row.region ?? undefined,
    offering: row.offering ?? undefined,
    // A long-context bill line stays one (its size per request was never known).
    longContext: row.price_ref?.endsWith(LONG_CONTEXT_REF) ?? false,
  };
}

export async function repriceLedger(ledger: LedgerStore, pricer: Pricer, options: RepriceOptions): Promise<RepriceResult> {
  const result: RepriceResult = { rowsRead: 0, rowsChanged: 0, newlyPriced: 0, newlyEstimated: 0, lostPrice: 0, costBeforeTicks: 0n, costAfterTicks: 0n, estimateBeforeTicks: 0n, estimateAfterTicks: 0n };
  const work = async (db: LedgerStore['db']) => {
    let after = 0;
    for (;;) {
      const page = (
        await sql<Row>`select id, ts, provider, model, cost_status, requests, input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
            input_audio_tokens, input_image_tokens, output_tokens, reasoning_tokens, output_audio_tokens, output_image_tokens, web_search_requests, service_tier, region, offering,
            price_ref, cost_ticks, estimated_cost_ticks
          from usage_entries
          where id > ${after} and model is not null and charge_category = 'usage'
            and (cost_status = 'priced' or (cost_status = 'unpriced' and ${HAS_USAGE}) or (cost_status = 'billed' and (estimated_cost_ticks is not null or ${HAS_USAGE})))
            ${options.since !== undefined ? sql`and ts >= ${options.since}` : sql``}
            ${options.until !== undefined ? sql`and ts < ${options.until}` : sql``}
          order by id limit ${PAGE}`.execute(db)
      ).rows;
      if (page.length === 0) break;
      after = page.at(-1)!.id;
      for (const row of page) {
        result.rowsRead++;
        const priced = pricer.price(ledgerRowPriceRequest(row));
        const billed = row.cost_status === 'billed';
        const before = billed ? row.estimated_cost_ticks : row.cost_ticks;
        if (billed) result.estimateBeforeTicks += before ?? 0n;
        else result.costBeforeTicks += before ?? 0n;
        // Web searches the model has no rate for, as an import names them (price-entry.ts);
        // a row of nothing but those has no price, rather than $0.
        const searchNote = priced.status === 'priced' ? unpricedSearchNote(priced) : null;
        if (priced.status !== 'priced' || (searchNote !== null && priced.cost.isZero())) {
          // Never turn a price into nothing: a model the new catalogue lost keeps its old price.
          if (before !== null) result.lostPrice++;
          if (billed) result.estimateAfterTicks += before ?? 0n;
          else result.costAfterTicks += before ?? 0n;
          continue;
        }
        const ticks = usdToTicks(priced.cost);
        if (billed) result.estimateAfterTicks += ticks;
        else result.costAfterTicks += ticks;
        if (ticks === before) continue;
        result.rowsChanged++;
        if (row.cost_status === 'unpriced') result.newlyPriced++;
        if (billed && before === null) result.newlyEstimated++;
        if (options.dryRun) continue;
        const exact = ticksToUsd(ticks).toFixed();
        if (billed) {
          await db.updateTable('usage_entries').set({ estimated_cost_usd: exact, estimated_cost_ticks: ticks }).where('id', '=', row.id).execute();
        } else {
          await db
            .updateTable('usage_entries')
            .set({ cost_usd: exact, cost_ticks: ticks, cost_status: 'priced', matched_model: priced.matchedModel, price_ref: priced.priceRef, catalogue_version: options.catalogueVersion, ...(row.cost_status === 'unpriced' ? { description: searchNote } : {}) })
            .where('id', '=', row.id)
            .execute();
        }
      }
    }
  };
  if (options.dryRun) await work(ledger.db);
  else {
    await ledger.db.transaction().execute(async (trx) => {
      await work(trx);
      if (result.rowsChanged > 0) {
        await sql`insert into meta (key, value) values (${REPRICED_KEY}, '1') on conflict (key) do update set value = cast(value as integer) + 1`.execute(trx);
      }
    });
  }
  return result;
}
