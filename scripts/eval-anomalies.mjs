#!/usr/bin/env node
// `npm run eval:anomalies`: routing-forecast.md §3.7 on the compiled detectors (dist/).
// 1. Spend: 2,000 seeded synthetic entities × 120 days with benign bursts and organic
//    growth, one labelled anomaly each (none / spike / level shift / creep); event recall
//    within tolerance, false incidents per entity-month (and repeat incidents: a labelled
//    anomaly reported again inside its window), against the naive 1.5× trailing week rule
//    and mean + 3σ of 28 days.
// 2. Unit metric (tokens per request) creep: 2,000 entities, half with +1–5%/day creep.
// 3. Agent loops: synthetic traces, normal vs looping; detection step, false flags.
// 4. NAB subset sanity run (hourly, season 24) against labels/combined_windows.json.
// Flags: --seed N (any seed), --dev (the tuning seeds DEV_SEEDS, one line each; the
// held-out seed is not run), --entities N, --sensitivity low|medium|high, --spend-only.
// A plain run reports the held-out seed and says so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { THRESHOLDS } from '../dist/anomalies/sensitivity.js';
import { scanSpend } from '../dist/anomalies/spend-scan.js';
import { scanUnitMetric } from '../dist/anomalies/unit-scan.js';
import { callSignature, detectLoop } from '../dist/anomalies/loop-detector.js';
import { draws, fmt, nabDir, pct, prng, readNab, resample, verdict } from './eval-lib.mjs';

// Honesty protocol: the detector's defaults (src/anomalies/sensitivity.ts and the
// constants of spend-scan.ts) are tuned on the DEV_SEEDS only (`--dev`); the figures
// reported by a plain run (README) come from HELD_OUT_SEED, never used while tuning.
export const HELD_OUT_SEED = 20261202;
export const DEV_SEEDS = [1001, 1002, 1003];
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const { values: args } = isMain
  ? parseArgs({
      options: {
        seed: { type: 'string' },
        dev: { type: 'boolean', default: false },
        entities: { type: 'string' },
        sensitivity: { type: 'string' },
        'spend-only': { type: 'boolean', default: false },
      },
      strict: true,
    })
  : { values: {} };
const ENTITIES = Number(args.entities ?? process.env.ENTITIES ?? 2000);
export const DAYS = 120;
export const WARMUP = 28;
const SENSITIVITY = args.sensitivity ?? process.env.SENSITIVITY ?? 'medium';
const th = THRESHOLDS[SENSITIVITY];
if (!th) throw new Error(`unknown sensitivity ${SENSITIVITY} (low, medium, high)`);
const KINDS = ['none', 'spike', 'level_shift', 'creep'];
const TOLERANCE = { spike: 0, level_shift: 3, creep: 14 };

export function spendEntity(rand) {
  const d = draws(rand);
  const level = Math.exp(d.uniform(Math.log(5), Math.log(500)));
  const weekend = d.uniform(0.3, 0.8);
  const growth = d.uniform(-0.002, 0.01);
  const sigma = d.uniform(0.1, 0.35);
  const kind = KINDS[Math.floor(rand() * 4)];
  const onset = d.int(40, 105);
  let end = onset;
  let size = 1;
  if (kind === 'spike') {
    end = onset + d.int(0, 2);
    size = d.uniform(3, 10);
  } else if (kind === 'level_shift') {
    size = d.uniform(1.5, 2.5);
    end = onset;
  } else if (kind === 'creep') {
    size = d.uniform(0.02, 0.05);
    end = onset + 13;
  }
  const base = new Float64Array(DAYS);
  const values = new Float64Array(DAYS);
  for (let t = 0; t < DAYS; t++) {
    const season = t % 7 >= 5 ? weekend : 1;
    let v = level * season * Math.exp(growth * t) * Math.exp(sigma * d.normal() - (sigma * sigma) / 2);
    if (rand() < 0.04) v *= d.uniform(1.5, 2.2);
    base[t] = v;
    if (kind === 'spike' && t >= onset && t <= end) v *= size;
    if (kind === 'level_shift' && t >= onset) v *= size;
    if (kind === 'creep' && t >= onset) v *= Math.pow(1 + size, Math.min(t - onset + 1, 14));
    values[t] = v;
  }
  return { kind, onset, end, values, base };
}

/** Consecutive alert days (gap ≤ 1 day) form one incident; returns incident start days. */
export function incidents(days) {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const out = [];
  let last = -10;
  for (const d of sorted) {
    if (d > last + 2) out.push({ start: d, days: [d] });
    else out.at(-1).days.push(d);
    last = d;
  }
  return out;
}

export const naiveRule = (v) => {
  const out = [];
  for (let t = WARMUP; t < v.length; t++) {
    let s = 0;
    for (let k = 1; k <= 7; k++) s += v[t - k];
    if (v[t] > 1.5 * (s / 7)) out.push(t);
  }
  return out;
};
const threeSigma = (v) => {
  const out = [];
  for (let t = WARMUP; t < v.length; t++) {
    let s = 0;
    let q = 0;
    for (let k = 1; k <= 28; k++) {
      s += v[t - k];
      q += v[t - k] ** 2;
    }
    const m = s / 28;
    const sd = Math.sqrt(Math.max(0, q / 28 - m * m));
    if (v[t] > m + 3 * sd) out.push(t);
  }
  return out;
};
const ours = (v) => scanSpend(v, { thresholds: th, warmup: WARMUP }).map((f) => f.index);

export function scoreSpend(entities, detector) {
  const hits = { spike: [0, 0], level_shift: [0, 0], creep: [0, 0] };
  const within1 = { spike: 0 };
  const delays = [];
  let falseIncidents = 0;
  let allIncidents = 0;
  // Incidents after the first inside a labelled anomaly's window: not false, but the same
  // anomaly reported again (a watch that let go of a true shift, say), which recall cannot see.
  let repeats = 0;
  let caughtShare = [];
  for (const e of entities) {
    const alertDays = detector(e.values);
    const inc = incidents(alertDays);
    allIncidents += inc.length;
    const windowEnd = e.end + 14;
    let inside = 0;
    for (const i of inc) {
      const inWindow = e.kind !== 'none' && i.start >= e.onset && i.start <= windowEnd;
      if (!inWindow) falseIncidents++;
      else inside++;
    }
    repeats += Math.max(0, inside - 1);
    if (e.kind === 'none') continue;
    hits[e.kind][1]++;
    const first = alertDays.filter((d) => d >= e.onset && d <= windowEnd).sort((a, b) => a - b)[0];
    if (first !== undefined && first - e.onset <= TOLERANCE[e.kind]) {
      hits[e.kind][0]++;
      delays.push(first - e.onset);
    }
    if (e.kind === 'spike' && first !== undefined && first - e.onset <= 1) within1.spike++;
    if (first !== undefined) {
      // Share of the anomaly's excess $ incurred after the first alert (what acting could have saved).
      let total = 0;
      let after = 0;
      for (let t = e.onset; t < Math.min(DAYS, windowEnd); t++) {
        const ex = Math.max(0, e.values[t] - e.base[t]);
        total += ex;
        if (t > first) after += ex;
      }
      if (total > 0) caughtShare.push(after / total);
    }
  }
  const months = (entities.length * (DAYS - WARMUP)) / 30;
  const recall = (k) => hits[k][0] / hits[k][1];
  delays.sort((a, b) => a - b);
  const n = hits.spike[1] + hits.level_shift[1] + hits.creep[1];
  const caught = hits.spike[0] + hits.level_shift[0] + hits.creep[0];
  caughtShare.sort((a, b) => a - b);
  return {
    recall: caught / n,
    spike: recall('spike'),
    spike1: within1.spike / hits.spike[1],
    shift: recall('level_shift'),
    creep: recall('creep'),
    fpm: falseIncidents / months,
    repeats,
    precision: allIncidents ? (allIncidents - falseIncidents) / allIncidents : NaN,
    medianDelay: delays[Math.floor(delays.length / 2)] ?? NaN,
    saved: caughtShare[Math.floor(caughtShare.length / 2)] ?? NaN,
  };
}

function unitEntity(rand) {
  const d = draws(rand);
  const level = Math.exp(d.uniform(Math.log(500), Math.log(20000)));
  const sigma = d.uniform(0.05, 0.15);
  const creep = rand() < 0.5;
  const rate = d.uniform(0.01, 0.05);
  const onset = d.int(50, 100);
  const values = new Float64Array(DAYS);
  for (let t = 0; t < DAYS; t++) {
    let v = level * Math.exp(sigma * d.normal());
    if (rand() < 0.03) v *= d.uniform(1.1, 1.4);
    if (creep && t >= onset) v *= Math.pow(1 + rate, Math.min(t - onset + 1, 30));
    values[t] = v;
  }
  return { creep, onset, rate, values };
}

function scoreUnit(entities) {
  let hit = 0;
  let n = 0;
  let falseInc = 0;
  const delays = [];
  for (const e of entities) {
    const flags = scanUnitMetric(e.values, { thresholds: th, warmup: WARMUP });
    for (const f of flags) {
      if (!e.creep || f.index < e.onset || f.index > e.onset + 44) falseInc++;
    }
    if (!e.creep) continue;
    n++;
    const first = flags.find((f) => f.index >= e.onset);
    if (first && first.index - e.onset <= 14) {
      hit++;
      delays.push(first.index - e.onset);
    }
  }
  delays.sort((a, b) => a - b);
  return { recall: hit / n, medianDelay: delays[Math.floor(delays.length / 2)], p90: delays[Math.floor(delays.length * 0.9)], fpm: falseInc / ((entities.length * (DAYS - WARMUP)) / 30) };
}

/** Normal agent traces and loops; signatures from model + token counts, as the ledger holds them. */
function loopEval(rand, count) {
  const d = draws(rand);
  let normalFlagged = 0;
  const normal = count;
  const shapes = { repeat: [], counter: [], same_error: [], oscillation: [] };
  let savedTokens = 0;
  let loopTokens = 0;
  const call = (model, input, output, error) => ({ signature: callSignature({ model, input_tokens: input, output_tokens: output }), error });
  for (let i = 0; i < normal; i++) {
    const steps = Math.max(2, Math.round(d.lognormal(Math.log(8), 0.8)));
    let context = d.int(800, 4000);
    const calls = [];
    let flagged = false;
    for (let s = 0; s < steps; s++) {
      // Polling with back-off: the same tool result shape, but the context grows each step.
      const polling = rand() < 0.15;
      const output = polling ? 24 : d.int(20, 900);
      // A transient provider error retried once or twice (below the threshold).
      const error = rand() < 0.02 ? 'rate_limit' : null;
      calls.push(call('claude-sonnet-4-5', context, output, error));
      if (error && rand() < 0.5) calls.push(call('claude-sonnet-4-5', context, output, null));
      context += polling ? d.int(30, 60) : d.int(100, 3000);
      if (detectLoop(calls.slice(-8))) flagged = true;
    }
    if (flagged) normalFlagged++;
  }
  for (const shape of Object.keys(shapes)) {
    for (let i = 0; i < count / 10; i++) {
      const calls = [];
      let context = d.int(800, 4000);
      const lead = d.int(1, 10);
      for (let s = 0; s < lead; s++) {
        calls.push(call('gpt-4.1', context, d.int(20, 900), null));
        context += d.int(100, 3000);
      }
      let found;
      const out = d.int(20, 300);
      for (let s = 1; s <= 40 && !found; s++) {
        let c;
        if (shape === 'repeat' || shape === 'counter') c = call('gpt-4.1', context, out, null);
        else if (shape === 'same_error') c = call('gpt-4.1', context + d.int(0, 50), d.int(5, 40), 'tool_error:ENOENT');
        else c = s % 2 ? call('gpt-4.1', context, out, null) : call('gpt-4.1', context + 200, out + 7, null);
        calls.push(c);
        loopTokens += context + out;
        const r = detectLoop(calls.slice(-8));
        if (r) {
          found = s;
          savedTokens += (40 - s) * (context + out);
        }
      }
      shapes[shape].push(found ?? Infinity);
    }
  }
  const by = Object.fromEntries(Object.entries(shapes).map(([k, v]) => [k, { recall4: v.filter((x) => x <= 4).length / v.length, recall8: v.filter((x) => x <= 8).length / v.length, median: [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] }]));
  return { falseRate: normalFlagged / normal, by, normal, saved: savedTokens / (savedTokens + loopTokens) };
}

function nabRun() {
  const dir = nabDir();
  if (!dir) return null;
  const windows = JSON.parse(readFileSync(join(dir, 'labels', 'combined_windows.json'), 'utf8'));
  const rows = [];
  for (const file of Object.keys(windows)) {
    let points;
    try {
      points = readNab(dir, file);
    } catch {
      continue;
    }
    const hourly = resample(points, 3_600_000);
    const flags = scanSpend(hourly.values, { season: 24, thresholds: th, warmup: 24 * 7 });
    const ws = windows[file].map(([a, b]) => [Date.parse(`${a.replace(' ', 'T')}Z`), Date.parse(`${b.replace(' ', 'T')}Z`)]);
    const inc = incidents(flags.map((f) => f.index));
    let detected = 0;
    for (const [a, b] of ws) if (flags.some((f) => hourly.keys[f.index] >= a - 3_600_000 && hourly.keys[f.index] <= b)) detected++;
    const falseAlarms = inc.filter((i) => !ws.some(([a, b]) => hourly.keys[i.start] >= a - 3_600_000 && hourly.keys[i.start] <= b)).length;
    rows.push({ file, windows: ws.length, detected, falseAlarms, days: hourly.values.length / 24 });
  }
  return rows;
}

/** One seed: spend, unit-metric creep, loops (and NAB unless spend-only); returns the target figures. */
function runSeed(seed, { spendOnly = false, quiet = false } = {}) {
  const log = quiet ? () => {} : (...a) => console.log(...a);
  const rand = prng(seed);
  const entities = Array.from({ length: ENTITIES }, () => spendEntity(rand));
  log(`llmfin anomaly evaluation · seed ${seed} · sensitivity ${SENSITIVITY} · ${ENTITIES} entities × ${DAYS} days (warm-up ${WARMUP})`);
  const t0 = performance.now();
  const o = scoreSpend(entities, ours);
  const scanSeconds = (performance.now() - t0) / 1000;
  const nv = scoreSpend(entities, naiveRule);
  const s3 = scoreSpend(entities, threeSigma);
  log('\ndetector                         recall  spike(0d/1d)   shift(3d)  creep on totals(14d)  incident precision  false incidents/entity-month  median delay  excess $ after 1st alert');
  for (const [name, r] of [['naive 1.5 × trailing 7-day mean', nv], ['mean + 3σ of 28 days', s3], ['llmfin (median/MAD + 4-day shift)', o]]) {
    log(
      `${name.padEnd(32)} ${fmt(r.recall, 3)}   ${fmt(r.spike, 3)}/${fmt(r.spike1, 3)}    ${fmt(r.shift, 3)}      ${fmt(r.creep, 3)}                 ${fmt(r.precision, 2)}                ${fmt(r.fpm, 3)}                        ${r.medianDelay} d          ${pct(r.saved, 0)}`,
    );
  }
  log(`llmfin: ${o.repeats} repeat incidents (a labelled anomaly reported again inside its window; neither false nor counted in recall)`);
  const unit = scoreUnit(Array.from({ length: ENTITIES }, () => unitEntity(rand)));
  log(`\nunit metric (tokens per request) creep: recall within 14 days ${fmt(unit.recall)}, median delay ${unit.medianDelay} d (p90 ${unit.p90} d), ${fmt(unit.fpm)} false incidents per entity-month`);
  const loops = loopEval(rand, spendOnly ? 1_000 : 10_000);
  log(`\nagent loops: ${loops.normal} normal traces, ${pct(loops.falseRate, 2)} flagged; loop traces caught by the 4th repeat / 8th call:`);
  for (const [k, v] of Object.entries(loops.by)) log(`  ${k.padEnd(12)} ${pct(v.recall4)} / ${pct(v.recall8)}  (median detection at call ${v.median} of the loop)`);
  log(`  tokens a 40-call loop would have spent that stopping at the flag saves: ${pct(loops.saved)}`);
  const nab = spendOnly ? null : nabRun();
  if (nab) {
    log('\nNAB subset sanity run (hourly sums, season 24, shipped defaults, not tuned on it):');
    for (const r of nab) log(`  ${r.file.padEnd(58)} windows ${r.detected}/${r.windows} detected, ${r.falseAlarms} false alarm incidents over ${r.days.toFixed(0)} days`);
    const w = nab.reduce((a, r) => a + r.windows, 0);
    const det = nab.reduce((a, r) => a + r.detected, 0);
    const fa = nab.reduce((a, r) => a + r.falseAlarms, 0);
    log(`  total: ${det}/${w} windows detected, ${fa} false alarm incidents`);
  } else if (!spendOnly) log('\nNAB subset not found (set NAB_DIR): sanity run skipped');
  log(`\nspend scan time for ${ENTITIES} entities × ${DAYS} days, every day re-scored: ${scanSeconds.toFixed(2)} s`);
  return { o, nv, s3, unit, loops };
}

function printTargets({ o, nv, unit, loops }) {
  const ratio = nv.fpm / o.fpm;
  console.log('\ntargets');
  console.log(`  A1 false incidents per entity-month ≤ 0.15: ${fmt(o.fpm)}  ${verdict(o.fpm <= 0.15)}`);
  console.log(`  A2 spikes recall same day ≥ 0.95: ${fmt(o.spike)}  ${verdict(o.spike >= 0.95)}`);
  console.log(`  A3 level shifts recall within 3 days ≥ 0.90: ${fmt(o.shift)}  ${verdict(o.shift >= 0.9)}`);
  console.log(`  A4 unit-metric creep recall within 14 days ≥ 0.90: ${fmt(unit.recall)}  ${verdict(unit.recall >= 0.9)}; median delay ≤ 7 d: ${unit.medianDelay} d  ${verdict(unit.medianDelay <= 7)}; ≤ 0.1 false/entity-month: ${fmt(unit.fpm)}  ${verdict(unit.fpm <= 0.1)}`);
  console.log(`  A5 ≥ 10× fewer false incidents than the naive rule: ${ratio.toFixed(1)}×  ${verdict(ratio >= 10)}; recall drop on spikes/shifts ≤ 5 pp: ${pct(nv.spike - o.spike)} / ${pct(nv.shift - o.shift)}  ${verdict(nv.spike - o.spike <= 0.05 && nv.shift - o.shift <= 0.05)}`);
  const l4 = Math.min(loops.by.repeat.recall4, loops.by.counter.recall4, loops.by.same_error.recall4);
  console.log(`  A6 loops by the 4th repeat ≥ 0.99: ${fmt(l4)}  ${verdict(l4 >= 0.99)}; oscillation by the 8th call: ${fmt(loops.by.oscillation.recall8)}  ${verdict(loops.by.oscillation.recall8 >= 0.99)}; normal traces flagged ≤ 0.1%: ${pct(loops.falseRate, 2)}  ${verdict(loops.falseRate <= 0.001)}`);
}

if (isMain) {
  const started = performance.now();
  if (args.dev) {
    // Tuning view: every dev seed, spend and unit metric only, one line each, then the mean.
    console.log(`llmfin anomaly evaluation · DEV seeds ${DEV_SEEDS.join(', ')} (for tuning; the held-out seed ${HELD_OUT_SEED} is not run) · sensitivity ${SENSITIVITY}`);
    console.log('seed       A1 false/ent-month  A2 spike 0d  A3 shift 3d  A5 ratio  drop spike/shift  A4 creep recall/delay/false   naive spike/shift  repeat incidents');
    const rows = DEV_SEEDS.map((seed) => {
      const r = runSeed(seed, { spendOnly: true, quiet: true });
      const { o, nv, unit } = r;
      console.log(
        `${String(seed).padEnd(10)} ${fmt(o.fpm).padEnd(19)} ${fmt(o.spike).padEnd(12)} ${fmt(o.shift).padEnd(12)} ${`${(nv.fpm / o.fpm).toFixed(1)}×`.padEnd(9)} ${`${pct(nv.spike - o.spike)} / ${pct(nv.shift - o.shift)}`.padEnd(17)} ${`${fmt(unit.recall)} / ${unit.medianDelay} d / ${fmt(unit.fpm)}`.padEnd(28)} ${`${fmt(nv.spike)} / ${fmt(nv.shift)}`.padEnd(18)} ${o.repeats}`,
      );
      return r;
    });
    const mean = (f) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
    console.log(
      `${'mean'.padEnd(10)} ${fmt(mean((r) => r.o.fpm)).padEnd(19)} ${fmt(mean((r) => r.o.spike)).padEnd(12)} ${fmt(mean((r) => r.o.shift)).padEnd(12)} ${`${mean((r) => r.nv.fpm / r.o.fpm).toFixed(1)}×`.padEnd(9)} ${`${pct(mean((r) => r.nv.spike - r.o.spike))} / ${pct(mean((r) => r.nv.shift - r.o.shift))}`.padEnd(17)} ${`${fmt(mean((r) => r.unit.recall))} / — / ${fmt(mean((r) => r.unit.fpm))}`.padEnd(28)} ${''.padEnd(18)} ${Math.round(mean((r) => r.o.repeats))}`,
    );
  } else {
    const seed = Number(args.seed ?? process.env.SEED ?? HELD_OUT_SEED);
    const r = runSeed(seed, { spendOnly: args['spend-only'] });
    printTargets(r);
    console.log(
      seed === HELD_OUT_SEED
        ? `  parameters tuned on dev seeds ${DEV_SEEDS.join(', ')} (\`--dev\`); the reported seed ${HELD_OUT_SEED} was held out`
        : DEV_SEEDS.includes(seed)
          ? `  seed ${seed} is a DEV seed the parameters were tuned on: not a held-out figure (held-out seed: ${HELD_OUT_SEED})`
          : `  seed ${seed}: neither a dev seed (${DEV_SEEDS.join(', ')}) nor the reported held-out seed ${HELD_OUT_SEED}`,
    );
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
}
