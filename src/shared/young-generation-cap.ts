/**
 * Caps V8's young generation at run time. Node only takes `--max-semi-space-size` on its
 * command line, which a CLI started as `llmfin proxy` (or through npx) does not control;
 * but the young generation grows by doubling after scavenges, and V8 reads
 * `--semi-space-growth-factor` at each growth. So: watch the scavenges, and once the young
 * generation has reached `maxMb`, set the factor to 1.
 *
 * Two leaks in the cap, each one doubling: the watch hears of a scavenge a moment after it
 * (observers are called asynchronously), and V8 puts the factor back to 2 whenever an
 * isolate is created (a worker thread, such as the proxy's ledger writer) — the next
 * growth is then seen and the factor set again.
 *
 * Why a server wants this: under load V8 doubles the young generation to 2 × 16 MB; that
 * is RSS a busy proxy keeps, for scavenges that are no cheaper.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

const MB = 1024 * 1024;

function youngGenerationMb(): number {
  return (getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) / MB;
}

/** Starts watching the scavenges; returns a function that stops. */
export function capYoungGeneration(maxMb: number): () => void {
  let cappedAt = 0;
  const check = () => {
    const size = youngGenerationMb();
    // Once per size reached: a larger size later means the factor was put back.
    if (size < maxMb || size === cappedAt) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    cappedAt = size;
  };
  check();
  const observer = new PerformanceObserver(check);
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
