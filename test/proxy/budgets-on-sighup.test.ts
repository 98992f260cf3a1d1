// Budgets that SIGHUP brings to a proxy started without any, and takes all away from one
// that had some (src/cli/commands/proxy-run.ts, RunningProxy#startBudgets and
// #stopBudgets): the built bin as a child process, the official OpenAI client, the
// loopback fake provider, and `llmfin budget status` on the same ledger.
//
// gpt-4o-mini through the fake provider: $0.0001512 = 1,512,000 ticks a request
// (1,024 cached input x $0.075 + 176 input x $0.15 + 80 output x $0.60 per 1M tokens).
// A request's maximum cost ("hi", max_tokens 10) is about 65,000 ticks: a block budget
// admits while the spend plus that fits under its limit.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { startFakeProvider, type FakeProvider } from '../helpers/fake-provider.js';
import { startProxyChild, until, type ProxyChild } from '../helpers/proxy-child.js';

let fake: FakeProvider;
let dir: string;
beforeAll(async () => {
  fake = await startFakeProvider();
  dir = mkdtempSync(join(tmpdir(), 'llmfin-budgets-sighup-'));
});
const children: ProxyChild[] = [];
// A test that fails before its SIGTERM must not leave its proxy running after the suite.
afterEach(() => {
  for (const c of children.splice(0)) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const PROXY = (url: string) => `proxy:\n  upstreams:\n    openai:\n      base_url: ${url}\n`;
const SEARCH = (limit: number) => `budgets:\n  - { name: search, scope: { team: search }, limit_usd: ${limit}, action: block }\n`;

interface Running {
  child: ProxyChild;
  url: string;
  /** Status of one chat request for team search; a refusal's error is kept in `refusals`. */
  ask(): Promise<number>;
  refusals: InstanceType<typeof OpenAI.APIError>[];
  /** Writes the config, sends SIGHUP and waits for its reload line; returns that line. */
  reload(config: string): Promise<string>;
  /** The budget's spend as /metrics shows it, undefined when it has no series. */
  metricsSpent(name: string): Promise<number | undefined>;
}

async function run(name: string, config: string): Promise<Running> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, config);
  const child = startProxyChild(dir, ['--port', '0', '--db', join(dir, `${name}.db`), '--config', file]);
  children.push(child);
  const url = await until(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr())?.[1], 30_000);
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-cli-test', maxRetries: 0 });
  const refusals: InstanceType<typeof OpenAI.APIError>[] = [];
  let reloads = 0;
  return {
    child,
    url,
    refusals,
    ask: () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-llmfin-team': 'search' } }).then(
        () => 200,
        (e: unknown) => {
          if (!(e instanceof OpenAI.APIError)) throw e;
          refusals.push(e);
          return e.status ?? 0;
        },
      ),
    reload: async (next) => {
      writeFileSync(file, next);
      reloads++;
      child.proc.kill('SIGHUP');
      const lines = () => child.stderr().split('\n').filter((l) => l.includes('SIGHUP: config'));
      return until(() => (lines().length >= reloads ? lines()[reloads - 1] : undefined), 30_000);
    },
    metricsSpent: async (budget) => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const m = new RegExp(`^llmfin_budget_spent_usd\\{budget="${budget}"\\} (\\S+)$`, 'm').exec(text);
      return m === null ? undefined : Number(m[1]);
    },
  };
}

interface StatusRow {
  name: string;
  spent_usd: number;
  limit_usd: number;
  state: string;
}
const budgetStatus = async (name: string) =>
  (await runJson<{ rows: StatusRow[] }>(['budget', 'status', '--db', join(dir, `${name}.db`), '--config', join(dir, `${name}.yaml`)], { cwd: dir })).rows;

describe('budgets on SIGHUP (child process)', () => {
  it('a proxy started without budgets enforces those SIGHUP adds, their spend read from the ledger, each request once', async () => {
    const r = await run('from-none', PROXY(fake.url));
    expect(r.child.stderr()).toContain('· no budgets');
    expect([await r.ask(), await r.ask()]).toEqual([200, 200]);
    // $0.0004 = 4,000,000 ticks over the 3,024,000 already spent: one more request fits, the next
    // is refused. Spend not read would admit both; spend read twice (6,048,000) would refuse both.
    const line = await r.reload(PROXY(fake.url) + SEARCH(0.0004));
    expect(line).toMatch(/ SIGHUP: config reloaded from .*from-none\.yaml \(2 upstreams; budgets: search \(added\)\)$/);
    expect(r.child.stderr()).not.toContain('restart');
    expect(await r.metricsSpent('search')).toBe(0.0003024);
    expect((await budgetStatus('from-none')).map((b) => [b.name, b.spent_usd, b.state])).toEqual([['search', 0.0003024, 'green']]);
    expect([await r.ask(), await r.ask()]).toEqual([200, 429]);
    expect(r.refusals).toHaveLength(1);
    expect(r.refusals[0]!.headers?.get('x-llmfin-budget')).toBe('search');
    expect(r.refusals[0]!.message).toContain('budget "search" reached: $0.000454 of $0.0004 spent (monthly, team=search)');
    expect(await r.metricsSpent('search')).toBe(0.0004536);
    r.child.proc.kill('SIGTERM');
    expect(await r.child.exited).toBe(0);
    // Three requests served, each counted once: the ledger and the proxy agree.
    expect((await budgetStatus('from-none')).map((b) => [b.name, b.spent_usd, b.limit_usd, b.state])).toEqual([['search', 0.0004536, 0.0004, 'red']]);
  }, 90_000);

  it('removing every budget lets requests through; adding one back reads the spend from the ledger again', async () => {
    // $0.0001 = 1,000,000 ticks: the first request fits, the second is refused.
    const r = await run('to-none', PROXY(fake.url) + SEARCH(0.0001));
    expect(r.child.stderr()).toContain('· 1 budget');
    expect([await r.ask(), await r.ask()]).toEqual([200, 429]);
    const removed = await r.reload(PROXY(fake.url));
    expect(removed).toMatch(/\(2 upstreams; budgets: search \(removed\)\)$/);
    expect([await r.ask(), await r.ask()]).toEqual([200, 200]);
    // No budget is left to report.
    expect(await r.metricsSpent('search')).toBeUndefined();
    // Back again: three requests served (4,536,000 ticks), past its limit at once.
    const added = await r.reload(PROXY(fake.url) + SEARCH(0.0001));
    expect(added).toMatch(/\(2 upstreams; budgets: search \(added\)\)$/);
    expect(await r.metricsSpent('search')).toBe(0.0004536);
    expect(await r.ask()).toBe(429);
    expect(r.refusals.map((e) => e.headers?.get('x-llmfin-budget'))).toEqual(['search', 'search']);
    r.child.proc.kill('SIGTERM');
    expect(await r.child.exited).toBe(0);
    expect((await budgetStatus('to-none')).map((b) => [b.name, b.spent_usd, b.state])).toEqual([['search', 0.0004536, 'red']]);
  }, 90_000);
});
