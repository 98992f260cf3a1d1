/**
 * Coding-agent session logs, one row per model call, per developer:
 * - Claude Code: `~/.claude/projects/<project>/<session>.jsonl`; assistant lines carry
 *   `message.usage` (Anthropic convention: input excludes cache; 5m/1h writes split).
 *   One response is logged on several lines as it streams (same message id), and only
 *   the last carries the final output count (anthropics/claude-code#25941), so each
 *   message id is counted once, with its largest usage. `server_tool_use` counts the
 *   web searches, billed per search on top of the tokens.
 * - OpenAI Codex CLI: `~/.codex/sessions/…/rollout-*.jsonl`; `token_count` events carry
 *   `last_token_usage` (OpenAI convention: input includes cached tokens). Codex writes the
 *   event again when only its rate limits change, with the same running total
 *   (`total_token_usage`) and the same last call: such a repeat is no new call.
 *   A forked session's new file opens with its parent's lines copied in (the parent's
 *   session_meta, then its turns and token_count events), each stamped when written, so
 *   the parent's calls would be counted again. The fork is known by its session_meta's
 *   `forked_from_id` or, in older versions, by the copied session_meta of another session.
 *   Nothing marks where the copy ends: it is the burst of lines written as the fork
 *   starts, milliseconds apart, while the fork's own first token_count waits for a model
 *   answer. So token_count events in a fork before the first pause of `FORK_BURST_GAP_MS`
 *   are the parent's. (A resumed session appends to its own file: nothing is copied.)
 *   Codex writes the new session's own session_meta first, before the copy, so the file's
 *   first session_meta names the session its calls belong to (their trace).
 * Both are imported while their agent runs, so a file may end inside the line being
 * written: that line alone is left for the next import (ImportItem 'unfinished').
 */
import { basename, dirname } from 'node:path';
import type { Importer, ImportItem, ImportContext } from '../importer.js';
import { buildEntry } from '../entry-builder.js';
import { parseUtc } from '../aws-cur/billing-values.js';
import { MAX_LINE_CHARS } from '../source-input.js';
import { jsonLineColumn } from '../json-document.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const n = (v: unknown): number | undefined => (v === undefined || v === null ? 0 : typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

/** The first of `fields` with a value that is not a whole number of tokens (absent and null read as 0: none, see `n`). */
function badCount(usage: Json, fields: readonly string[], prefix = ''): { field: string; value: unknown } | undefined {
  const field = fields.find((f) => n(usage[f]) === undefined);
  return field === undefined ? undefined : { field: `${prefix}${field}`, value: usage[field] };
}

/** The developer: the home folder the log lives under (/home/ana/.claude/…, /Users/ana/.codex/…). */
function userOf(path: string): string | null {
  return /(?:^|\/)(?:home|Users)\/([^/]+)\/\.(?:claude|codex)\//.exec(path)?.[1] ?? null;
}

/** The project a session belongs to: the last folder of its working directory. */
function projectOf(cwd: string | null, path: string): string | null {
  if (cwd) return basename(cwd);
  const folder = basename(dirname(path));
  return folder.startsWith('-') ? (folder.split('-').filter(Boolean).pop() ?? null) : null;
}

/** Line types of a Codex CLI session file. */
const CODEX_TYPES = new Set(['session_meta', 'turn_context', 'event_msg', 'response_item', 'compacted']);

/**
 * A pause between two lines that ends the copy at a fork's start: well above the gaps
 * between lines Codex writes in one go, well below a model's answer to a forked
 * conversation's whole history (seconds).
 */
const FORK_BURST_GAP_MS = 1000;

export const claudeCodeImporter: Importer = {
  id: 'claude-code',
  description: 'coding-agent session logs: Claude Code JSONL (~/.claude/projects) and Codex CLI sessions (~/.codex/sessions), one row per model call',
  obtain: 'the session files on each developer machine: ~/.claude/projects/*/*.jsonl for Claude Code, ~/.codex/sessions/**/*.jsonl for Codex',
  provenance: 'metered',
  replacesPeriod: false,
  rowsGrow: true,
  accountOption: { refused: 'its rows are keyed by message and session ids that no other organisation\'s logs have, and never replace a period' },
  detect({ head }) {
    if (/"sessionId"\s*:/.test(head) && /"type"\s*:\s*"(assistant|user|summary)"/.test(head)) return { ok: true };
    // A project folder also holds files of session titles only ({"type":"summary", …, "leafUuid"}),
    // with no sessionId: one of them must not stop `llmfin import ~/.claude/projects/*/*.jsonl`.
    if (/^\s*\{[^\n]*"type"\s*:\s*"summary"/.test(head) && /"leafUuid"\s*:/.test(head)) return { ok: true };
    if (/"type"\s*:\s*"(session_meta|turn_context|event_msg)"/.test(head)) return { ok: true };
    return { ok: false, reason: 'no Claude Code ("sessionId", "type": "assistant") or Codex ("session_meta", "event_msg") lines' };
  },
  async *read(input, ctx): AsyncIterable<ImportItem> {
    const claude = new Map<string, { line: number; row: Json; output: number }>();
    // The session the file records (its first session_meta's id), the trace of its calls.
    let codexTrace: string | null = null;
    // The last session_meta's id: in a fork, the copied parent's. The rows' keys were made
    // with it before the trace was told apart, and keep it, so a re-import adds no second row.
    let codexSession: string | null = null;
    let codexModel: string | null = null;
    let codexCwd: string | null = null;
    let codexCalls = 0;
    let codexTotal: string | undefined;
    // Whether the file is a fork, and whether its lines are still the burst written as it started.
    let codexForked = false;
    let codexBurst = true;
    let codexLastAt: number | undefined;
    // Whether any line is a session log's: a file of other JSON lines (another source's,
    // given with --source claude-code) would otherwise import as an empty batch, exit 0.
    let sessionLines = 0;
    let firstLine: number | undefined;
    for await (const { line, text, unterminated } of input.lines({ maxLineChars: MAX_LINE_CHARS })) {
      if (text.trim() === '') continue;
      let row: Json;
      try {
        row = obj(JSON.parse(text));
      } catch {
        // The agent is still writing its log (users import it while a session runs): the
        // cut-off line is the next import's, when the grown file holds it whole.
        if (unterminated === true) {
          yield { kind: 'unfinished', line };
          continue;
        }
        firstLine ??= line;
        // continue, not return: by default the first issue aborts the file, and with
        // --skip-invalid the lines after a bad one (and the messages gathered before it,
        // yielded after the loop) are still good rows to import.
        yield { kind: 'issue', line, message: `not valid JSON${jsonLineColumn(text)} (a session log has one JSON object per line)` };
        continue;
      }
      firstLine ??= line;
      const type = str(row.type);
      if ('sessionId' in row || 'leafUuid' in row || (type !== null && CODEX_TYPES.has(type))) sessionLines++;
      if (type !== null && CODEX_TYPES.has(type)) {
        const at = parseUtc(str(row.timestamp) ?? '')?.getTime();
        if (at !== undefined) {
          if (codexLastAt !== undefined && at - codexLastAt >= FORK_BURST_GAP_MS) codexBurst = false;
          codexLastAt = at;
        }
      }
      if (type === 'assistant') {
        const message = obj(row.message);
        const usage = obj(message.usage);
        const model = str(message.model);
        // Synthetic messages (errors, interruptions) are not model calls.
        if (!model || model === '<synthetic>' || Object.keys(usage).length === 0) continue;
        const badField = badCount(usage, ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'])
          ?? badCount(obj(usage.cache_creation), ['ephemeral_5m_input_tokens', 'ephemeral_1h_input_tokens'], 'cache_creation.')
          ?? badCount(obj(usage.server_tool_use), ['web_search_requests'], 'server_tool_use.');
        if (badField) {
          const what = badField.field.startsWith('server_tool_use.') ? 'a whole number' : 'a whole number of tokens';
          yield { kind: 'issue', line, column: `message.usage.${badField.field}`, message: `expected ${what}, got ${JSON.stringify(badField.value)}` };
          continue;
        }
        if (parseUtc(str(row.timestamp) ?? '') === undefined) {
          yield { kind: 'issue', line, column: 'timestamp', message: `expected an ISO time, got ${JSON.stringify(row.timestamp ?? null)}` };
          continue;
        }
        const key = `${str(message.id) ?? `line${line}`}:${str(row.requestId) ?? ''}`;
        const output = n(usage.output_tokens)!;
        const seen = claude.get(key);
        if (!seen || output >= seen.output) claude.set(key, { line: seen?.line ?? line, row, output });
      } else if (type === 'session_meta') {
        const p = obj(row.payload);
        if (codexSession === null ? str(p.forked_from_id) !== null : str(p.id) !== null && str(p.id) !== codexSession) codexForked = true;
        codexTrace ??= str(p.id);
        codexSession = str(p.id) ?? codexSession;
        codexCwd = str(p.cwd) ?? codexCwd;
      } else if (type === 'turn_context') {
        const p = obj(row.payload);
        codexModel = str(p.model) ?? codexModel;
        codexCwd = str(p.cwd) ?? codexCwd;
      } else if (type === 'event_msg' && obj(row.payload).type === 'token_count') {
        const last = obj(obj(obj(row.payload).info).last_token_usage);
        if (Object.keys(last).length === 0) continue;
        // A count read as 0 would price the call low without a word.
        const badField = badCount(last, ['input_tokens', 'cached_input_tokens', 'output_tokens', 'reasoning_output_tokens']);
        if (badField) {
          yield { kind: 'issue', line, column: `payload.info.last_token_usage.${badField.field}`, message: `expected a whole number of tokens, got ${JSON.stringify(badField.value)}` };
          continue;
        }
        const ts = str(row.timestamp);
        if (!ts || parseUtc(ts) === undefined) {
          yield { kind: 'issue', line, column: 'timestamp', message: `expected an ISO time, got ${JSON.stringify(row.timestamp)}` };
          continue;
        }
        // Counted before a repeat or a fork's copied call is passed over: the calls after it keep the keys they were imported with.
        codexCalls++;
        const total = runningTotal(obj(obj(obj(row.payload).info).total_token_usage));
        const repeat = total !== undefined && total === codexTotal;
        codexTotal = total;
        if (repeat || (codexForked && codexBurst)) continue;
        yield {
          kind: 'entry',
          line,
          entry: buildEntry(
            {
              source: 'claude-code',
              provenance: 'metered',
              dedupeKey: `codex:${codexSession ?? input.path}:${ts}:${codexCalls}`,
              provider: 'openai',
              ts: parseUtc(ts)!.toISOString(),
              model: codexModel,
              usage: { input: n(last.input_tokens) ?? 0, cacheRead: n(last.cached_input_tokens) ?? 0, output: n(last.output_tokens) ?? 0, reasoning: n(last.reasoning_output_tokens) ?? 0 },
              dims: { agent: 'codex', trace_id: codexTrace, project: projectOf(codexCwd, input.path), user: userOf(input.path) },
              raw: last,
            },
            ctx,
          ),
        };
      }
    }
    if (sessionLines === 0 && firstLine !== undefined) {
      yield { kind: 'issue', line: firstLine, message: 'expected Claude Code session lines ("sessionId", "type": "assistant") or Codex ones ("type": "session_meta", "event_msg"), got none in the file (is --source claude-code the right source?)' };
    }
    for (const { line, row } of claude.values()) yield { kind: 'entry', line, entry: claudeEntry(row, input.path, ctx) };
  },
};

const CODEX_COUNTS = ['input_tokens', 'cached_input_tokens', 'output_tokens', 'reasoning_output_tokens', 'total_tokens'] as const;

/** A Codex running total as one comparable text, or undefined when the event has none. */
function runningTotal(total: Json): string | undefined {
  if (Object.keys(total).length === 0) return undefined;
  return CODEX_COUNTS.map((f) => String(n(total[f]) ?? total[f])).join(',');
}

function claudeEntry(row: Json, path: string, ctx: ImportContext) {
  const message = obj(row.message);
  const usage = obj(message.usage);
  const creation = obj(usage.cache_creation);
  const writes = n(usage.cache_creation_input_tokens) ?? 0;
  // Older logs give only the total of writes; Claude Code writes to the 1-hour cache by default.
  // A split that names one of the two caches says the other had none: the total is not added to it.
  const split = creation.ephemeral_1h_input_tokens !== undefined || creation.ephemeral_5m_input_tokens !== undefined;
  const w1h = split ? (n(creation.ephemeral_1h_input_tokens) ?? 0) : writes;
  const w5m = split ? (n(creation.ephemeral_5m_input_tokens) ?? 0) : 0;
  const tier = str(usage.service_tier);
  return buildEntry(
    {
      source: 'claude-code',
      provenance: 'metered',
      dedupeKey: `claude:${str(message.id) ?? str(row.uuid) ?? ''}:${str(row.requestId) ?? ''}`,
      provider: 'anthropic',
      ts: parseUtc(str(row.timestamp)!)!.toISOString(),
      model: str(message.model),
      serviceTier: tier === 'batch' || tier === 'priority' ? tier : undefined,
      usage: {
        input: n(usage.input_tokens) ?? 0,
        cacheRead: n(usage.cache_read_input_tokens) ?? 0,
        cacheWrite5m: w5m,
        cacheWrite1h: w1h,
        output: n(usage.output_tokens) ?? 0,
        webSearches: n(obj(usage.server_tool_use).web_search_requests) ?? 0,
      },
      dims: {
        agent: row.isSidechain === true ? 'claude-code-subagent' : 'claude-code',
        trace_id: str(row.sessionId),
        request_id: str(row.requestId),
        project: projectOf(str(row.cwd), path),
        user: userOf(path),
      },
      tags: str(row.gitBranch) ? { git_branch: str(row.gitBranch)! } : undefined,
      raw: usage,
    },
    ctx,
  );
}
