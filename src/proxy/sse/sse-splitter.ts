/**
 * Incremental Server-Sent Events framing: bytes arrive in arbitrary chunks; events end
 * at a blank line. Line endings are normalised to `\n` (the spec allows CRLF and CR),
 * and a chunk that ends inside an event keeps that part until the next chunk.
 */
export class SseSplitter {
  #pending = '';

  /** Feeds decoded text and calls `onEvent` with each complete event's text (no trailing blank line). */
  push(text: string, onEvent: (raw: string) => void): void {
    let buffer = this.#pending + text;
    if (buffer.includes('\r')) {
      // A trailing CR may be the first half of a CRLF split across chunks: keep it raw.
      const tail = buffer.endsWith('\r') ? '\r' : '';
      buffer = (tail ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, '\n') + tail;
    }
    let start = 0;
    for (let end = buffer.indexOf('\n\n', start); end !== -1; end = buffer.indexOf('\n\n', start)) {
      if (end > start) onEvent(buffer.slice(start, end));
      start = end + 2;
    }
    this.#pending = start === 0 ? buffer : buffer.slice(start);
  }

  /** What is left when the stream ends: an event without its blank line, or ''. */
  rest(): string {
    const rest = this.#pending;
    this.#pending = '';
    return rest.replace(/\r$/, '');
  }
}

export interface SseEvent {
  event: string | undefined;
  /** The `data:` lines joined with `\n`; undefined for a comment-only event. */
  data: string | undefined;
}

/** Parses one event's text into its name and data (comments and other fields ignored). */
export function parseSseEvent(raw: string): SseEvent {
  // The common case: a single `data: …` line.
  if (raw.startsWith('data: ') && !raw.includes('\n')) return { event: undefined, data: raw.slice(6) };
  let event: string | undefined;
  let data: string | undefined;
  for (const line of raw.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') event = value;
  }
  return { event, data };
}
