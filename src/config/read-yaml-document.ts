/**
 * Reads the YAML of an llmfin file (llmfin.yaml, a routing policy file) into plain values,
 * with the line of any option in it, so that every such file is read, and its mistakes
 * worded and placed, the same way: `candidate.yaml:4: not valid YAML: expected one YAML
 * document, found another after a "---" line`.
 */
import { isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { ConfigError } from './config-error.js';

export interface YamlDocument {
  /** The file's values, an option left empty read as absent (see emptyAsAbsent). */
  value: unknown;
  /**
   * The line of the option at `path`, else of the nearest option above it that the file
   * has: a required option left out (`models:` misspelt) is reported at its parent's line.
   * With `unknownKey`, the line of that key under `path`: an unknown option is reported
   * where it is written, not at the mapping that holds it.
   */
  lineOf(path: readonly string[], unknownKey?: string): number | undefined;
}

/** Parses `text`; a YAML mistake is a ConfigError placed in `file` (which is only used in messages). */
export function readYamlDocument(text: string, file: string): YamlDocument {
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *shared`) as most YAML users know them, though YAML 1.2 dropped them.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    // The yaml library's own advice for several documents names one of its functions.
    const message = firstError.code === 'MULTIPLE_DOCS' ? 'expected one YAML document, found another after a "---" line' : firstError.message.split('\n')[0];
    throw new ConfigError(file, line, `not valid YAML: ${message}`);
  }
  let js: unknown;
  try {
    js = doc.toJS();
  } catch (error) {
    // An alias whose anchor is not set before it (the parser leaves it for toJS to find),
    // placed at its line; or anchors and aliases that expand past the yaml library's limit (a "billion laughs").
    throw new ConfigError(file, lineOfUnresolvedAlias(doc, lineCounter) ?? 1, `not valid YAML: ${(error as Error).message}`);
  }
  return { value: emptyAsAbsent(js), lineOf: (path, unknownKey) => lineOf(doc, lineCounter, path, unknownKey) };
}

function lineOfUnresolvedAlias(doc: Document, lc: LineCounter): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined || !node.range) return undefined;
      line = lc.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}

function lineOf(doc: Document, lc: LineCounter, path: readonly string[], unknownKey: string | undefined): number | undefined {
  if (unknownKey !== undefined) {
    const container = path.length === 0 ? doc.contents : doc.getIn(path, true);
    const items = container !== null && typeof container === 'object' && 'items' in container ? (container as { items: Array<{ key?: unknown }> }).items : [];
    for (const { key } of items) {
      if (isNode(key) && String((key as { value?: unknown }).value) === unknownKey && key.range) return lc.linePos(key.range[0]).line;
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * An option left empty (null in YAML) as absent, at every depth: it means "use the default".
 * It is read as absent, not deleted: an unknown option left empty is still reported, and
 * so is an empty value where one is required (`scope: { team: }` is not the whole org).
 */
export function emptyAsAbsent(value: unknown): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => (v === null ? v : emptyAsAbsent(v)));
  // Only plain mappings are walked: a tagged value (!!binary bytes, a !!timestamp date, a
  // !!set) stays itself, so that a mistake names it as such instead of as a mapping of its parts.
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = emptyAsAbsent(v);
    return out;
  }
  return value;
}
