import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claudeCodeImporter } from '../../src/importers/claude-code/claude-code-importer.js';
import { readSample } from '../../src/importers/source-input.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { freshLedger, importInto } from '../helpers/import.js';
import { openLedger } from '../../src/ledger/index.js';

const fx = (p: string) => fileURLToPath(new URL(`../fixtures/importers/claude-code/${p}`, import.meta.url));
const CLAUDE = fx('claude-session.jsonl');
const CODEX = fx('codex-rollout.jsonl');

describe('claude-code (coding-agent logs)', () => {
  it('detects Claude Code and Codex session logs', () => {
    expect(claudeCodeImporter.detect(readSample(CLAUDE, CLAUDE))).toEqual({ ok: true });
    expect(claudeCodeImporter.detect(readSample(CODEX, CODEX))).toEqual({ ok: true });
    const demo = fileURLToPath(new URL('../../fixtures/demo/metered-2026-10.jsonl', import.meta.url));
    expect(claudeCodeImporter.detect(readSample(demo, demo)).ok).toBe(false);
  });

  it('a project folder\'s file of session titles only is recognised, so the README\'s glob over ~/.claude/projects imports every session', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'projects', 'billing-api'), { recursive: true });
    mkdirSync(join(cwd, 'projects', 'docs'), { recursive: true });
    writeFileSync(join(cwd, 'projects', 'billing-api', 'session.jsonl'), readFileSync(CLAUDE));
    // Claude Code writes such files beside the sessions: summary lines, no sessionId.
    const titles = join(cwd, 'projects', 'docs', 'titles.jsonl');
    writeFileSync(titles, '{"type":"summary","summary":"Fix the docs build","leafUuid":"9d1c2f4e-0000-4000-8000-000000000001"}\n{"type":"summary","summary":"Rename the CLI","leafUuid":"9d1c2f4e-0000-4000-8000-000000000002"}\n');
    expect(claudeCodeImporter.detect(readSample(titles, titles))).toEqual({ ok: true });
    const r = await runCli(['import', 'projects/billing-api/session.jsonl', 'projects/docs/titles.jsonl', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout) as { rows: Array<{ source: string; rows_imported: number }> }).rows;
    expect(rows.map((f) => [f.source, f.rows_imported])).toEqual([['claude-code', 2], ['claude-code', 0]]);
  });

  it('another source\'s JSON lines given with --source claude-code are refused at their first line, not imported as an empty batch', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'usage.jsonl'), `\n${JSON.stringify({ id: 'a', ts: '2026-10-05T10:00:00Z', provider: 'openai', model: 'gpt-4o', input_tokens: 5 })}\n`);
    const r = await runCli(['import', 'usage.jsonl', '--source', 'claude-code', '--db', 'l.db'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('llmfin: error: usage.jsonl:2: expected Claude Code session lines ("sessionId", "type": "assistant") or Codex ones ("type": "session_meta", "event_msg"), got none in the file (is --source claude-code the right source?)\n');
    // A session of user turns only has no model call, and is no error.
    writeFileSync(join(cwd, 'quiet.jsonl'), '{"type":"user","sessionId":"s1","timestamp":"2026-10-05T10:00:00Z","message":{"role":"user","content":"hi"}}\n');
    const quiet = await runCli(['import', 'quiet.jsonl', '--source', 'claude-code', '--db', 'l.db', '--format', 'json'], { cwd });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(JSON.parse(quiet.stdout).rows[0]).toMatchObject({ source: 'claude-code', rows_imported: 0 });
  });

  it('counts a streamed message once, with its final usage, and skips synthetic ones', async () => {
    // Lay the log out as Claude Code does, under a developer's home.
    const home = tempDir();
    const dir = join(home, 'home', 'ana', '.claude', 'projects', '-home-ana-src-billing-api');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, '4f35e220-c435-4cf7-b9b9-f40426042847.jsonl');
    writeFileSync(file, readFileSync(CLAUDE));
    const ledger = await freshLedger();
    const s = await importInto(ledger, claudeCodeImporter, file);
    // msg_01A (sonnet 4.5, last line): 4×3 + 12,304 1h writes×6 + 550×15 = 82,086 per 1M
    // msg_01B (haiku 4.5, subagent): 1,200×1 + 30,000×0.1 + 300×5 = 5,700 per 1M
    expect(s).toMatchObject({ rowsImported: 2, costUsd: '0.087786', unpricedModels: [] });
    const rows = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('ts').execute();
    expect(rows.map((r) => [r.model, r.output_tokens, r.cache_write_1h_tokens, r.agent, r.cost_usd])).toEqual([
      ['claude-sonnet-4-5-20250929', 550, 12304, 'claude-code', '0.082086'],
      ['claude-haiku-4-5-20251001', 300, 0, 'claude-code-subagent', '0.0057'],
    ]);
    expect(rows[0]).toMatchObject({ provenance: 'metered', trace_id: '4f35e220-c435-4cf7-b9b9-f40426042847', request_id: 'req_011A', project: 'billing-api', user: 'ana', tags: '{"git_branch":"feat/retry"}' });
    await ledger.close();
  });

  it('a cache-write split that names one cache counts the writes once, in that cache; a total alone goes to the 1-hour cache', async () => {
    const line = (id: string, creation: Record<string, number> | undefined) =>
      JSON.stringify({
        sessionId: 's-1', cwd: '/home/ana/src/app', type: 'assistant', requestId: `req_${id}`, uuid: `u-${id}`, timestamp: '2026-10-07T09:00:00.000Z',
        message: { id, role: 'assistant', model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 0, cache_creation_input_tokens: 1_000, output_tokens: 0, ...(creation ? { cache_creation: creation } : {}) } },
      });
    const file = join(tempDir(), 'split.jsonl');
    writeFileSync(file, [line('msg_5m', { ephemeral_5m_input_tokens: 1_000 }), line('msg_1h', { ephemeral_1h_input_tokens: 1_000 }), line('msg_total', undefined)].join('\n'));
    const ledger = await freshLedger();
    // 1,000 × $3.75/1M + 1,000 × $6/1M + 1,000 × $6/1M = 0.00375 + 0.006 + 0.006
    expect(await importInto(ledger, claudeCodeImporter, file)).toMatchObject({ rowsImported: 3, costUsd: '0.01575' });
    const rows = await ledger.db.selectFrom('usage_entries').select(['dedupe_key', 'cache_write_5m_tokens', 'cache_write_1h_tokens']).orderBy('dedupe_key').execute();
    expect(rows).toEqual([
      { dedupe_key: 'claude:msg_1h:req_msg_1h', cache_write_5m_tokens: 0, cache_write_1h_tokens: 1_000 },
      { dedupe_key: 'claude:msg_5m:req_msg_5m', cache_write_5m_tokens: 1_000, cache_write_1h_tokens: 0 },
      { dedupe_key: 'claude:msg_total:req_msg_total', cache_write_5m_tokens: 0, cache_write_1h_tokens: 1_000 },
    ]);
    await ledger.close();
  });

  it('prices the web searches a message ran, and refuses a count that is not a whole number', async () => {
    const line = (searches: unknown) =>
      JSON.stringify({
        sessionId: 's-1', cwd: '/home/ana/src/research', type: 'assistant', requestId: 'req_1', uuid: 'u-1', timestamp: '2026-10-07T09:00:00.000Z',
        message: {
          id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929',
          usage: { input_tokens: 2_000, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 400, server_tool_use: { web_search_requests: searches, web_fetch_requests: 1 } },
        },
      });
    const dir = tempDir();
    const good = join(dir, 'good.jsonl');
    writeFileSync(good, `${line(2)}\n`);
    const ledger = await freshLedger();
    // 2,000 × $3/1M + 400 × $15/1M + 2 searches × $0.01 = 0.006 + 0.006 + 0.02 (web fetches cost tokens only)
    expect(await importInto(ledger, claudeCodeImporter, good)).toMatchObject({ rowsImported: 1, costUsd: '0.032' });
    expect(await ledger.db.selectFrom('usage_entries').select(['web_search_requests', 'cost_usd']).execute()).toEqual([{ web_search_requests: 2, cost_usd: '0.032' }]);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${line('2')}\n`);
    await expect(importInto(ledger, claudeCodeImporter, bad)).rejects.toThrow(`${bad}:1: message.usage.server_tool_use.web_search_requests: expected a whole number, got "2"`);
    await ledger.close();
  });

  it('reads Codex token_count events in OpenAI convention', async () => {
    const ledger = await freshLedger();
    const s = await importInto(ledger, claudeCodeImporter, CODEX);
    // gpt-5-codex (1.25 / 10 / cache 0.125): 6,000×1.25 + 4,000×0.125 + 2,000×10 = 28,000
    // and 4,000×1.25 + 16,000×0.125 + 1,000×10 = 17,000 per 1M
    expect(s).toMatchObject({ rowsImported: 2, costUsd: '0.045' });
    const first = await ledger.db.selectFrom('usage_entries').selectAll().orderBy('ts').executeTakeFirstOrThrow();
    expect(first).toMatchObject({ provider: 'openai', model: 'gpt-5-codex', agent: 'codex', project: 'web-app', input_tokens: 10000, cache_read_tokens: 4000, reasoning_tokens: 1500, trace_id: '0199a1b2-codex-session' });
    expect((await importInto(ledger, claudeCodeImporter, CODEX)).status).toBe('already-imported');
    await ledger.close();
  });

  it('a Codex token_count written again with the same running total (a rate-limit refresh) is no new call', async () => {
    const lines = readFileSync(CODEX, 'utf8').split('\n');
    // Codex writes the first call's event again a second later, its totals unchanged.
    const again = lines[2]!.replace('"timestamp":"2026-10-08T14:00:09.000Z"', '"timestamp":"2026-10-08T14:00:10.000Z"');
    const file = join(tempDir(), 'rollout-repeat.jsonl');
    writeFileSync(file, [...lines.slice(0, 3), again, ...lines.slice(3)].join('\n'));
    const ledger = await freshLedger();
    const s = await importInto(ledger, claudeCodeImporter, file);
    // The two calls alone, as without the repeat: 28,000 + 17,000 per 1M = $0.045.
    expect(s).toMatchObject({ rowsRead: 2, rowsImported: 2, costUsd: '0.045' });
    const rows = await ledger.db.selectFrom('usage_entries').select(['dedupe_key', 'input_tokens']).orderBy('ts').execute();
    // The call after the repeat keeps the key an import that counted the repeat gave it.
    expect(rows).toEqual([
      { dedupe_key: 'codex:0199a1b2-codex-session:2026-10-08T14:00:09.000Z:1', input_tokens: 10000 },
      { dedupe_key: 'codex:0199a1b2-codex-session:2026-10-08T14:01:30.000Z:3', input_tokens: 20000 },
    ]);
    await ledger.close();
  });

  describe('a forked Codex session (its file opens with the parent\'s history copied in)', () => {
    // Codex copies the parent's lines, its session_meta first, into the fork's new file as
    // the fork starts, each stamped when written: a burst at the fork instant, 15:00:00.
    const parentLines = readFileSync(CODEX, 'utf8').trim().split('\n')
      .map((l, i) => l.replace(/"timestamp":"[^"]+"/, `"timestamp":"2026-10-08T15:00:00.00${i + 1}Z"`));
    const childMeta = (forkedFrom: boolean) => JSON.stringify({ timestamp: '2026-10-08T15:00:00.000Z', type: 'session_meta', payload: { id: '0199c3d4-codex-fork', ...(forkedFrom ? { forked_from_id: '0199a1b2-codex-session' } : {}), cwd: '/home/ben/src/web-app', originator: 'codex_cli_rs', cli_version: '0.46.0' } });
    // The fork's own call, a model answer 7 seconds later; its running total goes on from the parent's 30,000 / 20,000 / 3,000.
    const own = [
      JSON.stringify({ timestamp: '2026-10-08T15:00:00.010Z', type: 'turn_context', payload: { cwd: '/home/ben/src/web-app', model: 'gpt-5-codex' } }),
      JSON.stringify({ timestamp: '2026-10-08T15:00:07.000Z', type: 'event_msg', payload: { type: 'token_count', info: {
        total_token_usage: { input_tokens: 35000, cached_input_tokens: 24000, output_tokens: 3500, reasoning_output_tokens: 2200, total_tokens: 38500 },
        last_token_usage: { input_tokens: 5000, cached_input_tokens: 4000, output_tokens: 500, reasoning_output_tokens: 200, total_tokens: 5500 } } } }),
    ];

    for (const [what, forkedFrom] of [['its session_meta names the parent (forked_from_id)', true], ['only the parent\'s copied session_meta says so (older Codex)', false]] as const) {
      it(`counts the fork's own calls and not the parent's again: ${what}`, async () => {
        const fork = join(tempDir(), 'rollout-fork.jsonl');
        writeFileSync(fork, [childMeta(forkedFrom), ...parentLines, ...own].join('\n'));
        const ledger = await freshLedger();
        expect(await importInto(ledger, claudeCodeImporter, CODEX)).toMatchObject({ rowsImported: 2, costUsd: '0.045' });
        // The fork's call alone: 1,000×1.25 + 4,000×0.125 + 500×10 = 6,750 per 1M = $0.00675.
        expect(await importInto(ledger, claudeCodeImporter, fork)).toMatchObject({ rowsImported: 1, costUsd: '0.00675' });
        const rows = await ledger.db.selectFrom('usage_entries').select(['ts', 'input_tokens', 'cache_read_tokens', 'output_tokens']).orderBy('ts').execute();
        expect(rows).toEqual([
          { ts: '2026-10-08T14:00:09.000Z', input_tokens: 10000, cache_read_tokens: 4000, output_tokens: 2000 },
          { ts: '2026-10-08T14:01:30.000Z', input_tokens: 20000, cache_read_tokens: 16000, output_tokens: 1000 },
          { ts: '2026-10-08T15:00:07.000Z', input_tokens: 5000, cache_read_tokens: 4000, output_tokens: 500 },
        ]);
        await ledger.close();
      });
    }

    it('the fork\'s own calls are its own session\'s (trace_id), so report --by trace and anomalies group them apart from the parent\'s, and keep the keys an earlier import gave them', async () => {
      const cwd = tempDir();
      writeFileSync(join(cwd, 'rollout-parent.jsonl'), readFileSync(CODEX));
      writeFileSync(join(cwd, 'rollout-fork.jsonl'), [childMeta(true), ...parentLines, ...own].join('\n'));
      const db = join(cwd, 'l.db');
      const imported = await runCli(['import', 'rollout-parent.jsonl', 'rollout-fork.jsonl', '--source', 'claude-code', '--db', db], { cwd });
      expect(imported.code, imported.stderr).toBe(0);
      const ledger = await openLedger(db);
      const rows = await ledger.db.selectFrom('usage_entries').select(['ts', 'trace_id', 'dedupe_key']).orderBy('ts').execute();
      await ledger.close();
      // The fork's row keeps the key it was first imported with (the copied session_meta's id then named it):
      // a re-import after an upgrade finds it, and adds no second row.
      expect(rows).toEqual([
        { ts: '2026-10-08T14:00:09.000Z', trace_id: '0199a1b2-codex-session', dedupe_key: 'codex:0199a1b2-codex-session:2026-10-08T14:00:09.000Z:1' },
        { ts: '2026-10-08T14:01:30.000Z', trace_id: '0199a1b2-codex-session', dedupe_key: 'codex:0199a1b2-codex-session:2026-10-08T14:01:30.000Z:2' },
        { ts: '2026-10-08T15:00:07.000Z', trace_id: '0199c3d4-codex-fork', dedupe_key: 'codex:0199a1b2-codex-session:2026-10-08T15:00:07.000Z:3' },
      ]);
      const report = await runCli(['report', '--db', db, '--since', '2026-10-01', '--until', '2026-11-01', '--by', 'trace', '--format', 'json'], { cwd });
      expect(report.code, report.stderr).toBe(0);
      // Parent $0.045 (its two calls); fork $0.00675 (1,000×1.25 + 4,000×0.125 + 500×10 per 1M).
      const groups = (JSON.parse(report.stdout) as { rows: Array<{ trace: string; cost_usd: number; requests: number }> }).rows;
      expect(groups.map((g) => [g.trace, g.cost_usd, g.requests]).sort()).toEqual([['0199a1b2-codex-session', 0.045, 2], ['0199c3d4-codex-fork', 0.00675, 1]]);
      // Anomalies judge each trace's calls (runaway sessions, loops) apart: two sessions, two traces.
      const anomalies = await runCli(['anomalies', '--db', db, '--since', '2026-10-01', '--until', '2026-11-01', '--format', 'json'], { cwd });
      expect(anomalies.code, anomalies.stderr).toBe(0);
      expect((JSON.parse(anomalies.stdout) as { traces: number }).traces).toBe(2);
    });
  });

  it('a token count that is not a whole number is refused at its line and field, not read as 0 (Codex, and Claude Code cache writes)', async () => {
    const ledger = await freshLedger();
    const codex = join(tempDir(), 'rollout-bad.jsonl');
    // The first call's output (2,000) written as text.
    writeFileSync(codex, readFileSync(CODEX, 'utf8').replace('"last_token_usage":{"input_tokens":10000,"cached_input_tokens":4000,"output_tokens":2000', '"last_token_usage":{"input_tokens":10000,"cached_input_tokens":4000,"output_tokens":"2000"'));
    const codexLine = readFileSync(codex, 'utf8').split('\n').findIndex((l) => l.includes('"output_tokens":"2000"')) + 1;
    await expect(importInto(ledger, claudeCodeImporter, codex)).rejects.toThrow(`${codex}:${codexLine}: payload.info.last_token_usage.output_tokens: expected a whole number of tokens, got "2000"`);
    const claude = join(tempDir(), 'session-bad.jsonl');
    writeFileSync(claude, readFileSync(CLAUDE, 'utf8').replace('"ephemeral_1h_input_tokens":12304', '"ephemeral_1h_input_tokens":-12304'));
    const claudeLine = readFileSync(claude, 'utf8').split('\n').findIndex((l) => l.includes('-12304')) + 1;
    await expect(importInto(ledger, claudeCodeImporter, claude)).rejects.toThrow(`${claude}:${claudeLine}: message.usage.cache_creation.ephemeral_1h_input_tokens: expected a whole number of tokens, got -12304`);
    expect(await ledger.db.selectFrom('usage_entries').selectAll().execute()).toEqual([]);
    await ledger.close();
  });

  it('a timestamp that is not ISO 8601 is refused at its line, not read month-first in the machine\'s time zone', async () => {
    const ledger = await freshLedger();
    // 07/10/2026 is October 7 in most of the world; Date.parse read it as July 10, local time.
    for (const [fixture, stamp] of [[CLAUDE, '07/10/2026 09:00:03'], [CODEX, '07/10/2026, 09:00:00 UTC']] as const) {
      const text = readFileSync(fixture, 'utf8');
      const first = /"timestamp":"([^"]+)"/.exec(text.split('\n').find((l) => l.includes('"usage"') || l.includes('token_count'))!)![1]!;
      const file = join(tempDir(), 'slash.jsonl');
      writeFileSync(file, text.split(first).join(stamp));
      const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(stamp) && (l.includes('"usage"') || l.includes('token_count'))) + 1;
      await expect(importInto(ledger, claudeCodeImporter, file), fixture).rejects.toThrow(`${file}:${line}: timestamp: expected an ISO time, got "${stamp}"`);
    }
    expect(await ledger.db.selectFrom('usage_entries').selectAll().execute()).toEqual([]);
    await ledger.close();
  });

  it('a line that is not JSON aborts the session file naming the line', async () => {
    const file = join(tempDir(), 's.jsonl');
    writeFileSync(file, `${readFileSync(CLAUDE, 'utf8')}{oops\n`);
    const ledger = await freshLedger();
    // "{oops": a key must be a quoted string, so the mistake is the "o" at column 2.
    await expect(importInto(ledger, claudeCodeImporter, file)).rejects.toThrow(`${file}:7: not valid JSON at column 2 (a session log has one JSON object per line)`);
    await ledger.close();
  });

  it('--skip-invalid rejects a bad line and still imports the messages before and after it', async () => {
    const lines = readFileSync(CLAUDE, 'utf8').split('\n');
    lines.splice(1, 0, '{oops');
    const file = join(tempDir(), 's.jsonl');
    writeFileSync(file, lines.join('\n'));
    const ledger = await freshLedger();
    await expect(importInto(ledger, claudeCodeImporter, file)).rejects.toThrow(`${file}:2: not valid JSON`);
    const s = await importInto(ledger, claudeCodeImporter, file, { skipInvalid: true });
    // The same two messages as the whole log: 0.082086 + 0.0057
    expect(s).toMatchObject({ rowsImported: 2, rowsRejected: 1, costUsd: '0.087786' });
    await ledger.close();
  });

  describe('a log read while its agent still writes it (the last line cut off, no line break after it)', () => {
    it('Claude Code: imports the lines before the cut-off one, and the grown file replaces the message whose final count came later', async () => {
      const lines = readFileSync(CLAUDE, 'utf8').split('\n');
      const file = join(tempDir(), 's.jsonl');
      // Lines 1-3 hold msg_01A with the 2 output tokens streamed so far; line 4, its final 550, is half written.
      writeFileSync(file, `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 200)}`);
      const ledger = await freshLedger();
      const first = await importInto(ledger, claudeCodeImporter, file);
      // sonnet 4.5: 4×3 + 12,304 1h writes×6 + 2×15 = 73,866 per 1M
      expect(first).toMatchObject({ rowsImported: 1, rowsRejected: 0, unfinishedLine: 4, costUsd: '0.073866' });
      writeFileSync(file, readFileSync(CLAUDE));
      const grown = await importInto(ledger, claudeCodeImporter, file);
      // msg_01A again, now with 550 output tokens, in place of its first row; msg_01B new.
      expect(grown).toMatchObject({ rowsImported: 2, rowsSkipped: 0, rowsReplaced: 1, unfinishedLine: null });
      const rows = await ledger.db.selectFrom('usage_entries').select(['dedupe_key', 'output_tokens', 'cost_usd']).orderBy('ts').execute();
      // The whole log's cost, counted once: 0.082086 + 0.0057 = 0.087786
      expect(rows).toEqual([
        { dedupe_key: 'claude:msg_01A:req_011A', output_tokens: 550, cost_usd: '0.082086' },
        { dedupe_key: 'claude:msg_01B:req_011B', output_tokens: 300, cost_usd: '0.0057' },
      ]);
      // Grown again with nothing new to count: the same usage is a duplicate, not replaced.
      writeFileSync(file, `${readFileSync(CLAUDE, 'utf8')}{"type":"user","sessionId":"4f35e220-c435-4cf7-b9b9-f40426042847","timestamp":"2026-10-07T09:03:00.000Z"}\n`);
      expect(await importInto(ledger, claudeCodeImporter, file)).toMatchObject({ rowsImported: 0, rowsSkipped: 2, rowsReplaced: 0 });
      await ledger.close();
    });

    it('Codex: the cut-off token_count is the next import\'s, counted once', async () => {
      const lines = readFileSync(CODEX, 'utf8').trimEnd().split('\n');
      const file = join(tempDir(), 'rollout.jsonl');
      writeFileSync(file, `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 120)}`);
      const ledger = await freshLedger();
      // The first call alone: 6,000×1.25 + 4,000×0.125 + 2,000×10 = 28,000 per 1M
      expect(await importInto(ledger, claudeCodeImporter, file)).toMatchObject({ rowsImported: 1, unfinishedLine: 4, costUsd: '0.028' });
      writeFileSync(file, readFileSync(CODEX));
      expect(await importInto(ledger, claudeCodeImporter, file)).toMatchObject({ rowsImported: 1, rowsSkipped: 1, rowsReplaced: 0 });
      // 28,000 + 17,000 per 1M: $0.045 in all, each call once
      expect((await ledger.db.selectFrom('usage_entries').select('cost_usd').orderBy('ts').execute()).map((r) => r.cost_usd)).toEqual(['0.028', '0.017']);
      await ledger.close();
    });

    it('a bad line a line break ends is still refused, last or not: only the writer\'s unfinished line is passed over', async () => {
      const ledger = await freshLedger();
      const lines = readFileSync(CLAUDE, 'utf8').trimEnd().split('\n');
      const cut = lines[3]!.slice(0, 200);
      const ended = join(tempDir(), 's.jsonl');
      writeFileSync(ended, `${lines.slice(0, 3).join('\n')}\n${cut}\n`);
      await expect(importInto(ledger, claudeCodeImporter, ended)).rejects.toThrow(`${ended}:4: not valid JSON`);
      const middle = join(tempDir(), 's.jsonl');
      writeFileSync(middle, `${lines.slice(0, 3).join('\n')}\n${cut}\n${lines[4]!}`);
      await expect(importInto(ledger, claudeCodeImporter, middle)).rejects.toThrow(`${middle}:4: not valid JSON`);
      expect(await ledger.db.selectFrom('usage_entries').selectAll().execute()).toEqual([]);
      await ledger.close();
    });

    it('the CLI says on stderr which line was left, and the JSON summary names it', async () => {
      const cwd = tempDir();
      const lines = readFileSync(CLAUDE, 'utf8').split('\n');
      writeFileSync(join(cwd, 's.jsonl'), `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 200)}`);
      const r = await runCli(['import', 's.jsonl', '--db', 'l.db', '--format', 'json'], { cwd });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).rows[0]).toMatchObject({ rows_imported: 1, unfinished_line: 4, cost_usd: 0.073866 });
      expect(r.stderr).toContain('s.jsonl:4: the last line is unfinished (no line break ends it and it is not yet valid JSON), as in a log still being written: the lines before it were imported, this one is left for the next import of the file\n');
    });
  });
});
