import { describe, expect, it } from 'vitest';
import { formatDuration, formatImportProgress } from '../../src/importers/import-progress.js';

describe('import progress line', () => {
  it('shows rows, rate, share read and the time left', () => {
    // 40% of the file in 2 s: 3 s to go.
    expect(formatImportProgress('usage.csv', { rows: 120_000, bytesRead: 40, totalBytes: 100 }, 2000)).toBe('usage.csv: 120,000 rows · 60,000 rows/s · 40% · ETA 0:03');
  });

  it('gives no ETA in the first second, nor for an empty file', () => {
    expect(formatImportProgress('a.jsonl', { rows: 500, bytesRead: 10, totalBytes: 100 }, 500)).toBe('a.jsonl: 500 rows · 1,000 rows/s · 10%');
    expect(formatImportProgress('a.jsonl', { rows: 0, bytesRead: 0, totalBytes: 0 }, 5000)).toBe('a.jsonl: 0 rows · 0 rows/s');
    expect(formatImportProgress('a.jsonl', { rows: 0, bytesRead: 0, totalBytes: 100 }, 5000)).toBe('a.jsonl: 0 rows · 0 rows/s · 0%');
  });

  it('formats durations as m:ss and h:mm:ss', () => {
    expect([0, 5, 65, 600, 3723].map(formatDuration)).toEqual(['0:00', '0:05', '1:05', '10:00', '1:02:03']);
  });
});
