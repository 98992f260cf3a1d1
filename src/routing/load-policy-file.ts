/**
 * Reads a policy for `llmfin route simulate --policy FILE`: a YAML file holding either a
 * whole llmfin.yaml (its `routing:` and `proxy.upstreams` are used) or just the routing
 * section. Problems are ConfigErrors naming the file, line and option (exit 2).
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../config/config-error.js';
import type { Config } from '../config/config-schema.js';
import { RoutingSchema, type RoutingConfig } from '../config/routing-config-schema.js';

export interface PolicyFile {
  routing: RoutingConfig;
  /** The file's own upstreams when it is a whole llmfin.yaml. */
  upstreams: Config['proxy']['upstreams'] | undefined;
}

export function loadPolicyFile(path: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(path, undefined, `cannot read the policy file (${(cause as Error).message})`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw new ConfigError(path, lineCounter.linePos(first.pos[0]).line, `not valid YAML: ${first.message.split('\n')[0]}`);
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(path, 1, 'expected a mapping: a routing section, or an llmfin.yaml with routing:');
  const whole = 'routing' in raw;
  const section = whole ? (raw as { routing: unknown }).routing ?? {} : raw;
  const result = RoutingSchema.safeParse(section);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const optionPath = [...(whole ? ['routing'] : []), ...issue.path.map(String)];
    const node = doc.getIn(optionPath, true) as { range?: [number, number, number] } | undefined;
    const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    throw new ConfigError(path, line, `${optionPath.join('.') || 'routing'}: ${issue.message}`, { optionPath: optionPath.join('.') });
  }
  const proxy = whole ? (raw as { proxy?: { upstreams?: Config['proxy']['upstreams'] } }).proxy : undefined;
  return { routing: result.data, upstreams: proxy?.upstreams };
}
