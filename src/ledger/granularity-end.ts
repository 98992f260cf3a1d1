/**
 * Where a row recorded without an end stops, by its granularity: an hour, a day or a
 * calendar month after its start; a single request is an instant (end = start). The FOCUS
 * export writes it as ChargePeriodEnd, and llmfin's own format gives a month row this end
 * when the file has none (a month is what the layer rule shares out over its days).
 */
export function granularityEnd(start: Date, granularity: string): Date {
  if (granularity === 'hour') return new Date(start.getTime() + 3_600_000);
  if (granularity === 'day') return new Date(start.getTime() + 86_400_000);
  if (granularity === 'month') {
    return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate(), start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()));
  }
  return start;
}

/**
 * A month row's end, when llmfin's own format gives none. Without it the row is a point on
 * its first day: a report sharing out an invoice that covers only part of the month (the
 * layer rule reads rows longer than a day) would count the row whole beside the invoice's
 * share of the same days. Hour and day rows are never shared out, and keep no end.
 */
export function impliedMonthEnd(ts: string, granularity: string | undefined): string | null {
  return granularity === 'month' ? granularityEnd(new Date(ts), 'month').toISOString() : null;
}
