// `llmfin proxy` as users run it (the built bin, as a child process): banner, requests,
// SIGHUP reload (a bad config keeps the old one), SIGTERM → every row written, exit 0;
// a port in use → exit 2 with a clear message. Needs `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { openLedger } from '../../src/ledger/index.js';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider.js';
import { BIN, startProxyChild, until, type ProxyChild } from '../helpers/proxy-child.js';

let fake: FakeProvider;
let dir: string;
beforeAll(async () => {
  fake = await startFakeProvider();
  dir = mkdtempSync(join(tmpdir(), 'llmfin-proxy-cli-'));
});
// A test that fails before its SIGTERM must not leave its proxy running after the suite.
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const proc of children) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  children.clear();
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The proxy as a child process in the suite's folder, killed after its test if it is still running. */
function start(args: string[], env: Record<string, string> = {}): ProxyChild {
  const child = startProxyChild(dir, args, env);
  children.add(child.proc);
  return child;
}

const chat = (url: string, headers: Record<string, string> = {}, stream = false, extra: Record<string, unknown> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-cli-test', ...headers },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'hi' }], ...extra }),
  });

describe('llmfin proxy (child process)', () => {
  it('serves, reloads on SIGHUP, and writes every row on SIGTERM before exiting 0', async () => {
    const config = join(dir, 'llmfin.yaml');
    writeFileSync(config, `proxy:\n  upstreams:\n    openai:\n      base_url: ${fake.url}\n`);
    const db = join(dir, 'cli.db');
    const child = start(['--port', '0', '--db', db, '--config', config, '--log-format', 'json'], { LLMFIN_RUN_ID: 'run-42' });
    const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1]);
    // The banner names the run its rows are tagged with.
    const banner = JSON.parse(child.stderr().split('\n').find((l) => l.includes('listening on'))!) as Record<string, unknown>;
    expect(banner).toMatchObject({ run_id: 'run-42', message: expect.stringMatching(/ · run run-42$/) });
    expect(child.stderr()).toMatch(/upstreams openai=http:\/\/127\.0\.0\.1:\d+, anthropic=https:\/\/api\.anthropic\.com · ledger .*cli\.db · no budgets/);

    const responses = await Promise.all([chat(url), chat(url), chat(url, {}, true)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await Promise.all(responses.map((r) => r.text()));

    // Reload: a second upstream appears without a restart.
    writeFileSync(config, `proxy:\n  upstreams:\n    openai:\n      base_url: ${fake.url}\n    second:\n      base_url: ${fake.url}/second/v1\n`);
    child.proc.kill('SIGHUP');
    await until(() => (child.stderr().includes('config reloaded') ? true : undefined));
    expect((await chat(url, { 'x-llmfin-upstream': 'second' })).status).toBe(200);
    expect(fake.requests.at(-1)!.path).toBe('/second/v1/chat/completions');

    // A broken config on reload keeps the running one.
    writeFileSync(config, 'proxy:\n  upstreams: [not, a, map\n');
    child.proc.kill('SIGHUP');
    await until(() => (child.stderr().includes('config not reloaded') ? true : undefined));
    expect((await chat(url, { 'x-llmfin-upstream': 'second' })).status).toBe(200);

    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.stderr()).toContain('rows written');
    // JSON logs: one line per request, parseable.
    const requestLines = child.stderr().split('\n').filter((l) => l.includes('"event":"request"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(requestLines).toHaveLength(5);
    expect(requestLines[0]).toMatchObject({ status: 200, endpoint: '/v1/chat/completions', model: 'gpt-4o-mini', input_tokens: 1200, output_tokens: 80, cost_usd: '0.0001512' });

    const ledger = await openLedger(db, { create: false });
    const rows = await ledger.db.selectFrom('usage_entries').select(['cost_usd', 'tags', 'source']).execute();
    await ledger.close();
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => [r.cost_usd, r.source, JSON.parse(r.tags!)])).toEqual(Array(5).fill(['0.0001512', 'proxy', { run_id: 'run-42' }]));
  });

  it('an empty --run-id is no run, as check --run reads it: no row is tagged run_id ""', async () => {
    const config = join(dir, 'empty-run.yaml');
    writeFileSync(config, `proxy:\n  upstreams:\n    openai:\n      base_url: ${fake.url}\n`);
    const db = join(dir, 'empty-run.db');
    // As in CI with --run-id "$GITHUB_RUN_ID" and the variable unset.
    const child = start(['--port', '0', '--db', db, '--config', config, '--run-id', '']);
    const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1]);
    const res = await chat(url);
    expect(res.status).toBe(200);
    await res.text();
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    const ledger = await openLedger(db, { create: false });
    const rows = await ledger.db.selectFrom('usage_entries').select(['tags']).execute();
    await ledger.close();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.tags ?? '{}')).not.toHaveProperty('run_id');
  });

  it('--log-format json: every line on stderr is one JSON object — the banner, start warnings and the stop line too — and no key', async () => {
    const config = join(dir, 'json-log.yaml');
    // An upstream whose key variable is set (the banner names the variable, never the key) and one whose is not (a start warning).
    writeFileSync(config, `proxy:\n  upstreams:\n    openai: { base_url: ${fake.url}, api_key_env: JSONLOG_OPENAI_KEY }\n    other: { base_url: ${fake.url}/other/v1, api_key_env: JSONLOG_UNSET_KEY }\n`);
    const child = start(['--port', '0', '--db', join(dir, 'json-log.db'), '--config', config, '--log-format', 'json'], { JSONLOG_OPENAI_KEY: 'sk-jsonlog-upstream-secret' });
    const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1]);
    const res = await chat(url, { authorization: 'Bearer sk-jsonlog-client-secret' });
    expect(res.status).toBe(200);
    await res.text();
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    const lines = child.stderr().split('\n').filter((l) => l !== '');
    const parsed = lines.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return `not JSON: ${l}`;
      }
    });
    expect(parsed.filter((p) => typeof p === 'string')).toEqual([]);
    const objects = parsed as Record<string, unknown>[];
    expect(objects[0]).toMatchObject({ level: 'info', event: 'proxy', url });
    expect(objects[0]!.message).toMatch(/^llmfin proxy listening on http:\/\/127\.0\.0\.1:\d+ · upstreams openai=.* \(key JSONLOG_OPENAI_KEY\)/);
    expect(objects).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('JSONLOG_UNSET_KEY is not set') }));
    expect(objects.at(-1)).toMatchObject({ level: 'info', event: 'proxy', message: 'llmfin proxy stopped · 1 row written', rows_written: 1 });
    expect(child.stderr()).not.toContain('jsonlog-upstream-secret');
    expect(child.stderr()).not.toContain('jsonlog-client-secret');
  });

  it('SIGHUP names the settings it does not apply (a changed port, pricing) instead of passing them for reloaded', async () => {
    const config = join(dir, 'start-only.yaml');
    writeFileSync(config, `proxy:\n  upstreams:\n    openai: { base_url: ${fake.url} }\n`);
    const child = start(['--port', '0', '--db', join(dir, 'start-only.db'), '--config', config]);
    const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1]);
    writeFileSync(config, `proxy:\n  port: 9\n  upstreams:\n    openai: { base_url: ${fake.url} }\npricing:\n  discounts:\n    - { provider: openai, percent: 10 }\n`);
    child.proc.kill('SIGHUP');
    await until(() => (child.stderr().includes('config reloaded') ? true : undefined));
    // --port was given at start: the file's port would not apply after a restart either.
    await until(() => (child.stderr().includes('read at start only') ? true : undefined));
    expect(child.stderr()).toMatch(/warn: SIGHUP: pricing is read at start only: the change is not applied until the proxy restarts\n/);
    expect((await chat(url)).status).toBe(200);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);

    // Without --port, the file's port is the one a restart would take: named too.
    writeFileSync(config, `proxy:\n  port: 0\n  upstreams:\n    openai: { base_url: ${fake.url} }\n`);
    const second = start(['--db', join(dir, 'start-only.db'), '--config', config]);
    await until(() => (second.stderr().includes('listening on') ? true : undefined));
    writeFileSync(config, `proxy:\n  port: 9\n  log_format: json\n  upstreams:\n    openai: { base_url: ${fake.url} }\n`);
    second.proc.kill('SIGHUP');
    await until(() => (second.stderr().includes('read at start only') ? true : undefined));
    expect(second.stderr()).toMatch(/warn: SIGHUP: proxy\.port, proxy\.log_format are read at start only: the changes are not applied until the proxy restarts\n/);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  /** A proxy on its own ledger `name`.db with the fake provider as its one upstream, once it listens. */
  async function startOnFake(name: string) {
    const db = join(dir, `${name}.db`);
    const config = join(dir, `${name}.yaml`);
    writeFileSync(config, `proxy:\n  upstreams:\n    openai: { base_url: ${fake.url} }\n`);
    const child = start(['--port', '0', '--db', db, '--config', config]);
    const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1]);
    return { db, child, url };
  }

  /**
   * Takes an exclusive lock on `db` from a second connection, then sends one chat through the
   * proxy at `url`, answered 200 while its row cannot be written; close the connection to let go.
   */
  async function lockedChat(db: string, url: string): Promise<Database.Database> {
    const locker = new Database(db);
    try {
      locker.exec('BEGIN EXCLUSIVE');
      const res = await chat(url);
      expect(res.status).toBe(200);
      await res.text();
      return locker;
    } catch (error) {
      locker.close();
      throw error;
    }
  }

  it('exits 3, not 0, when rows could not be written at the stop (the ledger locked by another writer throughout)', { timeout: 40_000 }, async () => {
    const { db, child, url } = await startOnFake('locked');
    const locker = await lockedChat(db, url);
    try {
      child.proc.kill('SIGTERM');
      expect(await child.exited).toBe(3);
    } finally {
      locker.close();
    }
    expect(child.stderr()).toMatch(/\nerror: 1 proxy row could not be written to the ledger: database is locked\nllmfin proxy stopped · 0 rows written\n$/);
  });

  it('/llmfin/health is 503 with the reason while the ledger is locked by another writer, and ok once a write gets through', { timeout: 40_000 }, async () => {
    const { db, child, url } = await startOnFake('health-locked');
    const health = async () => {
      const res = await fetch(`${url}/llmfin/health`);
      return { status: res.status, body: (await res.json()) as { ok: boolean; rows_written: number; ledger_writes: Record<string, unknown> } };
    };
    expect(await health()).toMatchObject({ status: 200, body: { ok: true, ledger_writes: { ok: true, pending_rows: 0, error: null, failing_since: null } } });
    // BEGIN EXCLUSIVE from a second connection stops the proxy's writer thread, as root too
    // (file permissions would not): its write fails after the 5 s busy timeout.
    const locker = await lockedChat(db, url);
    try {
      let failing: Awaited<ReturnType<typeof health>> | undefined;
      for (const end = Date.now() + 20_000; Date.now() < end && failing === undefined; await new Promise((r) => setTimeout(r, 100))) {
        const h = await health();
        if (h.status === 503) failing = h;
      }
      expect(failing).toMatchObject({ status: 503, body: { ok: false, rows_written: 0, ledger_writes: { ok: false, pending_rows: 1, error: 'database is locked' } } });
      expect(failing!.body.ledger_writes.failing_since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    // The timer retries the kept row.
    let healed: Awaited<ReturnType<typeof health>> | undefined;
    for (const end = Date.now() + 15_000; Date.now() < end && healed === undefined; await new Promise((r) => setTimeout(r, 100))) {
      const h = await health();
      if (h.status === 200) healed = h;
    }
    expect(healed).toMatchObject({ status: 200, body: { ok: true, rows_written: 1, ledger_writes: { ok: true, pending_rows: 0, error: null, failing_since: null } } });
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.stderr()).toContain('error: ledger write failed, 1 row kept for the next try: database is locked');
  });

  it('flags a loop at anomalies.loop_repeats, the same count llmfin anomalies uses, unless proxy.loops.repeats says otherwise', async () => {
    const config = join(dir, 'loops.yaml');
    const upstream = `proxy:\n  upstreams:\n    openai:\n      base_url: ${fake.url}\n`;
    writeFileSync(config, `${upstream}anomalies:\n  loop_repeats: 2\n`);
    const child = start(['--port', '0', '--db', join(dir, 'loops.db'), '--config', config]);
    try {
      const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1]);
      const call = async (trace: string) => {
        const r = await chat(url, { 'x-llmfin-trace-id': trace });
        await r.text();
        return r.headers.get('x-llmfin-loop');
      };
      // The same call twice in a trace: a loop at 2 (the proxy's own default would wait for 4).
      expect(await call('t-a')).toBeNull();
      expect(await call('t-a')).toBe('repeat;repeats=2');

      writeFileSync(config, `${upstream}  loops: { repeats: 3 }\nanomalies:\n  loop_repeats: 2\n`);
      child.proc.kill('SIGHUP');
      await until(() => (child.stderr().includes('config reloaded') ? true : undefined));
      expect(await call('t-b')).toBeNull();
      expect(await call('t-b')).toBeNull();
      expect(await call('t-b')).toBe('repeat;repeats=3');
    } finally {
      child.proc.kill('SIGTERM');
      expect(await child.exited).toBe(0);
    }
  });

  it('--record-only changes no traffic: an enforce routing policy only records its decision, a blocking loop policy only flags', async () => {
    const config = join(dir, 'record-only.yaml');
    writeFileSync(
      config,
      `proxy:\n  upstreams:\n    openai:\n      base_url: ${fake.url}\n  loops: { action: block, repeats: 2 }\n` +
        'routing:\n  mode: enforce\n  default_tier: small\n  tiers:\n    - name: small\n      models: { openai: [gpt-4o-mini] }\n    - name: large\n      models: { openai: [gpt-4o] }\n',
    );
    const db = join(dir, 'record-only.db');
    const child = start(['--port', '0', '--db', db, '--config', config, '--record-only']);
    try {
      const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1], 30_000);
      expect(child.stderr()).toContain('record only (budgets not enforced) · routing shadow (record only)');
      const seen = fake.requests.length;
      const statuses: number[] = [];
      const loops: Array<string | null> = [];
      for (let i = 0; i < 2; i++) {
        const r = await chat(url, { 'x-llmfin-trace-id': 't-rec' }, false, { model: 'gpt-4o' });
        await r.text();
        statuses.push(r.status);
        loops.push(r.headers.get('x-llmfin-loop'));
        expect(r.headers.get('x-llmfin-routed-from')).toBeNull();
      }
      // Both calls went upstream as asked (no 429 for the repeat, no rewrite to gpt-4o-mini).
      expect(statuses).toEqual([200, 200]);
      expect(loops).toEqual([null, 'repeat;repeats=2']);
      expect(fake.requests.slice(seen).map((r) => r.body!.model)).toEqual(['gpt-4o', 'gpt-4o']);
    } finally {
      child.proc.kill('SIGTERM');
      expect(await child.exited).toBe(0);
    }
    // The decision is still recorded, as shadow mode records it, for `route simulate`.
    const ledger = await openLedger(db);
    const rows = await ledger.db.selectFrom('usage_entries').select(['model', 'raw_usage']).execute();
    await ledger.close();
    expect(rows.map((r) => r.model)).toEqual(['gpt-4o', 'gpt-4o']);
    expect((JSON.parse(rows[0]!.raw_usage!) as { routing?: unknown }).routing).toMatchObject({ mode: 'shadow', from: 'gpt-4o', model: 'gpt-4o-mini' });
  }, 60_000);

  it('a port in use exits 2 and says what to do', async () => {
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, '# defaults\n');
    const first = start(['--port', '0', '--db', join(dir, 'a.db'), '--config', empty, '--upstream', `openai=${fake.url}`]);
    const port = await until(() => /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(first.stderr())?.[1]);
    const second = start(['--port', port, '--db', join(dir, 'b.db'), '--config', empty]);
    expect(await second.exited).toBe(2);
    expect(second.stderr()).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    expect(second.stderr()).toContain('--port');
    // With --log-format json the failure is one JSON line too, as every other line of that log.
    const third = start(['--port', port, '--db', join(dir, 'c.db'), '--config', empty, '--log-format', 'json']);
    expect(await third.exited).toBe(2);
    const lines = third.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', event: 'proxy', exit_code: 2, message: expect.stringContaining(`cannot listen on 127.0.0.1:${port}: the port is in use`) });
    first.proc.kill('SIGINT');
    expect(await first.exited).toBe(0);
  });

  it('enforces the budgets in llmfin.yaml through the budgets engine, and posts their alerts to the webhook', async () => {
    // The webhook's client loads with the first alert (proxy-run.ts): the alerts must still arrive.
    const alerts: Array<Record<string, unknown>> = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        alerts.push({ ...(JSON.parse(body) as Record<string, unknown>), path: req.url });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const config = join(dir, 'budget.yaml');
    writeFileSync(config, `budgets:\n  - name: tiny\n    limit_usd: 0.0002\n    action: block\n    webhook: ${hookUrl}\n`);
    const child = start(['--port', '0', '--db', join(dir, 'budget.db'), '--config', config, '--upstream', `openai=${fake.url}`]);
    const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1]);
    expect(child.stderr()).toContain('· 1 budget');
    // Each request reserves at most 1 + 50 tokens (~$0.00003) and costs 0.0001512 (see
    // usage/openai-chat.test.ts): after two, spend is 0.0003024 and the third is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await chat(url, {}, false, { max_tokens: 50 })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await chat(url, {}, false, { max_tokens: 50 });
    expect(refused.headers.get('x-llmfin-budget')).toBe('tiny');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('budget_exceeded');
    // The second request took spend from $0.0001512 (under the 80% soft limit, $0.00016) to $0.0003024: both limits at once.
    await until(() => (alerts.length === 2 ? true : undefined));
    // Two POSTs on their own connections: they may arrive in either order.
    expect(alerts.map((a) => [a.path, a.source, a.type, a.budget, a.level, a.spent_usd, a.limit_usd]).sort((a, b) => String(a[4]).localeCompare(String(b[4])))).toEqual([
      ['/hook', 'llmfin', 'budget_alert', 'tiny', 'hard', 0.0003024, 0.0002],
      ['/hook', 'llmfin', 'budget_alert', 'tiny', 'soft', 0.0003024, 0.0002],
    ]);
    // The log line formats money as the rest of the CLI does (three significant digits below a cent).
    await until(() => (/hard limit reached/.test(child.stderr()) ? true : undefined));
    expect(child.stderr()).toContain('warn: budget tiny: soft limit reached, $0.000302 of $0.0002 (organisation)');
    expect(child.stderr()).toContain('warn: budget tiny: hard limit reached, $0.000302 of $0.0002 (organisation)');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('logs the alerts of a budget already past its limits when it starts, and names a limit SIGHUP changed', async () => {
    // $3.00 already spent this month by team search (claude-haiku-4-5, 3M input tokens at $1/M): at a $3 limit.
    const rows = join(dir, 'spent.jsonl');
    // And $0.0152 by team tiny (15,200 input tokens), past a $0.015 budget: in cents, "$0.02 of $0.02".
    writeFileSync(
      rows,
      [
        { id: 's1', ts: new Date().toISOString(), provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 3_000_000, output_tokens: 0, team: 'search' },
        { id: 's2', ts: new Date().toISOString(), provider: 'anthropic', model: 'claude-haiku-4-5', input_tokens: 15_200, output_tokens: 0, team: 'tiny' },
      ].map((r) => `${JSON.stringify(r)}\n`).join(''),
    );
    const db = join(dir, 'restart.db');
    const config = join(dir, 'restart.yaml');
    const budget = (limit: number) => `budgets:\n  - { name: search, scope: { team: search }, limit_usd: ${limit}, action: block }\n  - { name: org, limit_usd: 100 }\n  - { name: cents, scope: { team: tiny }, limit_usd: 0.015 }\n`;
    writeFileSync(config, budget(3));
    const imported = spawn(process.execPath, [BIN, 'import', '--db', db, '--config', config, rows], { cwd: dir, env: { ...process.env, HOME: dir, LLMFIN_CONFIG: '', NO_COLOR: '1' }, stdio: 'ignore' });
    expect(await new Promise((resolve) => imported.on('exit', resolve))).toBe(0);
    const child = start(['--port', '0', '--db', db, '--config', config, '--upstream', `anthropic=${fake.url}`]);
    await until(() => (/hard limit reached/.test(child.stderr()) ? true : undefined), 30_000);
    expect(child.stderr()).toContain('warn: budget search: soft limit reached, $3.00 of $3.00 (team=search)');
    expect(child.stderr()).toContain('warn: budget search: hard limit reached, $3.00 of $3.00 (team=search)');
    expect(child.stderr()).toContain('warn: budget cents: hard limit reached, $0.0152 of $0.015 (team=tiny)');
    expect(child.stderr()).not.toContain('budget org:');
    // The limit raised to $10 in the file: SIGHUP applies it and names it.
    writeFileSync(config, budget(10));
    child.proc.kill('SIGHUP');
    await until(() => (child.stderr().includes('SIGHUP: config reloaded') ? true : undefined), 30_000);
    expect(child.stderr()).toMatch(/SIGHUP: config reloaded from .*restart\.yaml \(2 upstreams; budgets: search \(limit_usd\)\)\n/);
    expect(child.stderr()).not.toContain('read at start only');
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  }, 60_000);

  it('SIGHUP applies a raised limit to a blocked budget, and a broken budget section keeps the running budgets', async () => {
    const config = join(dir, 'raise.yaml');
    // $0.0002 = 2,000,000 ticks; a request costs 1,512,000 (gpt-4o-mini through the fake provider): the third is refused.
    const budget = (limit: number, extra = '') => `budgets:\n  - { name: search, scope: { team: search }, limit_usd: ${limit}, action: block${extra} }\n`;
    writeFileSync(config, budget(0.0002));
    const child = start(['--port', '0', '--db', join(dir, 'raise.db'), '--config', config, '--upstream', `openai=${fake.url}`]);
    const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1], 30_000);
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-cli-test', maxRetries: 0 });
    const ask = () =>
      client.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-team': 'search' } })
        .then(() => 200, (e: unknown) => (e instanceof OpenAI.APIError ? e.status : 0));
    expect([await ask(), await ask(), await ask()]).toEqual([200, 200, 429]);
    // A zone that does not exist: the file is refused whole, the block stands.
    writeFileSync(config, budget(0.001, ', timezone: Mars/Olympus'));
    child.proc.kill('SIGHUP');
    await until(() => (child.stderr().includes('SIGHUP: config not reloaded') ? true : undefined), 30_000);
    expect(child.stderr()).toMatch(/error: SIGHUP: config not reloaded, keeping the running one: .*raise\.yaml.*budgets\.0\.timezone/);
    expect(await ask()).toBe(429);
    writeFileSync(config, budget(0.001));
    child.proc.kill('SIGHUP');
    await until(() => (child.stderr().includes('SIGHUP: config reloaded') ? true : undefined), 30_000);
    expect(child.stderr()).toMatch(/SIGHUP: config reloaded from .*raise\.yaml \(2 upstreams; budgets: search \(limit_usd\)\)\n/);
    expect(await ask()).toBe(200);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    // Three requests admitted, each counted once: 4,536,000 ticks in the ledger.
    const db = new Database(join(dir, 'raise.db'), { readonly: true });
    const row = db.prepare("select count(*) as n, sum(cost_ticks) as ticks from usage_entries where team = 'search' and cost_ticks > 0").get() as { n: number; ticks: number };
    db.close();
    expect(row).toEqual({ n: 3, ticks: 4_536_000 });
  }, 60_000);

  it('a downgrade budget with no model and no routing tiers exits 2 naming the option; SIGHUP cannot take the tiers away', async () => {
    const config = join(dir, 'downgrade.yaml');
    const budget = 'budgets:\n  - name: growth\n    scope: { team: growth }\n    limit_usd: 70\n    action: downgrade\n';
    writeFileSync(config, budget);
    const refused = start(['--port', '0', '--db', join(dir, 'd.db'), '--config', config]);
    expect(await refused.exited).toBe(2);
    expect(refused.stderr()).toContain('downgrade.yaml: budgets.0.downgrade_to: budget "growth" has action downgrade but names no model, and routing: has no tiers to take the cheapest from');
    expect(refused.stderr()).not.toMatch(/\n\s+at /);

    const tiers = 'routing:\n  tiers:\n    - name: small\n      models: { openai: [gpt-4o-mini] }\n    - name: large\n      models: { openai: [gpt-4o] }\n';
    writeFileSync(config, budget + tiers);
    const child = start(['--port', '0', '--db', join(dir, 'd.db'), '--config', config, '--upstream', `openai=${fake.url}`]);
    await until(() => (/listening on/.test(child.stderr()) ? true : undefined), 30_000);
    writeFileSync(config, budget);
    child.proc.kill('SIGHUP');
    await until(() => (child.stderr().includes('SIGHUP: config not reloaded') ? true : undefined), 30_000);
    expect(child.stderr()).toContain('SIGHUP: config not reloaded, keeping the running one: downgrade.yaml: budgets.0.downgrade_to:');
    // A routing pool naming an upstream that does not exist: the file is named too.
    writeFileSync(config, budget + tiers.replace('openai: [gpt-4o-mini]', 'opnai: [gpt-4o-mini]'));
    child.proc.kill('SIGHUP');
    await until(() => (child.stderr().includes('models.opnai') ? true : undefined), 30_000);
    // Five lines of budgets, then routing: the pool is on line 9.
    expect(child.stderr()).toContain('SIGHUP: config not reloaded, keeping the running one: downgrade.yaml:9: routing.tiers.0.models.opnai: expected an upstream name');
    // --record-only enforces no budget, so it has nothing to check.
    writeFileSync(config, budget);
    const recordOnly = start(['--port', '0', '--db', join(dir, 'd.db'), '--config', config, '--record-only']);
    await until(() => (/listening on/.test(recordOnly.stderr()) ? true : undefined), 30_000);
    for (const c of [child, recordOnly]) {
      c.proc.kill('SIGTERM');
      expect(await c.exited).toBe(0);
    }
    // Three proxies start one after another: on a loaded machine that takes a while.
  }, 90_000);

  it('stopping waits for requests in flight and says so; a second SIGINT cuts them now, each still recorded', async () => {
    const empty = join(dir, 'empty-drain.yaml');
    writeFileSync(empty, '# defaults\n');
    const db = join(dir, 'drain.db');
    const child = start(['--port', '0', '--db', db, '--config', empty, '--upstream', `openai=${fake.url}`]);
    const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1], 30_000);
    // An upstream that never answers: without the second signal the proxy would wait 30 s for it.
    const hung = chat(url, { 'x-fake-scenario': 'hang' }).then((r) => r.status, () => 'cut');
    const inFlight = async () => ((await (await fetch(`${url}/llmfin/health`)).json()) as { in_flight: number }).in_flight;
    for (let i = 0; (await inFlight()) !== 1; i++) {
      if (i > 500) throw new Error('the request never went in flight');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.proc.kill('SIGINT');
    await until(() => (child.stderr().includes('SIGINT again cuts them now') ? true : undefined));
    expect(child.stderr()).toContain('SIGINT: stopping, writing queued rows; waiting up to 30 s for 1 request(s) in flight');
    const t = Date.now();
    child.proc.kill('SIGINT');
    expect(await child.exited).toBe(0);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(child.stderr()).toContain('SIGINT again: cutting 1 request(s) in flight');
    expect(await hung).toBe('cut');
    const ledger = await openLedger(db);
    try {
      const rows = await ledger.db.selectFrom('usage_entries').select(['status_code', 'cost_status']).execute();
      expect(rows).toEqual([{ status_code: 499, cost_status: 'estimated' }]);
    } finally {
      await ledger.close();
    }
  }, 60_000);

  it('bad flags exit 2', async () => {
    const child = start(['--port', 'eighty', '--db', join(dir, 'c.db')]);
    expect(await child.exited).toBe(2);
    expect(child.stderr()).toContain('--port: expected a port number');
    // An empty --host would listen on every interface: refused, never bound.
    const empty = start(['--host', '', '--port', '0', '--db', join(dir, 'c.db')]);
    expect(await empty.exited).toBe(2);
    expect(empty.stderr()).toContain('--host: expected an address such as 127.0.0.1 (0.0.0.0 for every interface), got ""');
    expect(empty.stderr()).not.toContain('listening');
    // Credentials in an --upstream URL are refused as in proxy.upstreams, and never echoed:
    // the banner and /llmfin/health would show them, and requests would go without them.
    const secret = start(['--upstream', 'openai=http://user:sk-live-secret@127.0.0.1:9/v1', '--port', '0', '--db', join(dir, 'c.db')]);
    expect(await secret.exited).toBe(2);
    expect(secret.stderr()).toContain('--upstream: expected a URL without credentials, got "openai=http://***@127.0.0.1:9/v1"');
    expect(secret.stderr()).toContain('api_key_env');
    expect(secret.stderr()).not.toContain('sk-live-secret');
    expect(secret.stderr()).not.toContain('listening');
    // Without its NAME=, the value is refused for that, with the credentials masked all the same.
    const unnamed = start(['--upstream', 'http://user:sk-live-secret@127.0.0.1:9/v1', '--port', '0', '--db', join(dir, 'c.db')]);
    expect(await unnamed.exited).toBe(2);
    expect(unnamed.stderr()).toContain('--upstream: expected NAME=URL such as openai=http://127.0.0.1:9100, got "http://***@127.0.0.1:9/v1"');
    expect(unnamed.stderr()).not.toContain('sk-live-secret');
  });
});

describe('llmfin proxy routing warnings at start', () => {
  it('are printed once prefixed "routing:", not twice', async () => {
    const config = join(dir, 'warn.yaml');
    writeFileSync(config, 'routing:\n  tiers:\n    - name: small\n      models: { openai: [my-local-llm, gpt-4o-mini] }\n    - name: large\n      models: { openai: [gpt-4o, gpt-4o-mini] }\n');
    const child = start(['--port', '0', '--db', join(dir, 'warn.db'), '--config', config]);
    await until(() => (/listening on/.test(child.stderr()) ? true : undefined));
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.stderr()).toContain('warning: routing: my-local-llm is not in the price catalogue');
    expect(child.stderr()).toContain('warning: routing: gpt-4o-mini is listed in tiers small, large for openai-dialect clients: a request for it is taken as tier small');
    expect(child.stderr()).not.toContain('routing: routing:');
  });
});
