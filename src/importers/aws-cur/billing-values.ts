/**
 * Small value parsers shared by the cloud-bill importers (AWS CUR, Azure cost exports,
 * GCP billing export): exact decimal text, UTC times, token units, dedupe keys and token
 * usage in the ledger convention. Kept here until a shared
 * importer-helpers module exists; nothing in it is specific to AWS.
 */
import { createHash } from 'node:crypto';
import type { Pricer } from '../../pricing/pricer.js';
import { isResolved, resolveModel } from '../../pricing/resolve-model.js';
import type { ReportedUsage } from '../../pricing/token-usage.js';
import { dec, Dec, toTickUsd } from '../../shared/money.js';
import { OccurrenceCounter } from '../occurrence-counter.js';
import { ownString } from '../../shared/own-string.js';

/**
 * Billing rows give one token kind per row (one meter/SKU/usage type each), so usage is
 * built directly in the ledger's convention: input counts every input token, cache included.
 * This also sidesteps per-model convention overrides (Claude on Vertex excludes cache).
 */
export { LEDGER_CONVENTION } from '../../pricing/token-usage.js';

export type TokenKind = 'input' | 'output' | 'reasoning' | 'cacheRead' | 'cacheWrite5m' | 'cacheWrite1h' | 'inputAudio' | 'outputAudio' | 'inputImage' | 'outputImage';

/** One meter's tokens as a usage in LEDGER_CONVENTION; requests 0 because a bill row is not a request. */
export function tokenUsage(kind: TokenKind, n: number): ReportedUsage {
  const u: ReportedUsage = { input: 0, output: 0, requests: 0 };
  switch (kind) {
    case 'input': return { ...u, input: n };
    case 'cacheRead': return { ...u, input: n, cacheRead: n };
    case 'cacheWrite5m': return { ...u, input: n, cacheWrite5m: n };
    case 'cacheWrite1h': return { ...u, input: n, cacheWrite1h: n };
    case 'inputAudio': return { ...u, input: n, inputAudio: n };
    case 'inputImage': return { ...u, input: n, inputImage: n };
    case 'output': return { ...u, output: n };
    case 'reasoning': return { ...u, output: n, reasoning: n };
    case 'outputAudio': return { ...u, output: n, outputAudio: n };
    case 'outputImage': return { ...u, output: n, outputImage: n };
  }
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;

/** A plain decimal string from the source's text ("1.46E-8" → "0.0000000146"), or undefined if it is not one. */
export function decimalText(text: string | undefined): string | undefined {
  const t = text?.trim() ?? '';
  return DECIMAL.test(t) ? dec(t).toFixed() : undefined;
}

/** A rate's decimal text when it is a positive number (a currency rate divides), else undefined. */
export function positiveRate(text: string | undefined): string | undefined {
  const rate = decimalText(text);
  return rate !== undefined && dec(rate).greaterThan(0) ? rate : undefined;
}

/**
 * An amount billed in a currency that has `perUsd` units to the US dollar → USD, rounded
 * half-even to the ledger's tick (1e-10 USD): the way GCP (currency_conversion_rate) and
 * Azure (ExchangeRatePricingToBilling, prices in USD) give their rates.
 */
export function usdAtRate(amount: string, perUsd: string): string {
  return toTickUsd(dec(amount).div(dec(perUsd)));
}

/**
 * Whether an id cell is a number a spreadsheet rounded and wrote in scientific notation
 * (an AWS account id 111122223333 saved as "1.11122E+11"): its digits are lost, and two
 * accounts may now read the same.
 */
export function roundedId(text: string): boolean {
  return (text.includes('E+') || text.includes('e+')) && /^\d(\.\d+)?E\+\d+$/i.test(text);
}

/** Whether an id cell is a number a spreadsheet wrote with thousands separators ("111,122,223,333"). */
export function groupedId(text: string): boolean {
  return text.includes(',') && /^\d{1,3}(,\d{3})+$/.test(text);
}

/**
 * What a spreadsheet that read an AWS account id (always 12 digits) as a number did to it,
 * if anything: rounded it, grouped its digits, or dropped its leading zeros
 * (012345678901 saved as 12345678901). Each files the rows under an account that is not
 * theirs, beside the same account's rows from the export as AWS wrote it.
 */
export function awsAccountIdDamage(text: string): string | undefined {
  if (roundedId(text)) return 'a spreadsheet saved it as a rounded number';
  if (groupedId(text)) return 'a spreadsheet wrote it with thousands separators';
  if (/^\d{1,11}$/.test(text)) return 'a spreadsheet dropped its leading zeros';
  return undefined;
}

/** How to show a bad value in an issue message. */
export function shown(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return 'nothing';
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/** ISO 8601 / BigQuery / Athena times ("2026-10-04T10:00:00.000Z", "2026-10-04 10:00:00 UTC", "2026-10-04"); no zone means UTC. */
export function parseUtc(text: string | undefined): Date | undefined {
  const m = DATE_TIME.exec(text?.trim() ?? '');
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(t);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  const zone = m[8]?.toUpperCase();
  if (zone && zone !== 'Z' && zone !== 'UTC') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    t -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  }
  return new Date(t);
}

/** The bucket width of an aggregated bill row, from its time span. */
export function granularityOf(start: Date, end: Date | undefined): 'hour' | 'day' | 'month' {
  if (!end) return 'day';
  const hours = (end.getTime() - start.getTime()) / 3_600_000;
  return hours <= 1 ? 'hour' : hours <= 24 ? 'day' : 'month';
}

/**
 * Tokens per unit of a quantity: "1K tokens" → 1000, "1M" → 1,000,000, "Tokens"/"count" → 1.
 * Undefined for anything else ("1 Hour", "Units"): then no token estimate, never a guess.
 */
export function unitSize(text: string | undefined): number | undefined {
  const t = (text ?? '').trim().toLowerCase().replace(/,/g, '');
  const m = /^(\d+(?:\.\d+)?)?\s*(k|m|thousand|million)?\s*(tokens?|token count|count)?$/.exec(t);
  if (!m || t === '' || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return undefined;
  if (m[1] === undefined && m[2] !== undefined && m[3] === undefined) return undefined;
  const mult = m[2] === 'k' || m[2] === 'thousand' ? 1000 : m[2] === 'm' || m[2] === 'million' ? 1_000_000 : 1;
  const n = Number(m[1] ?? '1') * mult;
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** quantity × unit as a whole token count (exported quantities are rounded, so round back). */
export function tokensFrom(quantity: string, size: number): number | undefined {
  const n = new Dec(quantity).times(size).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber();
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A short stable hash of the fields that identify a row. */
export function hashKey(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/**
 * Dedupe keys unique within one file: a second row with the same identity (exports do
 * repeat identical lines) gets "#2", so it is neither dropped nor upserted over the first.
 */
export function uniqueKeys(): (key: string) => string {
  // A few bytes a row (OccurrenceCounter), not the key itself: a Map of every key of a
  // multi-million-row bill was most of an import's memory.
  const seen = new OccurrenceCounter();
  return (key) => {
    const n = seen.next(key);
    return n === 1 ? key : `${key}#${n}`;
  };
}

/**
 * The first candidate id the catalogue resolves for `provider`, or undefined: the caller
 * then keeps the model as the meter named it (an unpriced estimate, never a guess).
 */
export function modelResolver(pricer: Pricer): (provider: string, candidates: readonly string[], at: Date) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (provider, candidates, at) => {
    const key = `${provider}\u0000${at.toISOString().slice(0, 10)}\u0000${candidates.join('\u0000')}`;
    if (cache.has(key)) return cache.get(key);
    const hit = candidates.find((model) => isResolved(resolveModel(pricer.catalogue, { provider, model, at })));
    cache.set(ownString(key), hit === undefined ? undefined : ownString(hit));
    return hit;
  };
}
