import { describe, expect, it } from 'vitest';
import { granularityOfSeconds, readJsonPages, type CollectBuckets } from '../../src/importers/json-pages.js';

/** A source whose pages are `{"data": [n, …]}` and whose buckets are numbers. */
const collect: CollectBuckets<number> = (value, line, out) => {
  if (Array.isArray(value)) {
    for (const v of value) {
      const error = collect(v, line, out);
      if (error) return error;
    }
    return undefined;
  }
  const data = (value as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return 'expected {"data": [...]}';
  for (const n of data) out.push({ line, bucket: Number(n) });
  return undefined;
};

describe('readJsonPages', () => {
  it('reads one document, an array of pages, or pages one per line, keeping each bucket\'s line', () => {
    expect(readJsonPages('{"data":[1,2]}', collect, 'page')).toEqual({ ok: true, buckets: [{ line: 1, bucket: 1 }, { line: 1, bucket: 2 }] });
    expect(readJsonPages('[{"data":[1]},{"data":[2]}]', collect, 'page')).toEqual({ ok: true, buckets: [{ line: 1, bucket: 1 }, { line: 1, bucket: 2 }] });
    expect(readJsonPages('{"data":[1]}\n\n{"data":[2,3]}\n', collect, 'page')).toEqual({
      ok: true,
      buckets: [{ line: 1, bucket: 1 }, { line: 3, bucket: 2 }, { line: 3, bucket: 3 }],
    });
  });

  it('names the line of a page that is not JSON or not a page', () => {
    expect(readJsonPages('{"data":[1]}\n{"data":', collect, 'report page')).toEqual({
      ok: false, line: 2, message: 'not valid JSON (expected one report page per line, or one JSON document)',
    });
    expect(readJsonPages('{"data":[1]}\n{"rows":[]}', collect, 'page')).toEqual({ ok: false, line: 2, message: 'expected {"data": [...]}' });
    expect(readJsonPages('{"rows":[]}', collect, 'page')).toEqual({ ok: false, line: 1, message: 'expected {"data": [...]}' });
  });
});

describe('granularityOfSeconds', () => {
  it('maps 1m and 1h buckets to hour, 1d to day, longer to month', () => {
    expect([60, 3600, 3601, 86_400, 86_401, 2_678_400].map(granularityOfSeconds)).toEqual(['hour', 'hour', 'day', 'day', 'month', 'month']);
  });
});
