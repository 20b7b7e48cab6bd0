/** Mean, spread and 95 % interval of a score over seeds (Student's t, two-sided). */
import { mean, sampleStd } from '../util/stats.js';

export interface Summary {
  mean: number;
  /** Sample standard deviation (N-1); 0 for a single seed. */
  std: number;
  n: number;
  /** 95 % confidence interval of the mean; equal to the mean for a single seed. */
  lo: number;
  hi: number;
}

// t_{0.975, df} for df = 1..30; beyond that the normal quantile is close enough.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  return df >= 1 && df <= 30 ? T975[df - 1] : 1.96;
}

export function summarise(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, n: 0, lo: NaN, hi: NaN };
  const m = mean(values);
  if (n === 1) return { mean: m, std: 0, n, lo: m, hi: m };
  const std = sampleStd(values);
  const half = (tQuantile975(n - 1) * std) / Math.sqrt(n);
  return { mean: m, std, n, lo: m - half, hi: m + half };
}
