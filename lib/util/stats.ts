/**
 * Descriptive statistics, the one home for them: dataset tables (Table I), seed summaries, bootstrap
 * intervals. Plain double-precision sums over arrays of numbers.
 */

/** Arithmetic mean (NaN for no values). */
export function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/** Sample standard deviation (N - 1; NaN for fewer than two values). */
export function sampleStd(v: ArrayLike<number>): number {
  const n = v.length;
  if (n < 2) return NaN;
  const m = mean(v);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i] - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/** Linearly interpolated quantile `q` in [0, 1] of values sorted ascending (numpy's default; NaN when empty). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median (the mean of the two middle values for an even count; NaN when empty). */
export function median(v: readonly number[]): number {
  return quantileSorted(
    [...v].sort((a, b) => a - b),
    0.5,
  );
}
