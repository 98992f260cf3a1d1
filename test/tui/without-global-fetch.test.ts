// top loads Ink with the global fetch hidden, so that Yoga decodes its WebAssembly itself
// instead of fetching its own data: URL through Node's HTTP client (without-global-fetch.ts).
import { describe, expect, it } from 'vitest';
import { withoutGlobalFetch } from '../../src/tui/without-global-fetch.js';

describe('withoutGlobalFetch', () => {
  it('hides fetch while loading and puts the same function back', async () => {
    const before = globalThis.fetch;
    const seen = await withoutGlobalFetch(async () => typeof globalThis.fetch);
    expect(seen).toBe('undefined');
    expect(globalThis.fetch).toBe(before);
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')?.configurable).toBe(true);
  });

  it('puts fetch back when the load fails, and passes the failure on', async () => {
    const before = globalThis.fetch;
    await expect(withoutGlobalFetch(() => Promise.reject(new Error('no such module')))).rejects.toThrow('no such module');
    expect(globalThis.fetch).toBe(before);
  });

  it('Yoga (Ink’s layout) loads and lays out without fetch', async () => {
    const layout = await withoutGlobalFetch(async () => {
      const { default: Yoga } = await import('yoga-layout');
      const node = Yoga.Node.create();
      node.setWidth(80);
      node.setHeight(24);
      node.calculateLayout(undefined, undefined);
      const width = node.getComputedWidth();
      node.free();
      return width;
    });
    expect(layout).toBe(80);
  });
});
