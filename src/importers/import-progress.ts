/**
 * The progress line `llmfin import` shows on a terminal: rows, rate, share of the file
 * read and the time left. The share comes from bytes read over the file's size (the
 * compressed size for gzip, read as compressed bytes), which is known from the start,
 * unlike the number of rows.
 */

export interface ImportProgress {
  /** Rows read so far (entries, plus rejected rows when skipping them). */
  rows: number;
  /** Bytes of the file read so far. */
  bytesRead: number;
  /** Size of the file in bytes. */
  totalBytes: number;
}

/** `1:05`, `12:00`, `1:02:03`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** `usage.csv: 120,000 rows · 60,000 rows/s · 40% · ETA 0:03`; no ETA before a second has passed. */
export function formatImportProgress(file: string, progress: ImportProgress, elapsedMs: number): string {
  const seconds = Math.max(0.001, elapsedMs / 1000);
  const rate = Math.round(progress.rows / seconds);
  const parts = [`${file}: ${progress.rows.toLocaleString('en-US')} rows`, `${rate.toLocaleString('en-US')} rows/s`];
  if (progress.totalBytes > 0) {
    const fraction = Math.min(1, progress.bytesRead / progress.totalBytes);
    parts.push(`${Math.floor(fraction * 100)}%`);
    // Too early, the rate is mostly start-up: say nothing rather than something wrong.
    if (fraction > 0 && elapsedMs >= 1000) parts.push(`ETA ${formatDuration((seconds * (1 - fraction)) / fraction)}`);
  }
  return parts.join(' · ');
}
