/**
 * Runs `load` with the global `fetch` hidden. Yoga, Ink's layout engine, reads its
 * WebAssembly from a data: URL with fetch() whenever fetch exists, and on Node that one
 * read loads the whole built-in HTTP client (undici, with its own WebAssembly parser):
 * 3–6 MB of RSS kept for the dashboard's life (bench:top). Without fetch, Yoga
 * decodes the same bytes itself. fetch is put back as it was, unused and not loaded.
 */
export async function withoutGlobalFetch<T>(load: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!saved?.configurable) return load();
  delete (globalThis as { fetch?: unknown }).fetch;
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', saved);
  }
}
