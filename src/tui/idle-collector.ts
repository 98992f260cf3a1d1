/**
 * Keeps the dashboard's old generation close to what it really holds. V8 starts a major
 * GC only once the old generation has grown 8 MB past what the last one left live
 * (its minimum step, whatever the growing factor), so a dashboard holding ~13 MB peaked
 * near 21 MB, and at 500 requests/s the rows it reads reach the old generation at
 * ~1 MB/s. Browsers spend idle time between frames on that collection; Node offers no
 * idle-time GC, so this checks once a second, between frames, and collects when the old
 * generation has grown by `growthBytes` since the last collection (V8's or its own).
 * A major GC of the dashboard's heap takes 10–25 ms (bench:top), one every few seconds at
 * 500 requests/s: under 1% of a core.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleCollectorOptions {
  /** Growth of the old generation since the last collection that triggers one. */
  growthBytes: number;
  /** How often to look (a timer that never keeps the process alive). */
  checkMs: number;
  /** Bytes in use in the old generation (tests pass their own). */
  oldGenerationUsed?: () => number;
  /** A full collection (tests pass their own). */
  collect?: () => void;
}

/** Starts checking; returns the function that stops it. */
export function startIdleCollector(options: IdleCollectorOptions): () => void {
  const used = options.oldGenerationUsed ?? oldSpaceUsed;
  const collect = options.collect ?? fullGc();
  let floor = used();
  const timer = setInterval(() => {
    const now = used();
    // Less than last time: V8 collected on its own since.
    if (now < floor) floor = now;
    if (now - floor < options.growthBytes) return;
    collect();
    floor = used();
  }, options.checkMs);
  timer.unref();
  return () => clearInterval(timer);
}

function oldSpaceUsed(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;
}

/**
 * V8's `gc()`, which Node exposes only with --expose-gc: raising the flag at run time
 * makes it a global of contexts created afterwards, such as a vm context's.
 */
export function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
