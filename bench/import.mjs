#!/usr/bin/env node
// Import benchmark: rows/s and peak RSS of `llmfin import` on large generated files,
// next to a baseline measured in the same session (reading the same file line by line
// in a bare Node process), so the figures compare across noisy machines.
// Targets (issue 3): >= 150,000 rows/s and peak RSS <= 250 MB at 1,000,000 rows.
//   npm run bench:import [-- --rows 1000000]
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'llmfin');
const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > -1 ? Number(process.argv[rowsArg + 1]) : 1_000_000;
const dir = mkdtempSync(join(tmpdir(), 'llmfin-bench-import-'));

async function writeJsonl(path, rows) {
  const out = createWriteStream(path);
  const models = [['openai', 'gpt-4o'], ['openai', 'gpt-4.1-mini'], ['anthropic', 'claude-sonnet-4-5'], ['anthropic', 'claude-haiku-4-5'], ['google', 'gemini-2.5-flash']];
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const [provider, model] = models[i % models.length];
    buf += `${JSON.stringify({ id: `r${i}`, ts: new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString(), provider, model, input_tokens: 1000 + (i % 500), cache_read_tokens: i % 300, output_tokens: 200 + (i % 100), team: `team-${i % 7}`, feature: `feature-${i % 11}`, customer: `cust-${i % 101}` })}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

function measure(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: dir } });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const [secs, kb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { secs, mb: kb / 1024 };
}

const file = join(dir, 'usage.jsonl');
await writeJsonl(file, ROWS);
const size = statSync(file).size / 1e6;
const baseline = measure(['-e', `const rl=require('readline').createInterface({input:require('fs').createReadStream(${JSON.stringify(file)})});let n=0;rl.on('line',()=>n++);`]);
const run = measure([bin, 'import', file, '--db', join(dir, 'ledger.db')]);
const rate = ROWS / run.secs;
console.log(`import benchmark: ${ROWS.toLocaleString('en-US')} rows of llmfin JSONL (${size.toFixed(0)} MB)`);
console.log(`  baseline: read lines only   ${baseline.secs.toFixed(2)} s   ${Math.round(ROWS / baseline.secs).toLocaleString('en-US')} rows/s   peak RSS ${baseline.mb.toFixed(0)} MB`);
console.log(`  llmfin import               ${run.secs.toFixed(2)} s   ${Math.round(rate).toLocaleString('en-US')} rows/s   peak RSS ${run.mb.toFixed(0)} MB   (${(run.secs / baseline.secs).toFixed(1)}x the baseline's time)`);
console.log(`  target >= 150,000 rows/s: ${rate >= 150_000 ? 'met' : 'MISSED'} · target RSS <= 250 MB: ${run.mb <= 250 ? 'met' : 'MISSED'}`);
rmSync(dir, { recursive: true, force: true });
process.exitCode = rate >= 150_000 && run.mb <= 250 ? 0 : 1;
