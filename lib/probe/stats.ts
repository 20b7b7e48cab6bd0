/**
 * Statistics over test clips: bootstrap confidence intervals of UAR (optionally averaged over seeds'
 * predictions of the same clips) and paired tests between two systems scored on the same clips
 * (paired bootstrap of the UAR difference, and McNemar's exact test on per-clip correctness).
 * Resampling draws from bioprobe's seeded MT19937, so results are reproducible.
 */
import { MT19937 } from '../util/random.js';
import { mean, quantileSorted as quantile, sampleStd } from '../util/stats.js';
import { uar, type UarClasses } from '../results/metrics.js';

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** Resamples (default 1000 for intervals, 2000 for paired tests), generator seed, level (0.95), UAR's class set. */
export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  level?: number;
  uarClasses?: UarClasses;
}

function resample(n: number, rng: MT19937, out: Int32Array): Int32Array {
  for (let i = 0; i < n; i++) out[i] = rng.next() % n;
  return out;
}

function gathered(a: ArrayLike<number>, idx: Int32Array, out: Int32Array): Int32Array {
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}

/** Mean and sample standard deviation (n - 1; 0 for one value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  return { mean: mean(values), std: values.length > 1 ? sampleStd(values) : 0 };
}

/**
 * Percentile bootstrap interval (level 0.95 by default) of the seed-mean UAR: each resample draws the
 * test clips with replacement and scores every seed's predictions on the same draw.
 */
export function bootstrapUar(predsBySeed: readonly Int32Array[], y: Int32Array, C: number, opts: BootstrapOptions = {}): Interval {
  const B = opts.resamples ?? 1000;
  const n = y.length;
  const rng = new MT19937(opts.seed ?? 0);
  const idx = new Int32Array(n);
  const yb = new Int32Array(n);
  const pb = new Int32Array(n);
  const stats = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    resample(n, rng, idx);
    gathered(y, idx, yb);
    let s = 0;
    for (const p of predsBySeed) s += uar(gathered(p, idx, pb), yb, C, opts.uarClasses);
    stats[b] = s / predsBySeed.length;
  }
  stats.sort();
  const a = (1 - (opts.level ?? 0.95)) / 2;
  const estimate = predsBySeed.reduce((s, p) => s + uar(p, y, C, opts.uarClasses), 0) / predsBySeed.length;
  return { estimate, low: quantile(stats, a), high: quantile(stats, 1 - a) };
}

export interface PairedResult {
  /** UAR(A) - UAR(B) on the clips. */
  diff: number;
  /** Bootstrap percentile interval of the difference. */
  low: number;
  high: number;
  /** Two-sided bootstrap p-value for "no difference" (share of resampled differences across 0, doubled). */
  p: number;
}

/**
 * Paired bootstrap of the UAR difference between systems A and B on the same clips. Each side is one
 * prediction array or several (one per seed): a side's UAR is then the mean over its seeds, and every
 * resample scores all seeds of both sides on the same draw of clips, so seed noise and clip sampling
 * both enter the interval.
 */
export function pairedBootstrap(
  predA: Int32Array | readonly Int32Array[],
  predB: Int32Array | readonly Int32Array[],
  y: Int32Array,
  C: number,
  opts: BootstrapOptions = {},
): PairedResult {
  const A = predA instanceof Int32Array ? [predA] : predA;
  const Bs = predB instanceof Int32Array ? [predB] : predB;
  const B = opts.resamples ?? 2000;
  const n = y.length;
  const rng = new MT19937(opts.seed ?? 0);
  const idx = new Int32Array(n);
  const yb = new Int32Array(n);
  const pb = new Int32Array(n);
  const meanUar = (preds: readonly Int32Array[], yy: Int32Array, draw?: Int32Array) =>
    preds.reduce((s, p) => s + uar(draw ? gathered(p, draw, pb) : p, yy, C, opts.uarClasses), 0) / preds.length;
  const diffs = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    resample(n, rng, idx);
    gathered(y, idx, yb);
    diffs[b] = meanUar(A, yb, idx) - meanUar(Bs, yb, idx);
  }
  diffs.sort();
  const diff = meanUar(A, y) - meanUar(Bs, y);
  let below = 0;
  let above = 0;
  for (const d of diffs) {
    if (d <= 0) below++;
    if (d >= 0) above++;
  }
  const a = (1 - (opts.level ?? 0.95)) / 2;
  return { diff, low: quantile(diffs, a), high: quantile(diffs, 1 - a), p: Math.min(1, (2 * Math.min(below, above)) / B) };
}

/** log of the binomial coefficient. */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
  return s;
}

/**
 * McNemar's exact test: b = clips A gets right and B wrong, c = the reverse; two-sided binomial
 * p-value of min(b, c) under Binomial(b + c, 1/2).
 */
export function mcnemar(predA: ArrayLike<number>, predB: ArrayLike<number>, y: ArrayLike<number>): { b: number; c: number; p: number } {
  let b = 0;
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    const ra = predA[i] === y[i];
    const rb = predB[i] === y[i];
    if (ra && !rb) b++;
    else if (!ra && rb) c++;
  }
  const n = b + c;
  if (n === 0) return { b, c, p: 1 };
  const k = Math.min(b, c);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return { b, c, p: Math.min(1, 2 * tail) };
}
