#!/usr/bin/env node
// Routing evaluation (issue 6, protocol of routing-forecast.md §1.7) on the RouteLLM labelled
// sets: GSM8K, MMLU and MT-Bench, each a weak (Mixtral-8x7B) and a strong (GPT-4) answer per
// prompt. Runs the compiled scorer from dist/ through the same Router the proxy uses, with a
// two-tier policy (weak, strong).
//
// Hold-out: every prompt gets a fold from the parity of its FNV-1a hash (dist/routing/text-hash).
// The default scorer's features and weights were set looking at fold 0 (dev) only — of GSM8K and
// MMLU from the start, of MT-Bench since the code-ask feature; the task-kind weights come from
// LiteLLM's UltraFeedback tier table and its patterns were checked on fold 0 only — so the
// figures that count are on fold 1 (test) of every set, MT-Bench's 34 questions included. Cohort priors are learned on one
// fold and scored on the other (MMLU subject / MT-Bench category as the cohort); with --dev they are
// cross-fitted inside fold 0, so nothing --dev prints comes from fold 1's outcomes. Full-set
// figures include the tuning fold: printed for information, and not at all with --dev.
//
// What an MT-Bench row is: one question with two user turns and four GPT-4 single-answer
// judgements, graded 1–10 (each model × each turn; the turn-2 judge sees that model's own
// turn-1 answer). As in RouteLLM the decision is made on turn 1, before the follow-up exists,
// and one model answers both turns, so a question's quality is the mean of its two graded
// scores (protocol §1.7 step 1: quality values, not the binary weak_ok label, which is printed
// for information). Nothing is dropped beyond RouteLLM's decontamination list (8 of 80).
//
//   npm run eval:routing [-- --json] [-- --data DIR]
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { Router } from '../dist/routing/router.js';
import { CohortPriors } from '../dist/routing/cohort-priors.js';
import { textHash } from '../dist/routing/text-hash.js';
import { prng } from './prng.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dataArg = argv.indexOf('--data');
const DATA = dataArg > -1 ? argv[dataArg + 1] : process.env.LLMFIN_ROUTING_DATA ?? join(root, '..', 'shared', 'reference', 'routing', 'routellm');
const JSON_OUT = argv.includes('--json');
/** --dev reports fold 0 instead: what tuning may look at. The figures that count are fold 1's. */
const DEV = argv.includes('--dev');
const TEST_FOLD = DEV ? 0 : 1;
const WEAK = 'mistralai/Mixtral-8x7B-Instruct-v0.1';
const STRONG = 'gpt-4-1106-preview';
/** Price ratios weak:strong per token (protocol step 2: at least two). */
const RATIOS = [1 / 20, 1 / 5];
const RANDOM_SEEDS = 200;
/** Bootstrap resamples for the APGR interval (protocol R1), from a fixed seed. */
const BOOTSTRAP = 1000;
const BOOTSTRAP_SEED = 7;

if (!existsSync(DATA)) {
  console.error(`eval-routing: the RouteLLM data is not at ${DATA}; pass --data DIR (see ../shared/reference/routing/SOURCE.md)`);
  process.exit(2);
}

// ---- data ----------------------------------------------------------------------------

const jsonl = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const contaminated = (set) => new Set(jsonl(join(DATA, set, 'contaminated_prompts.jsonl')).map((r) => r.eval_prompt));
const fold = (prompt) => parseInt(textHash(prompt, 1 << 20), 16) & 1;
/** The hash's next bit: halves of a fold, for what --dev cross-fits inside the tuning fold. */
const half = (prompt) => (parseInt(textHash(prompt, 1 << 20), 16) >> 1) & 1;
const tokens = (chars) => Math.ceil(chars / 4);

function loadGsm8k() {
  const drop = contaminated('gsm8k');
  const rows = parse(readFileSync(join(DATA, 'gsm8k', 'gsm8k_responses.csv')), { columns: true, relax_quotes: true });
  return rows
    .filter((r) => !drop.has(r.prompt))
    .map((r) => ({
      prompt: r.prompt,
      cohort: 'gsm8k',
      weak: r[WEAK] === 'True' ? 1 : 0,
      strong: r[STRONG] === 'True' ? 1 : 0,
      // Token counts from the responses where present (protocol step 2).
      inTokens: tokens(r.prompt.length),
      outWeak: tokens((r[`${WEAK}_response`] ?? '').length),
      outStrong: tokens((r[`${STRONG}_response`] ?? '').length),
    }));
}

function loadMmlu() {
  const drop = contaminated('mmlu');
  const dir = join(DATA, 'mmlu', 'responses');
  const out = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    const subject = file.replace(/^mmlu_/, '').replace(/\.csv$/, '');
    for (const r of parse(readFileSync(join(dir, file)), { columns: true, relax_quotes: true })) {
      if (drop.has(r.prompt)) continue;
      // No response text: a one-letter answer plus a short explanation, fixed at 1/4 of the input.
      const inTokens = tokens(r.prompt.length);
      out.push({ prompt: r.prompt, cohort: subject, weak: r[WEAK] === 'True' ? 1 : 0, strong: r[STRONG] === 'True' ? 1 : 0, inTokens, outWeak: Math.ceil(inTokens / 4), outStrong: Math.ceil(inTokens / 4) });
    }
  }
  return out;
}

function loadMtBench() {
  const drop = contaminated('mt_bench');
  const scores = new Map();
  for (const j of jsonl(join(DATA, 'mt_bench', 'judgements.jsonl'))) {
    const key = `${j.question_id}/${j.model}`;
    const s = scores.get(key) ?? [];
    s.push(j.score);
    scores.set(key, s);
  }
  const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
  return jsonl(join(DATA, 'mt_bench', 'question.jsonl'))
    .filter((q) => !drop.has(q.turns[0]))
    .map((q) => {
      const inTokens = tokens(q.turns[0].length);
      const [weak, strong] = [WEAK, STRONG].map((m) => {
        const s = scores.get(`${q.question_id}/${m}`) ?? [];
        // One judgement per turn and model: a missing or extra one would silently reweight the mean.
        if (s.length !== q.turns.length) throw new Error(`MT-Bench question ${q.question_id}: ${s.length} judgements of ${m} for ${q.turns.length} turns`);
        return mean(s);
      });
      // Routed on turn 1 (as RouteLLM does); quality is the judge score averaged over both turns.
      return { prompt: q.turns[0], cohort: q.category, weak, strong, weakOk: weak >= strong - 0.5, inTokens, outWeak: 400, outStrong: 400 };
    });
}

// ---- metrics -------------------------------------------------------------------------

/**
 * The quality curve over strong-call share when the highest scores go to the strong model,
 * exact: one point per group of tied scores, so ties count as a random order inside the
 * group (no tie-breaking artefact). `weights` counts each item that many times (a bootstrap
 * resample); default once each. Returns { points: [{ share, quality }], order }.
 */
function curve(items, scores, weights) {
  const w = weights ?? items.map(() => 1);
  const n = w.reduce((s, x) => s + x, 0);
  const order = [...items.keys()].sort((a, b) => scores[b] - scores[a]);
  let q = items.reduce((s, it, i) => s + w[i] * it.weak, 0);
  let k = 0;
  const points = [{ share: 0, quality: q / n }];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) {
      q += w[order[j]] * (items[order[j]].strong - items[order[j]].weak);
      k += w[order[j]];
      j++;
    }
    points.push({ share: k / n, quality: q / n });
    i = j;
  }
  return { points, order };
}

function apgr(points) {
  const weak = points[0].quality;
  const strong = points[points.length - 1].quality;
  let area = 0;
  for (let i = 1; i < points.length; i++) area += ((points[i].share - points[i - 1].share) * (points[i].quality + points[i - 1].quality)) / 2;
  return (area - weak) / (strong - weak);
}

/** Strong share at which the curve first reaches `target` quality (linear between points). */
function shareAt(points, target) {
  if (points[0].quality >= target) return 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (b.quality >= target) return a.share + ((target - a.quality) / (b.quality - a.quality || 1)) * (b.share - a.share);
  }
  return 1;
}

/** CPT(x): strong share needed to recover x of the weak→strong gap. */
function cpt(points, x) {
  const weak = points[0].quality;
  const strong = points[points.length - 1].quality;
  return shareAt(points, weak + x * (strong - weak));
}

/**
 * Cost of sending the top `share` of `order` to the strong model, relative to always-strong,
 * with each prompt's own token counts (input and output priced alike at ratio r).
 */
function relativeCost(items, order, share, r) {
  const k = share * items.length;
  let cost = 0;
  let strongCost = 0;
  order.forEach((idx, rank) => {
    const it = items[idx];
    const s = it.inTokens + 3 * it.outStrong; // output priced at 3x input, as most catalogues do
    const w = r * (it.inTokens + 3 * it.outWeak);
    strongCost += s;
    const toStrong = Math.min(1, Math.max(0, k - rank));
    cost += toStrong * s + (1 - toStrong) * w;
  });
  return cost / strongCost;
}

function evaluate(items, scores) {
  const { points, order } = curve(items, scores);
  const strong = points[points.length - 1].quality;
  const share95 = shareAt(points, 0.95 * strong);
  return {
    apgr: apgr(points),
    cpt50: cpt(points, 0.5),
    cpt80: cpt(points, 0.8),
    share95,
    saved95: RATIOS.map((r) => 1 - relativeCost(items, order, share95, r)),
  };
}

function randomBaseline(items) {
  const runs = [];
  for (let seed = 1; seed <= RANDOM_SEEDS; seed++) {
    const rnd = prng(seed);
    runs.push(evaluate(items, items.map(() => rnd())));
  }
  const mean = (f) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const m = mean((r) => r.apgr);
  const sd = Math.sqrt(mean((r) => (r.apgr - m) ** 2));
  return { apgr: m, sd, share95: mean((r) => r.share95), saved95: RATIOS.map((_, i) => mean((r) => r.saved95[i])) };
}

/**
 * Bootstrap 95% interval of a scorer's APGR (protocol R1): the held-out items resampled with
 * replacement, each resample's curve and APGR recomputed with the scores kept. On MT-Bench's
 * 34 held-out questions it shows how far one fold's figure can be from the scorer's worth.
 */
function bootstrapApgr(items, scores) {
  const rnd = prng(BOOTSTRAP_SEED);
  const n = items.length;
  const runs = [];
  for (let b = 0; b < BOOTSTRAP; b++) {
    const w = new Array(n).fill(0);
    for (let i = 0; i < n; i++) w[Math.floor(rnd() * n)]++;
    const { points } = curve(items, scores, w);
    // A resample where both models score alike has no gap to recover: no APGR.
    if (points[points.length - 1].quality !== points[0].quality) runs.push(apgr(points));
  }
  runs.sort((a, b) => a - b);
  return { lo: runs[Math.floor(0.025 * (runs.length - 1))], hi: runs[Math.ceil(0.975 * (runs.length - 1))] };
}

// ---- scorers -------------------------------------------------------------------------

const POLICY = { routing: { mode: 'enforce', tiers: [{ name: 'weak', models: { openai: ['weak-model'] } }, { name: 'strong', models: { openai: ['strong-model'] } }] } };

function routerScores(items, priors) {
  const router = new Router(POLICY, undefined, priors);
  return items.map((it) => router.decide({ dialect: 'openai', model: 'strong-model', prompt: it.prompt, feature: priors ? it.cohort : undefined }).score);
}

/** Default operating point: the share the shipped policy (max_quality_loss 0.05) sends to the strong tier. */
function operatingPoint(items, priors) {
  const router = new Router(POLICY, undefined, priors);
  let strongShare = 0;
  let q = 0;
  let cost = RATIOS.map(() => 0);
  let strongCost = 0;
  for (const it of items) {
    const d = router.decide({ dialect: 'openai', model: 'strong-model', prompt: it.prompt, feature: priors ? it.cohort : undefined });
    const toStrong = d.tier === 'strong';
    strongShare += toStrong ? 1 : 0;
    q += toStrong ? it.strong : it.weak;
    const s = it.inTokens + 3 * it.outStrong;
    strongCost += s;
    cost = cost.map((c, i) => c + (toStrong ? s : RATIOS[i] * (it.inTokens + 3 * it.outWeak)));
  }
  const strongQ = items.reduce((s, it) => s + it.strong, 0);
  return { share: strongShare / items.length, qualityOfStrong: q / strongQ, saved: cost.map((c) => 1 - c / strongCost) };
}

function cohortPriors(train, kind) {
  const priors = new CohortPriors();
  for (const it of train) {
    // MT-Bench scores are 1–10: a success rate of score/10, so the cohort's gain is the mean score gap.
    const w = kind === 'mt_bench' ? it.weak / 10 : it.weak;
    const s = kind === 'mt_bench' ? it.strong / 10 : it.strong;
    priors.add({ feature: it.cohort }, 'weak', w);
    priors.add({ feature: it.cohort }, 'strong', s);
  }
  return priors;
}

// ---- run -----------------------------------------------------------------------------

const sets = [
  { id: 'gsm8k', name: 'GSM8K', items: loadGsm8k(), target: 0.55, cohorts: false },
  // The 0.63 cohort target is the issue's for MMLU (subject as the cohort); MT-Bench's category priors are reported without one.
  { id: 'mmlu', name: 'MMLU', items: loadMmlu(), target: 0.55, cohorts: true, cohortTarget: 0.63 },
  { id: 'mt_bench', name: 'MT-Bench', items: loadMtBench(), target: 0.6, cohorts: true },
];

/** Prompts per cohort, to show how a fold is made up (MT-Bench's folds are not stratified by category). */
function byCohort(items) {
  const out = {};
  for (const it of items) out[it.cohort] = (out[it.cohort] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const results = [];
const t0 = performance.now();
for (const set of sets) {
  const dev = set.items.filter((it) => fold(it.prompt) !== TEST_FOLD);
  const test = set.items.filter((it) => fold(it.prompt) === TEST_FOLD);
  const row = { id: set.id, set: set.name, n: set.items.length, n_test: test.length, target: set.target, cohort_target: set.cohortTarget };
  const mean = (a, f) => a.reduce((s, x) => s + f(x), 0) / a.length;
  row.weak_quality = mean(set.items, (x) => x.weak);
  row.strong_quality = mean(set.items, (x) => x.strong);
  row.random_test = randomBaseline(test);
  row.length_test = evaluate(test, test.map((it) => it.prompt.length));
  row.oracle_test = evaluate(test, test.map((it) => it.strong - it.weak));
  const defaultScores = routerScores(test);
  row.default_test = evaluate(test, defaultScores);
  row.default_test_ci = bootstrapApgr(test, defaultScores);
  row.folds = { dev: byCohort(dev), test: byCohort(test) };
  if (set.id === 'mt_bench') row.weak_ok_test = test.filter((it) => it.weakOk).length;
  // The full set includes the held-out fold: --dev leaves it out, so tuning never sees test outcomes.
  if (!DEV) {
    row.default_full = evaluate(set.items, routerScores(set.items));
    row.random_full = randomBaseline(set.items);
  }
  row.default_operating_point_test = operatingPoint(test);
  row.pass = row.default_test.apgr >= set.target && row.default_test.apgr > row.random_test.apgr + 2 * row.random_test.sd;
  if (set.cohorts && DEV) {
    // --dev learns nothing from the held-out fold's outcomes: the tuning fold's priors are
    // cross-fitted inside it, each half scored by priors learned on the other.
    const halves = [0, 1].map((h) => test.filter((it) => half(it.prompt) === h));
    const items = [...halves[0], ...halves[1]];
    const scores = [...routerScores(halves[0], cohortPriors(halves[1], set.id)), ...routerScores(halves[1], cohortPriors(halves[0], set.id))];
    row.cohort_test = evaluate(items, scores);
    row.cohort_test_ci = bootstrapApgr(items, scores);
  } else if (set.cohorts) {
    // Priors from dev, scored on test; and the reverse, so every prompt is scored once by priors that never saw it.
    const testScores = routerScores(test, cohortPriors(dev, set.id));
    row.cohort_test = evaluate(test, testScores);
    row.cohort_test_ci = bootstrapApgr(test, testScores);
    row.cohort_crossfit_full = evaluate([...dev, ...test], [...routerScores(dev, cohortPriors(test, set.id)), ...testScores]);
    row.cohort_operating_point_test = operatingPoint(test, cohortPriors(dev, set.id));
  }
  results.push(row);
}
const seconds = (performance.now() - t0) / 1000;

if (JSON_OUT) {
  process.stdout.write(`${JSON.stringify({ data: DATA, ratios: RATIOS, random_seeds: RANDOM_SEEDS, seconds, results }, null, 2)}\n`);
} else {
  const p = (x) => `${(x * 100).toFixed(1)}%`;
  const f = (x) => x.toFixed(3);
  console.log('Routing evaluation on the RouteLLM sets (weak Mixtral-8x7B, strong GPT-4-1106), decontaminated as RouteLLM does.');
  console.log('Hold-out: fold = parity of FNV-1a(prompt). Scorer features, weights and defaults were tuned on fold 0 of each set only (MT-Bench included); "test" is fold 1, never used for tuning.');
  console.log('"full set" rows include the tuning fold: for information, not the figures to report.');
  if (DEV) console.log('*** --dev: "test" below is fold 0, the tuning fold — not the figures to report. ***');
  console.log(
    DEV
      ? 'Cohort priors: cross-fitted inside the tuning fold (halves by the hash\'s next bit), so --dev reads no held-out outcome.'
      : 'Cohort priors: learned on one fold, scored on the other (MMLU subject / MT-Bench category as the cohort).',
  );
  console.log(`Curves are exact (ties = random order within the tie); cost saved at 95% of always-strong quality with per-prompt tokens, weak:strong price ${RATIOS.map((r) => `1:${Math.round(1 / r)}`).join(' and ')}.`);
  console.log(`[a, b] after an APGR: bootstrap 95% interval over the test fold's prompts (${BOOTSTRAP} resamples), as protocol R1 asks. The protocol (routing-forecast.md §1.6 R1, §1.7 step 5) requires random + 2σ on GSM8K and MMLU and calls MT-Bench informational at its size; the issue's target also asks it of MT-Bench, and that check is printed as is.\n`);
  for (const r of results) {
    console.log(`${r.set}: ${r.n} prompts (test fold ${r.n_test}); weak ${f(r.weak_quality)} / strong ${f(r.strong_quality)}`);
    if (r.id === 'mt_bench') {
      console.log(`  each question: 2 turns, 4 GPT-4 judgements (1–10, model × turn); routed on turn 1, quality = mean of the 2 turns' scores; weak_ok (weak >= strong − 0.5, §1.7) on ${r.weak_ok_test} of ${r.n_test} test questions`);
      const mix = (m) => Object.entries(m).map(([c, n]) => `${c} ${n}`).join(', ');
      console.log(`  folds by category (not stratified): test ${mix(r.folds.test)}; tuning ${mix(r.folds.dev)}`);
    }
    const spread = (e, ci) => (e.sd !== undefined ? ` ±${f(e.sd)} (σ)     ` : ci ? ` [${f(ci.lo)}, ${f(ci.hi)}]` : ''.padEnd(16));
    const line = (name, e, ci) =>
      console.log(
        `  ${name.padEnd(28)} APGR ${f(e.apgr)}${spread(e, ci)}  ${e.cpt50 !== undefined ? `CPT50 ${p(e.cpt50).padStart(6)} CPT80 ${p(e.cpt80).padStart(6)}` : ''.padEnd(25)}  strong share @95% ${p(e.share95).padStart(6)}  saved ${e.saved95.map(p).join(' / ')}`,
      );
    console.log(`  ${'always-weak'.padEnd(28)} APGR 0.000  quality ${p(r.weak_quality / r.strong_quality)} of strong`);
    console.log(`  ${'always-strong'.padEnd(28)} APGR 1.000  saved 0%`);
    line('random (200 seeds, test)', r.random_test);
    line('length only (test)', r.length_test);
    line('default scorer (test)', r.default_test, r.default_test_ci);
    if (r.cohort_test) line('with cohort priors (test)', r.cohort_test, r.cohort_test_ci);
    line('oracle (test)', r.oracle_test);
    if (r.default_full) line('default scorer (full set)', r.default_full);
    if (r.cohort_crossfit_full) line('cohort priors 2-fold (full)', r.cohort_crossfit_full);
    const op = r.default_operating_point_test;
    console.log(`  default operating point (test): ${p(op.share)} to strong, quality ${p(op.qualityOfStrong)} of strong, saved ${op.saved.map(p).join(' / ')}`);
    if (r.cohort_operating_point_test) {
      const c = r.cohort_operating_point_test;
      console.log(`  with cohort priors (test):      ${p(c.share)} to strong, quality ${p(c.qualityOfStrong)} of strong, saved ${c.saved.map(p).join(' / ')}`);
    }
    const bar = r.random_test.apgr + 2 * r.random_test.sd;
    console.log(`  target: default APGR >= ${r.target} and > random + 2σ (${f(bar)}): ${r.pass ? 'PASS' : 'FAIL'}${r.cohort_target ? `; cohort priors >= ${r.cohort_target}: ${r.cohort_test.apgr >= r.cohort_target ? 'PASS' : 'FAIL'}` : ''}\n`);
  }
  console.log(`(${seconds.toFixed(1)} s)`);
}
