#!/usr/bin/env node
// `npm run eval:forecast`: routing-forecast.md §2.7 on the compiled forecaster (dist/).
// Corpus: a seeded synthetic LLM-spend generator (five series classes) and NAB-derived
// daily series; rolling origin every 7 days from day 28; MASE scaled by the in-sample
// seasonal-naive(7) MAE; P10–P90 coverage; month-end projections at days 7/14/21 vs the
// run rate; budget-breach Brier at day 10; a 50% price cut check; runtime for 10,000 series.
import { performance } from 'node:perf_hooks';
import { addBacktestSums, backtestSeries, cachedForecastFrom, emptySums, summariseBacktest } from '../dist/forecast/backtest.js';
import { pointForecast } from '../dist/forecast/combine-forecast.js';
import { defaultForecastFrom } from '../dist/forecast/forecast-series.js';
import { selectMethod } from '../dist/forecast/select-method.js';
import { projectPeriod } from '../dist/forecast/period-projection.js';
import { draws, fmt, nabDir, pct, prng, readNab, resample, verdict } from './eval-lib.mjs';

const SEED = Number(process.env.SEED ?? 20261201);
const PER_CLASS = Number(process.env.PER_CLASS ?? 300);
const H = 28;
const CLASSES = ['flat', 'trending', 'spiky', 'shifted', 'short'];
const DAY = 86_400_000;

/** One synthetic daily spend series of a class, with a calendar start (for month-end checks). */
function synthetic(kind, rand) {
  const d = draws(rand);
  const n = kind === 'short' ? d.int(30, 60) : d.int(90, 180);
  const level = d.lognormal(Math.log(60), 1.2);
  const weekend = d.uniform(0.3, 0.8);
  const growth = kind === 'trending' ? d.uniform(0.002, 0.01) * (rand() < 0.15 ? -0.2 : 1) : kind === 'flat' ? 0 : d.uniform(-0.002, 0.004);
  const sigma = d.uniform(0.1, 0.35);
  const burstRate = kind === 'spiky' ? d.uniform(0.06, 0.1) : d.uniform(0.03, 0.05);
  const shiftAt = kind === 'shifted' ? d.int(Math.floor(n * 0.3), Math.floor(n * 0.8)) : -1;
  const shift = rand() < 0.5 ? d.uniform(0.45, 0.7) : d.uniform(1.5, 2.2);
  const start = Date.UTC(2025, 0, 1) + d.int(0, 365) * DAY;
  const weekdayShape = [1, 1.05, 1.02, 1.0, 0.95].map((x) => x * d.uniform(0.95, 1.05));
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const dow = new Date(start + i * DAY).getUTCDay();
    const season = dow === 0 || dow === 6 ? weekend : weekdayShape[dow - 1];
    let v = level * season * Math.exp(growth * i) * Math.exp(sigma * d.normal() - (sigma * sigma) / 2);
    if (rand() < burstRate) v *= d.uniform(1.5, 2.2);
    if (shiftAt >= 0 && i >= shiftAt) v *= shift;
    values[i] = v;
  }
  return { kind, start, values };
}

function corpus() {
  const rand = prng(SEED);
  const out = [];
  for (const kind of CLASSES) for (let i = 0; i < PER_CLASS; i++) out.push(synthetic(kind, rand));
  return out;
}

function nabSeries() {
  const dir = nabDir();
  if (!dir) return [];
  const files = ['realKnownCause/nyc_taxi.csv', 'realTweets/Twitter_volume_AMZN.csv', 'realAWSCloudwatch/elb_request_count_8c0756.csv', 'realKnownCause/ec2_request_latency_system_failure.csv'];
  return files
    .map((f) => ({ kind: 'nab', file: f, ...resample(readNab(dir, f), DAY) }))
    .filter((s) => s.values.length >= 35)
    .map((s) => ({ ...s, values: Float64Array.from(s.values) }));
}

function backtestGroup(series) {
  const sums = emptySums(H);
  for (const s of series) {
    const from = cachedForecastFrom(s.values, H);
    addBacktestSums(sums, backtestSeries(s.values, H, { forecastFrom: from }));
  }
  return sums;
}

/** Coverage over steps a..b (1-based, inclusive). */
function coverageBetween(sums, a, b) {
  let c = 0;
  let k = 0;
  for (let j = a - 1; j < b; j++) {
    c += sums.covered[j];
    k += sums.count[j];
  }
  return c / k;
}

function monthEnd(series) {
  const ape = { ours: { 7: [], 14: [], 21: [] }, runRate: { 7: [], 14: [], 21: [] } };
  const brier = { ours: [], runRate: [] };
  const rand = prng(SEED + 7);
  for (const s of series) {
    const from = cachedForecastFrom(s.values, 31);
    const n = s.values.length;
    for (let i = 0; i < n; i++) {
      const date = new Date(s.start + i * DAY);
      if (date.getUTCDate() !== 1) continue;
      const days = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
      if (i + days > n || i < 28) continue;
      let total = 0;
      for (let k = 0; k < days; k++) total += s.values[i + k];
      const budget = total * (0.8 + 0.4 * rand());
      for (const d of [7, 10, 14, 21]) {
        const history = s.values.subarray(0, i + d);
        let mtd = 0;
        for (let k = 0; k < d; k++) mtd += s.values[i + k];
        const p = projectPeriod(history, mtd, days - d, { limit: budget, forecastFrom: from });
        const rr = (mtd / d) * days;
        if (d === 10) {
          const breached = total > budget ? 1 : 0;
          if (p.breach_probability !== null) brier.ours.push((p.breach_probability - breached) ** 2);
          brier.runRate.push(((rr > budget ? 1 : 0) - breached) ** 2);
          continue;
        }
        ape.ours[d].push(Math.abs(p.p50 - total) / total);
        ape.runRate[d].push(Math.abs(rr - total) / total);
      }
    }
  }
  const med = (a) => {
    const b = [...a].sort((x, y) => x - y);
    return b.length ? b[Math.floor(b.length / 2)] : NaN;
  };
  const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
  return { ape, med, brier: { ours: mean(brier.ours), runRate: mean(brier.runRate), months: brier.runRate.length } };
}

/** A 50% price cut half way: re-priced history keeps the forecast level; raw history halves it. */
function priceCutCheck() {
  const rand = prng(SEED + 11);
  let raw = 0;
  let repriced = 0;
  const k = 300;
  for (let i = 0; i < k; i++) {
    const s = synthetic('flat', rand);
    const n = s.values.length;
    const cut = Math.floor(n * 0.75);
    // What the ledger holds: old prices before the cut, half after. Re-priced: all at the new price.
    const ledger = s.values.map((v, j) => (j < cut ? v : v * 0.5));
    const atCurrent = s.values.map((v) => v * 0.5);
    const truth = s.values.subarray(n - 28).reduce((a, b) => a + b, 0) * 0.5;
    const f = (v) => pointForecast(v.subarray(0, n - 28), 28).values.reduce((a, b) => a + b, 0);
    raw += f(ledger.subarray(0)) / truth - 1;
    repriced += f(atCurrent) / truth - 1;
  }
  return { raw: raw / k, repriced: repriced / k };
}

function runtime() {
  const rand = prng(SEED + 3);
  const d = draws(rand);
  const series = [];
  for (let i = 0; i < 10_000; i++) {
    const v = new Float64Array(365);
    const level = d.lognormal(Math.log(50), 1);
    for (let j = 0; j < 365; j++) v[j] = level * (j % 7 >= 5 ? 0.5 : 1) * Math.exp(0.2 * d.normal());
    series.push(v);
  }
  pointForecast(series[0], H);
  const t0 = performance.now();
  for (const v of series) pointForecast(v, H);
  const point = (performance.now() - t0) / 1000;
  // The selection refits the combination at eight past origins: `forecast` shares those fits
  // with its bands (56 origins), so it adds nothing there; alone, it costs this much more.
  const t1 = performance.now();
  for (const v of series.slice(0, 1000)) selectMethod(v, defaultForecastFrom(v, 7, 7));
  return { point, selection: ((performance.now() - t1) / 1000) * 10 };
}

const started = performance.now();
const synth = corpus();
console.log(`llmfin forecast evaluation · seed ${SEED} · ${synth.length} synthetic series (${CLASSES.join(', ')}), rolling origin from day 28 every 7 days, h = 1..${H}`);
const byClass = {};
const all = emptySums(H);
for (const kind of CLASSES) {
  byClass[kind] = backtestGroup(synth.filter((s) => s.kind === kind));
  addBacktestSums(all, byClass[kind]);
}
const nab = nabSeries();
const nabSums = backtestGroup(nab);
addBacktestSums(all, nabSums);

console.log('\nclass        origins   MASE@7 comb / sNaive   rel@7   MASE@28 comb / sNaive   rel@28   cover@1-7  cover@22-28');
const line = (name, sums) => {
  const s7 = summariseBacktest(sums, 7);
  const s28 = summariseBacktest(sums, 28);
  console.log(
    `${name.padEnd(12)} ${String(s7.origins).padStart(7)}   ${fmt(s7.mase.forecast)} / ${fmt(s7.mase['seasonal-naive'])}          ${fmt(s7.relative_mase)}   ${fmt(s28.mase.forecast)} / ${fmt(s28.mase['seasonal-naive'])}           ${fmt(s28.relative_mase)}   ${pct(coverageBetween(sums, 1, 7)).padStart(8)}  ${pct(coverageBetween(sums, 22, 28)).padStart(10)}`,
  );
  return { rel7: s7.relative_mase, rel28: s28.relative_mase };
};
const classRel = {};
for (const kind of CLASSES) classRel[kind] = line(kind, byClass[kind]);
if (nab.length) classRel.nab = line(`nab (${nab.length})`, nabSums);
const overall = line('all', all);
const comb7 = summariseBacktest(all, 7);
const comb28 = summariseBacktest(all, 28);
console.log(`(the combination alone, without the per-series selection: rel@7 ${fmt(comb7.mase.combination / comb7.mase['seasonal-naive'])}, rel@28 ${fmt(comb28.mase.combination / comb28.mase['seasonal-naive'])})`);

const me = monthEnd(synth.filter((s) => s.kind !== 'short'));
const cut = priceCutCheck();
const { point: seconds, selection: selectionSeconds } = runtime();

const worst = Math.max(...Object.values(classRel).flatMap((r) => [r.rel7, r.rel28]));
const cover7 = coverageBetween(all, 1, 7);
const cover28 = coverageBetween(all, 22, 28);
console.log('\nmonth-end projection, median APE of the month total (ours vs run rate):');
const meOk = [7, 14, 21].map((d) => {
  const o = me.med(me.ape.ours[d]);
  const r = me.med(me.ape.runRate[d]);
  console.log(`  day ${String(d).padStart(2)}: ${pct(o)} vs ${pct(r)}  (${me.ape.ours[d].length} months)`);
  return o < r;
});
console.log(`budget breach at day 10, Brier score (lower is better): ours ${fmt(me.brier.ours)} vs run rate ${fmt(me.brier.runRate)} over ${me.brier.months} months`);
console.log(`50% price cut 3/4 through history, mean bias of the next 28 days' total: raw ledger ${pct(cut.raw)}, re-priced at current prices ${pct(cut.repriced)}`);
console.log(`runtime: point forecasts for 10,000 series × 365 days, h = 28: ${seconds.toFixed(2)} s; choosing each one's method from its last 8 weeks, alone (timed on 1,000, × 10): ${selectionSeconds.toFixed(2)} s`);

console.log('\ntargets');
console.log(`  F1 relative MASE vs seasonal naive(7) at h=7  ≤ 0.90: ${fmt(overall.rel7)}  ${verdict(overall.rel7 <= 0.9)}`);
console.log(`  F1 relative MASE vs seasonal naive(7) at h=28 ≤ 0.95: ${fmt(overall.rel28)}  ${verdict(overall.rel28 <= 0.95)}`);
console.log(`  F2 no class worse than seasonal naive by > 5% (worst rel. MASE ≤ 1.05): ${fmt(worst)}  ${verdict(worst <= 1.05)}`);
console.log(`  F3 80% interval coverage at h ≤ 7 within 75–85%: ${pct(cover7)}  ${verdict(cover7 >= 0.75 && cover7 <= 0.85)}; at h = 22–28 ≥ 70%: ${pct(cover28)}  ${verdict(cover28 >= 0.7)}`);
console.log(`  F4 month-end median APE below run rate at days 7, 14, 21: ${meOk.map((ok) => (ok ? 'yes' : 'no')).join(', ')}  ${verdict(meOk.every(Boolean))}`);
console.log(`  F5 breach Brier at day 10 below run rate: ${verdict(me.brier.ours < me.brier.runRate)}`);
console.log(`  F6 10,000 series in ≤ 2 s: ${seconds.toFixed(2)} s  ${verdict(seconds <= 2)}`);
console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
