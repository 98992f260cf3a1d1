// The young-generation cap, in a child Node process of its own (V8 flags are process-wide).
// Allocation that doubles an uncapped young generation to 2 x 16 MB stops within one
// doubling of the cap, and within one more after a worker thread is created (which puts
// V8's growth factor back).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const CAP = pathToFileURL(join(import.meta.dirname, '../../dist/shared/young-generation-cap.js')).href;

function largestYoungGenerationMb(capMb: number | undefined, worker: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { Worker } from 'node:worker_threads';
    const { capYoungGeneration } = await import(${JSON.stringify(CAP)});
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    const stop = ${capMb === undefined ? '() => {}' : `capYoungGeneration(${capMb})`};
    let largest = young(), keep = [];
    const churn = async (rounds) => {
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < 20000; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 30000) keep = []; }
        largest = Math.max(largest, young());
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await churn(150);
    ${worker ? "const w = new Worker('setTimeout(() => {}, 10)', { eval: true });" : ''}
    await churn(300);
    ${worker ? 'await w.terminate();' : ''}
    stop();
    console.log(largest);
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return Number(r.stdout.trim());
}

describe('capYoungGeneration', () => {
  it('stops the young generation within a doubling of the cap, and one more per new worker', () => {
    expect(largestYoungGenerationMb(undefined, false)).toBeGreaterThanOrEqual(16);
    expect(largestYoungGenerationMb(4, false)).toBeLessThanOrEqual(8);
    expect(largestYoungGenerationMb(4, true)).toBeLessThanOrEqual(16);
  });
});
