/** A small seeded random source for the synthetic generator, on the project's MT19937 (no Math.random). */
import { MT19937 } from '../../util/random.js';

export class Rng {
  private readonly mt: MT19937;
  private spare: number | undefined;
  constructor(seed: number) {
    this.mt = new MT19937(seed >>> 0);
  }
  /** Uniform in [0, 1) with 53 random bits (as numpy's random_sample builds it). */
  uniform(): number {
    const a = this.mt.next() >>> 5;
    const b = this.mt.next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }
  /** Log-uniform in [lo, hi): equal odds per octave. */
  logRange(lo: number, hi: number): number {
    return lo * (hi / lo) ** this.uniform();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** Standard normal (Box-Muller, pairs cached). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** A permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  }
}
