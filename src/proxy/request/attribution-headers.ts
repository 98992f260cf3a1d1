/**
 * Attribution from `x-llmfin-*` request headers and the caller's proxy key. A proxy
 * key's tags win over headers (so callers cannot spoof them, LiteLLM #27134), and the
 * keys llmfin itself sets (`llmfin_key`, `run_id`, and routing's and the loop watch's
 * `routed_from`, `route_tier`, `loop`) cannot be set by headers at all.
 * Attribution rules from `llmfin.yaml` are applied later, at report time.
 */
import type { ProxyKeyIdentity } from './proxy-keys.js';

/** The row columns a request can name, and the header for each. */
export const HEADER_ATTRIBUTION_COLUMNS = ['team', 'feature', 'customer', 'agent', 'environment', 'project', 'user', 'trace_id'] as const;
export type HeaderAttributionColumn = (typeof HEADER_ATTRIBUTION_COLUMNS)[number];

const HEADER_TO_COLUMN: ReadonlyArray<readonly [string, HeaderAttributionColumn]> = HEADER_ATTRIBUTION_COLUMNS.map((c) => [
  `x-llmfin-${c === 'trace_id' ? 'trace-id' : c}`,
  c,
]);
const COLUMN_SET = new Set<string>(HEADER_ATTRIBUTION_COLUMNS);
/**
 * Tag keys only llmfin sets. A client's `routed_from` would put a request the proxy never
 * rewrote among the routed ones (`report --by routed_from`, `route simulate`'s realised
 * savings), and a `loop` would flag a trace the proxy never saw loop.
 */
const RESERVED_TAGS = new Set(['llmfin_key', 'run_id', 'routed_from', 'route_tier', 'loop']);
const TAG_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_VALUE = 256;
/** `x-llmfin-tags` holds many values: each is held to MAX_VALUE, the header to this. */
const MAX_TAGS_HEADER = 8192;

export interface Attribution {
  columns: Partial<Record<HeaderAttributionColumn, string>>;
  /** Custom tags, stored as the row's `tags` JSON. */
  tags: Record<string, string>;
  /** Headers given but not stored, and why (the proxy logs them: a dropped value is a row without its team or feature). */
  dropped?: Array<{ header: string; reason: string }>;
}

/** Why `clean` refused a value given (constants: nothing is made per request). */
interface Refused {
  readonly refused: string;
}
const CONTROL_CHARACTER: Refused = { refused: 'a control character (tab, newline…) in the value' };
const TOO_LONG: Readonly<Record<number, Refused>> = {
  [MAX_VALUE]: { refused: `longer than ${MAX_VALUE} characters` },
  [MAX_TAGS_HEADER]: { refused: `longer than ${MAX_TAGS_HEADER} characters` },
};

/**
 * A header value fit to store: trimmed, printable, at most `max` (MAX_VALUE or
 * MAX_TAGS_HEADER) characters; undefined when none was given, and why when one was refused.
 * Node reads header bytes as Latin-1, but clients (curl, Go, most HTTP libraries) send
 * UTF-8: bytes that decode as UTF-8 are taken as that text (`équipe`, not `Ã©quipe`);
 * others stay the Latin-1 text they are.
 */
function clean(value: string | string[] | undefined, max = MAX_VALUE): string | Refused | undefined {
  let v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (v === undefined || v === '') return undefined;
  let high = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return CONTROL_CHARACTER;
    if (c > 0x7f) high = true;
  }
  if (high) {
    const text = Buffer.from(v, 'latin1').toString('utf8');
    if (!text.includes('\ufffd')) v = text;
  }
  return v.length > max ? TOO_LONG[max]! : v;
}

export function readAttribution(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  key: ProxyKeyIdentity | undefined,
  runId: string | undefined,
): Attribution {
  const columns: Attribution['columns'] = {};
  const tags: Record<string, string> = {};
  let dropped: Attribution['dropped'];
  const drop = (header: string, reason: string) => (dropped ??= []).push({ header, reason });
  for (const [header, column] of HEADER_TO_COLUMN) {
    const v = clean(headers[header]);
    if (typeof v === 'string') columns[column] = v;
    else if (v !== undefined) drop(header, v.refused);
  }
  const tagHeader = clean(headers['x-llmfin-tags'], MAX_TAGS_HEADER);
  if (typeof tagHeader === 'object') drop('x-llmfin-tags', tagHeader.refused);
  else if (tagHeader !== undefined) {
    for (const pair of tagHeader.split(',')) {
      const eq = pair.indexOf('=');
      // An empty item (`a=1,`, `a=1,,b=2`) is a comma typed twice, not a tag; anything
      // else without `=` (`experiment`) is a tag given wrong, and is logged like one.
      if (eq < 0) {
        const item = pair.trim();
        if (item !== '') drop('x-llmfin-tags', `tag ${JSON.stringify(item.slice(0, 64))}: expected key=value`);
        continue;
      }
      const k = pair.slice(0, eq).trim();
      const v = pair.slice(eq + 1).trim();
      if (TAG_KEY.test(k) && v !== '' && v.length <= MAX_VALUE && !RESERVED_TAGS.has(k)) tags[k] = v;
      else if (!RESERVED_TAGS.has(k)) drop('x-llmfin-tags', `tag ${JSON.stringify(k.slice(0, 64))}: expected a key of letters, digits, "_", "." or "-" (at most 64) and a value of 1 to ${MAX_VALUE} characters`);
    }
  }
  if (key !== undefined) {
    for (const [k, v] of Object.entries(key.tags)) {
      if (COLUMN_SET.has(k)) {
        columns[k as HeaderAttributionColumn] = v;
        // A pinned dimension cannot be restated as a tag of the same name either.
        delete tags[k];
      } else tags[k] = v;
    }
    tags.llmfin_key = key.name;
  }
  if (runId !== undefined) tags.run_id = runId;
  return dropped === undefined ? { columns, tags } : { columns, tags, dropped };
}

/** Every `x-llmfin-*` header is llmfin's and is removed before forwarding. */
export function isLlmfinHeader(name: string): boolean {
  return name.startsWith('x-llmfin-');
}
