/**
 * Importer for OpenTelemetry traces with GenAI attributes, as OTLP/JSON: one
 * ExportTraceServiceRequest document (`{"resourceSpans": [...]}`), or JSONL with one
 * such request per line (what the Collector's file exporter writes). One ledger row
 * per span that reports token usage, and per model call that does not (its cost
 * unknown, see `isBareCall`); see otel-span.ts for the mapping.
 *
 * Agent frameworks often put the summed usage of an agent run on the `invoke_agent`
 * span as well as on each model call under it; a span with usage that has a descendant
 * with usage is such a total and is skipped, so that tokens are counted once. A total
 * whose model calls are in another file (the Collector rotated its file between them) is
 * found after recording, from the span ids each row keeps of the spans above and below it
 * in its file (ledger/queries/span-totals.ts).
 */
import type { Importer, ImportContext, ImportItem } from '../importer.js';
import { MAX_LINE_CHARS, type SourceInput } from '../source-input.js';
import { parseJsonDocument, unreadableDocument } from '../json-document.js';
import { attributes, hasUsage, isBareCall, readSpan, type Attributes, type SpanLinks } from './otel-span.js';

interface FoundSpan {
  span: Record<string, unknown>;
  attrs: Attributes;
  resource: Attributes;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isExport(v: unknown): v is { resourceSpans: unknown[] } {
  return isObject(v) && Array.isArray(v.resourceSpans);
}

/** Every span of one export request, with its resource's attributes. */
function* spansOf(doc: { resourceSpans: unknown[] }): Generator<FoundSpan> {
  for (const rs of doc.resourceSpans) {
    if (!isObject(rs)) continue;
    const resource = attributes(isObject(rs.resource) ? rs.resource.attributes : undefined);
    for (const ss of Array.isArray(rs.scopeSpans) ? rs.scopeSpans : Array.isArray(rs.instrumentationLibrarySpans) ? rs.instrumentationLibrarySpans : []) {
      if (!isObject(ss) || !Array.isArray(ss.spans)) continue;
      for (const span of ss.spans) if (isObject(span)) yield { span, attrs: attributes(span.attributes), resource };
    }
  }
}

const id = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '');

/** Collects the trace tree of the file, to find usage spans that are totals of their descendants. */
class Totals {
  private readonly parents = new Map<string, string>();
  private readonly children = new Map<string, string[]>();
  private readonly usage = new Set<string>();
  add({ span, attrs }: FoundSpan): void {
    const trace = id(span.traceId);
    const key = `${trace}:${id(span.spanId)}`;
    const parent = id(span.parentSpanId);
    if (parent !== '') {
      const parentKey = `${trace}:${parent}`;
      this.parents.set(key, parentKey);
      const siblings = this.children.get(parentKey);
      if (siblings) siblings.push(key);
      else this.children.set(parentKey, [key]);
    }
    if (hasUsage(attrs)) this.usage.add(key);
  }
  /**
   * The span ids above a span in this file (up to and including the first parent the file
   * does not have) and below it: what span-totals.ts matches across files.
   */
  links(key: string): SpanLinks {
    const spanId = (k: string) => k.slice(k.indexOf(':') + 1);
    const ancestors: string[] = [];
    const seen = new Set<string>([key]);
    for (let p = this.parents.get(key); p !== undefined && !seen.has(p); p = this.parents.get(p)) {
      seen.add(p);
      ancestors.push(spanId(p));
    }
    const descendants: string[] = [];
    const queue = [...(this.children.get(key) ?? [])];
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
      if (seen.has(k)) continue;
      seen.add(k);
      descendants.push(spanId(k));
      queue.push(...(this.children.get(k) ?? []));
    }
    return { ancestors, descendants };
  }
  /** Whether a span above or below this one reports usage (a model call without usage is then its wrapper, or wrapped). */
  nearUsage(key: string): boolean {
    const seen = new Set<string>([key]);
    for (let p = this.parents.get(key); p !== undefined && !seen.has(p); p = this.parents.get(p)) {
      if (this.usage.has(p)) return true;
      seen.add(p);
    }
    const queue = [...(this.children.get(key) ?? [])];
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
      if (seen.has(k)) continue;
      if (this.usage.has(k)) return true;
      seen.add(k);
      queue.push(...(this.children.get(k) ?? []));
    }
    return false;
  }
  /** Keys of usage spans with a usage span below them. */
  aggregates(): Set<string> {
    const out = new Set<string>();
    for (const key of this.usage) {
      const seen = new Set<string>([key]);
      for (let p = this.parents.get(key); p !== undefined && !seen.has(p); p = this.parents.get(p)) {
        seen.add(p);
        out.add(p);
      }
    }
    return new Set([...this.usage].filter((k) => out.has(k)));
  }
}

function* itemsOf(doc: { resourceSpans: unknown[] }, totals: Totals, skip: Set<string>, lineOf: (spanId: string) => number, ctx: ImportContext): Generator<ImportItem> {
  for (const found of spansOf(doc)) {
    const key = `${id(found.span.traceId)}:${id(found.span.spanId)}`;
    const usage = hasUsage(found.attrs);
    // A call without usage wrapping (or wrapped by) one with usage is the same call, counted there.
    const bare = !usage && isBareCall(found.span, found.attrs) && !totals.nearUsage(key);
    if ((!usage && !bare) || skip.has(key)) continue;
    const line = lineOf(id(found.span.spanId));
    // A bare call keeps no links: its span never makes another file's span a total, nor is one.
    const r = readSpan(found, ctx, bare ? undefined : totals.links(key));
    yield r.ok ? { kind: 'entry', line, entry: r.entry } : { kind: 'issue', line, column: r.column, message: r.message };
  }
}

/** Line of each `"spanId": "…"` in a pretty-printed document, for messages. */
function spanLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const re = /"spanId"\s*:\s*"([0-9a-fA-F]*)"|\n/g;
  let line = 1;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '\n') line++;
    else if (!lines.has(m[1]!.toLowerCase())) lines.set(m[1]!.toLowerCase(), line);
  }
  return lines;
}

/**
 * Why a trace file imported no row: a Collector's file holds every span of the apps it
 * serves, and one written while no model was called has none of ours. That is no error
 * (a glob of rotated files must not stop at it), but an import of 0 rows and $0 says why.
 */
function noModelCalls(spans: number): ImportItem {
  const what = spans === 0 ? 'no spans' : `${spans} ${spans === 1 ? 'span' : 'spans'}, none of them a GenAI model call (gen_ai.* attributes)`;
  return { kind: 'note', note: `the file has ${what}: nothing to import from it` };
}

const NOT_EXPORT = 'expected an OTLP/JSON trace export ({"resourceSpans": [...]})';

async function firstLine(input: SourceInput): Promise<string | undefined> {
  try {
    for await (const { text } of input.lines()) if (text.trim() !== '') return text.trim();
  } catch {
    // Unreadable (corrupt gzip): reported when the whole text is read.
  }
  return undefined;
}

export const otelImporter: Importer = {
  id: 'otel',
  description: 'OpenTelemetry GenAI spans (OTLP/JSON traces, one document or JSONL): one row per model call (of unknown cost when its span reports no usage)',
  obtain: 'an OpenTelemetry Collector `file` exporter (JSON) or an OTLP/HTTP JSON payload saved to disk, from apps instrumented with the GenAI semantic conventions',
  provenance: 'metered',
  replacesPeriod: false,
  accountOption: { refused: 'its rows are keyed by trace and span ids that no other organisation\'s traces have, and never replace a period' },
  spanTotals: true,
  detect({ head }) {
    if (!head.trimStart().startsWith('{')) return { ok: false, reason: 'not a JSON document' };
    if (!/"resourceSpans"\s*:/.test(head)) {
      if (/"resource(Metrics|Logs)"\s*:/.test(head)) return { ok: false, reason: 'OTLP metrics or logs, not traces (no "resourceSpans")' };
      return { ok: false, reason: 'no "resourceSpans" key (not an OTLP/JSON trace export)' };
    }
    return /"gen_ai\./.test(head) ? { ok: true } : { ok: false, reason: 'OTLP traces without GenAI attributes (gen_ai.*) in the first 64 KiB' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    const first = await firstLine(input);
    let jsonl = false;
    if (first !== undefined) {
      try {
        jsonl = isExport(JSON.parse(first));
      } catch {
        // Not one request per line: a (pretty-printed) document, read whole below.
      }
    }
    if (!jsonl) {
      const text = await input.text().catch((e: unknown) => e as Error);
      if (text instanceof Error) {
        yield { kind: 'issue', line: 1, message: `${NOT_EXPORT}, got unreadable data (${text.message})`, wholeFile: true };
        return;
      }
      const doc = parseJsonDocument(text);
      if (!doc.ok) throw unreadableDocument(input.fileName, doc.line, doc.message);
      if (!isExport(doc.value)) {
        yield { kind: 'issue', line: 1, message: `${NOT_EXPORT}, got ${isObject(doc.value) ? 'an object without it' : 'another JSON value'}`, wholeFile: true };
        return;
      }
      const totals = new Totals();
      let spans = 0;
      for (const s of spansOf(doc.value)) {
        totals.add(s);
        spans++;
      }
      const lines = spanLines(text);
      let rows = 0;
      for (const item of itemsOf(doc.value, totals, totals.aggregates(), (spanId) => lines.get(spanId) ?? 1, ctx)) {
        rows++;
        yield item;
      }
      if (rows === 0) yield noModelCalls(spans);
      return;
    }
    // JSONL: a first pass learns the trace trees (parents and children may be exported on different lines).
    const totals = new Totals();
    let spans = 0;
    for await (const { text } of input.lines({ maxLineChars: MAX_LINE_CHARS })) {
      try {
        const doc: unknown = JSON.parse(text);
        if (!isExport(doc)) continue;
        for (const s of spansOf(doc)) {
          totals.add(s);
          spans++;
        }
      } catch {
        // Reported by the second pass.
      }
    }
    const skip = totals.aggregates();
    let rows = 0;
    let unfinished = false;
    for await (const { line, text, unterminated } of input.lines({ maxLineChars: MAX_LINE_CHARS })) {
      if (text.trim() === '') continue;
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        // The collector's file exporter appends a request a line as spans arrive, so a file
        // read while it runs may end inside one: that line is the next import's.
        if (unterminated === true) {
          unfinished = true;
          yield { kind: 'unfinished', line };
          continue;
        }
        yield { kind: 'issue', line, message: `${NOT_EXPORT} on this line, got invalid JSON` };
        continue;
      }
      if (!isExport(doc)) {
        yield { kind: 'issue', line, message: `${NOT_EXPORT} on this line, got another JSON value` };
        continue;
      }
      for (const item of itemsOf(doc, totals, skip, () => line, ctx)) {
        rows++;
        yield item;
      }
    }
    if (rows === 0 && !unfinished) yield noModelCalls(spans);
  },
};
