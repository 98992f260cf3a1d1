#!/usr/bin/env node
// Import benchmark: rows/s and peak RSS of `llmfin import` on large generated files
// (llmfin CSV, FOCUS 1.2 CSV, llmfin JSONL), each next to a baseline measured in the same
// session (reading the same file line by line in a bare Node process), so the figures
// compare across noisy machines.
// Targets (issue 3): >= 150,000 rows/s and peak RSS <= 250 MB; the exit code is 1 when
// one is missed. At --rows above 1,000,000 only the RSS bound is a target.
// Each run also reports its CPU time (user + system, both threads): on a shared machine
// that moves less than the wall time. (A --parse-only mode ran `import --dry-run`, which
// read and priced without writing; a dry run now writes in a transaction it rolls back, so
// that its counts are the import's own, and the reading side is measured with --cpu-prof.)
// --bin runs another build's CLI (an A/B pair in one session); --data keeps the generated
// files in a folder and reuses them (a 1M-row FOCUS file takes ~20 s to write).
//   npm run bench:import [-- --rows 5000000] [-- --formats csv,focus,jsonl]
//                        [-- --bin /tmp/old/bin/llmfin] [-- --data /tmp/bench-files]
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > -1 ? process.argv[i + 1] : fallback;
}
const bin = option('--bin', join(root, 'bin', 'llmfin'));
const DATA = option('--data', undefined);
const ROWS = Number(option('--rows', '1000000'));
const FORMATS = option('--formats', 'csv,focus,jsonl').split(',');
const RATE_TARGET = 150_000;
const RSS_TARGET_MB = 250;
if (!Number.isSafeInteger(ROWS) || ROWS <= 0) throw new Error('--rows: expected a positive integer');
const dir = mkdtempSync(join(tmpdir(), 'llmfin-bench-import-'));

/** Writes `rows` lines made by `line(i)` in 1 MB writes. */
async function writeLines(path, header, rows, line) {
  const out = createWriteStream(path);
  let buf = header === undefined ? '' : `${header}\n`;
  for (let i = 0; i < rows; i++) {
    buf += `${line(i)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

const MODELS = [['openai', 'gpt-4o'], ['openai', 'gpt-4.1-mini'], ['anthropic', 'claude-sonnet-4-5'], ['anthropic', 'claude-haiku-4-5'], ['google', 'gemini-2.5-flash']];
const ts = (i) => new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString();

function jsonlLine(i) {
  const [provider, model] = MODELS[i % MODELS.length];
  return JSON.stringify({ id: `r${i}`, ts: ts(i), provider, model, input_tokens: 1000 + (i % 500), cache_read_tokens: i % 300, output_tokens: 200 + (i % 100), team: `team-${i % 7}`, feature: `feature-${i % 11}`, customer: `cust-${i % 101}` });
}

const CSV_HEADER = 'id,ts,provider,model,input_tokens,cache_read_tokens,output_tokens,team,feature,customer,tags';
function csvLine(i) {
  const [provider, model] = MODELS[i % MODELS.length];
  // One row in ten carries JSON tags, which CSV must quote.
  const tags = i % 10 === 0 ? `"{""env"":""prod"",""app"":""app-${i % 13}""}"` : '';
  return `r${i},${ts(i)},${provider},${model},${1000 + (i % 500)},${i % 300},${200 + (i % 100)},team-${i % 7},feature-${i % 11},cust-${i % 101},${tags}`;
}

// FOCUS 1.2 as AWS, Azure and Google Cloud deliver it: LLM token meters with their
// money, account, region and tags (the layout of test/fixtures/importers/focus/focus-1.2-ai-2026-10.csv).
const FOCUS_HEADER =
  'BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,ChargeFrequency,ChargePeriodEnd,ChargePeriodStart,ConsumedQuantity,ConsumedUnit,ContractedCost,EffectiveCost,InvoiceId,InvoiceIssuerName,ListCost,PricingQuantity,PricingUnit,ProviderName,PublisherName,RegionId,ResourceId,ServiceCategory,ServiceName,ServiceSubcategory,SkuId,SkuMeter,SkuPriceId,SubAccountId,SubAccountName,Tags,x_UsageType';
const AWS = { account: '999988887777', issuer: '"Amazon Web Services, Inc."', provider: 'AWS', service: 'Amazon Bedrock', invoice: 'EUINUS26-0001', region: 'us-east-1', unit: 'Million Tokens', per: 1e6 };
const AZURE = { account: '/providers/Microsoft.Billing/billingAccounts/1234567', issuer: 'Microsoft', provider: 'Microsoft', service: 'Azure OpenAI', invoice: 'G012345678', region: 'eastus2', unit: '1K Tokens', per: 1e3 };
const GCP = { account: '012345-6789AB-CDEF01', issuer: 'Google', provider: 'Google Cloud', service: 'Vertex AI', invoice: '5678901234', region: 'us-central1', unit: 'Tokens', per: 1 };
// [cloud, USD per 1M tokens in micro-dollars, description, SkuMeter, x_UsageType]
const SKUS = [
  [AWS, 1_000_000, '$1.00 per million input tokens for Claude Haiku 4.5 in US East (N. Virginia)', 'Input Tokens', 'USE1-Claude4.5Haiku-input-tokens'],
  [AWS, 5_000_000, '$5.00 per million output tokens for Claude Haiku 4.5 in US East (N. Virginia)', 'Output Tokens', 'USE1-Claude4.5Haiku-output-tokens'],
  [AWS, 100_000, '$0.10 per million cache read input tokens for Claude Haiku 4.5 in US East (N. Virginia)', 'Cache Read Input Tokens', 'USE1-Claude4.5Haiku-cache-read-input-token-count'],
  [AWS, 60_000, '$0.06 per million input tokens for Amazon Nova Lite in US East (N. Virginia)', 'Input Tokens', 'USE1-NovaLite-input-tokens'],
  [AZURE, 150_000, 'Azure OpenAI - gpt-4o-mini-0718-Inp-glbl Tokens', 'gpt-4o-mini-0718-Inp-glbl Tokens', ''],
  [AZURE, 600_000, 'Azure OpenAI - gpt-4o-mini-0718-Outp-glbl Tokens', 'gpt-4o-mini-0718-Outp-glbl Tokens', ''],
  [AZURE, 2_000_000, 'Azure OpenAI - gpt 4.1 Inp glbl Tokens', 'gpt 4.1 Inp glbl Tokens', ''],
  [GCP, 300_000, 'Gemini 2.5 Flash Text Input - Predictions', 'Text Input', ''],
  [GCP, 2_500_000, 'Gemini 2.5 Flash Thinking Text Output - Predictions', 'Thinking Text Output', ''],
];
const TEAMS = ['search', 'support', 'growth', 'platform'];

function focusLine(i) {
  const [c, microPerMillion, description, meter, usageType] = SKUS[i % SKUS.length];
  const resource = Math.floor(i / SKUS.length) % 50;
  const hour = Math.floor(i / (SKUS.length * 50));
  const start = new Date(Date.UTC(2026, 0, 1) + hour * 3_600_000);
  const end = new Date(start.getTime() + 3_600_000);
  const billStart = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
  const billEnd = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const tokens = 10_000 + ((i * 7919) % 5_000_000);
  // tokens x micro-USD per 1M tokens = 1e-12 USD units: exact decimal text.
  const units = BigInt(tokens) * BigInt(microPerMillion);
  const cost = `${units / 1_000_000_000_000n}.${String(units % 1_000_000_000_000n).padStart(12, '0')}`.replace(/\.?0+$/, '');
  const z = (d) => d.toISOString().replace('.000Z', 'Z');
  const sub = c === AWS ? `11112222${String(3333 + (resource % 5)).padStart(4, '0')}` : c === AZURE ? `/subscriptions/00000000-0000-0000-0000-00000000000${resource % 5}` : `demo-proj-${resource % 5}`;
  const skuId = `SKU${(i % SKUS.length).toString(36).toUpperCase()}`;
  return [
    cost, c.account, 'Example Corp', 'USD', z(billEnd), z(billStart), 'Usage', '', description.includes(',') ? `"${description}"` : description, 'Usage-Based', z(end), z(start),
    tokens, 'Tokens', cost, cost, c.invoice, c.issuer, cost, tokens / c.per, c.unit, c.provider, c.issuer, c.region, `${c === AWS ? 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/' : 'res-'}app-${resource}`,
    'AI and Machine Learning', c.service, 'Generative AI', skuId, meter, `${skuId}-1`, sub, `sub-${resource % 5}`, `"{""team"": ""${TEAMS[resource % TEAMS.length]}"", ""env"": ""prod""}"`, usageType,
  ].join(',');
}

const CASES = {
  csv: { label: 'llmfin CSV', file: 'usage.csv', write: (p) => writeLines(p, CSV_HEADER, ROWS, csvLine) },
  focus: { label: 'FOCUS 1.2 CSV', file: 'focus.csv', write: (p) => writeLines(p, FOCUS_HEADER, ROWS, focusLine) },
  jsonl: { label: 'llmfin JSONL', file: 'usage.jsonl', write: (p) => writeLines(p, undefined, ROWS, jsonlLine) },
};

function measure(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: dir } });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const [secs, kb, user, system] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { secs, mb: kb / 1024, cpu: user + system };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
let ok = true;
try {
  console.log(`import benchmark: ${fmt(ROWS)} rows per file; targets ${ROWS <= 1_000_000 ? `>= ${fmt(RATE_TARGET)} rows/s and ` : ''}peak RSS <= ${RSS_TARGET_MB} MB`);
  for (const name of FORMATS) {
    const c = CASES[name];
    if (!c) throw new Error(`--formats: unknown "${name}" (known: ${Object.keys(CASES).join(', ')})`);
    // A kept file is named by its row count; written under a temporary name, so a run
    // stopped halfway never leaves a short file to be reused.
    const file = DATA === undefined ? join(dir, c.file) : join(DATA, `${ROWS}-${c.file}`);
    if (DATA === undefined || !existsSync(file)) {
      if (DATA !== undefined) mkdirSync(DATA, { recursive: true });
      await c.write(`${file}.part`);
      renameSync(`${file}.part`, file);
    }
    const size = statSync(file).size / 1e6;
    const baseline = measure(['-e', `const rl=require('readline').createInterface({input:require('fs').createReadStream(${JSON.stringify(file)})});let n=0;rl.on('line',()=>n++);`]);
    const db = join(dir, `${name}.db`);
    const run = measure([bin, 'import', file, '--db', db]);
    const rate = ROWS / run.secs;
    const rateOk = ROWS > 1_000_000 || rate >= RATE_TARGET;
    const rssOk = run.mb <= RSS_TARGET_MB;
    ok &&= rateOk && rssOk;
    console.log(`${c.label} (${size.toFixed(0)} MB)`);
    console.log(`  baseline: read lines only   ${baseline.secs.toFixed(2)} s   ${fmt(ROWS / baseline.secs).padStart(9)} rows/s   peak RSS ${baseline.mb.toFixed(0)} MB`);
    console.log(`  llmfin import               ${run.secs.toFixed(2)} s   ${fmt(rate).padStart(9)} rows/s   peak RSS ${run.mb.toFixed(0)} MB   CPU ${run.cpu.toFixed(1)} s   (${(run.secs / baseline.secs).toFixed(2)}x the baseline's time)`);
    console.log(`  rate: ${ROWS > 1_000_000 ? 'not a target above 1M rows' : rateOk ? 'met' : 'MISSED'} · RSS: ${rssOk ? 'met' : 'MISSED'}`);
    if (DATA === undefined) rmSync(file, { force: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
