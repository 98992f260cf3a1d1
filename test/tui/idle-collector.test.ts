import { afterEach, describe, expect, it, vi } from 'vitest';
import { fullGc, startIdleCollector } from '../../src/tui/idle-collector.js';

const MB = 1024 * 1024;

describe('startIdleCollector', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('collects once the old generation has grown by the step since the last collection', () => {
    vi.useFakeTimers();
    let used = 10 * MB;
    const collect = vi.fn(() => {
      used = 11 * MB; // what a full GC leaves live
    });
    const stop = startIdleCollector({ growthBytes: 4 * MB, checkMs: 1000, oldGenerationUsed: () => used, collect });
    used = 13.9 * MB;
    vi.advanceTimersByTime(1000);
    expect(collect).not.toHaveBeenCalled();
    used = 14 * MB;
    vi.advanceTimersByTime(1000);
    expect(collect).toHaveBeenCalledTimes(1);
    // Measured from what the collection left (11 MB), not from the first floor.
    used = 14.5 * MB;
    vi.advanceTimersByTime(1000);
    expect(collect).toHaveBeenCalledTimes(1);
    used = 15 * MB;
    vi.advanceTimersByTime(1000);
    expect(collect).toHaveBeenCalledTimes(2);
    stop();
    used = 100 * MB;
    vi.advanceTimersByTime(5000);
    expect(collect).toHaveBeenCalledTimes(2);
  });

  it("counts V8's own collections: growth is measured from the lowest level seen since", () => {
    vi.useFakeTimers();
    let used = 12 * MB;
    const collect = vi.fn();
    const stop = startIdleCollector({ growthBytes: 4 * MB, checkMs: 500, oldGenerationUsed: () => used, collect });
    used = 15 * MB;
    vi.advanceTimersByTime(500);
    used = 9 * MB; // V8 collected on its own
    vi.advanceTimersByTime(500);
    used = 12.5 * MB; // 3.5 MB above 9: not yet
    vi.advanceTimersByTime(500);
    expect(collect).not.toHaveBeenCalled();
    used = 13 * MB;
    vi.advanceTimersByTime(500);
    expect(collect).toHaveBeenCalledTimes(1);
    stop();
  });

  it('fullGc is a real full collection', () => {
    const gc = fullGc();
    gc();
    const before = process.memoryUsage().heapUsed;
    let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `row-${i}` }));
    expect(process.memoryUsage().heapUsed - before).toBeGreaterThan(8 * MB);
    garbage = undefined;
    expect(garbage).toBeUndefined();
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(2 * MB);
  });
});
