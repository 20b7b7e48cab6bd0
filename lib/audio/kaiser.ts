/**
 * Kaiser-windowed sinc low-pass design (Kaiser 1974; Oppenheim & Schafer 7.6): the prototype
 * filter of the polyphase resampler. Times are in input samples, frequencies in cycles per
 * input sample.
 */

/** Modified Bessel function of the first kind, order 0, by its power series (converges fast for x < 50). */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's beta for a stop-band attenuation of `attenuationDb` (> 0). */
export function kaiserBeta(attenuationDb: number): number {
  const a = attenuationDb;
  if (a > 50) return 0.1102 * (a - 8.7);
  if (a >= 21) return 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21);
  return 0;
}

/** The windowed-sinc prototype: cutoff, half-width in input samples, and the Kaiser beta. */
export interface LowpassDesign {
  /** Cutoff (-6 dB point), cycles per input sample: halfway through the transition band. */
  cutoff: number;
  /** Half-length of the impulse response in input samples (support is [-halfWidth, halfWidth]). */
  halfWidth: number;
  beta: number;
}

/**
 * Design a low-pass with pass band up to `passEdge` and stop band from `stopEdge` (cycles/sample,
 * passEdge < stopEdge <= 0.5) rejecting by `attenuationDb`. Length from Kaiser's formula.
 */
export function designLowpass(passEdge: number, stopEdge: number, attenuationDb: number): LowpassDesign {
  const transition = stopEdge - passEdge;
  const length = (attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transition) + 1;
  return { cutoff: (passEdge + stopEdge) / 2, halfWidth: length / 2, beta: kaiserBeta(attenuationDb) };
}

/** Impulse response at time t (input samples): 2fc sinc(2fc t) w(t); unit DC gain when summed at unit spacing. */
export function lowpassAt(d: LowpassDesign, t: number, i0beta = besselI0(d.beta)): number {
  const r = t / d.halfWidth;
  if (r <= -1 || r >= 1) return 0;
  const w = besselI0(d.beta * Math.sqrt(1 - r * r)) / i0beta;
  const x = 2 * d.cutoff * t;
  const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
  return 2 * d.cutoff * sinc * w;
}

/**
 * A fast evaluator of the same impulse response for building large polyphase tables: the Kaiser
 * window comes from a 65,536-point table with linear interpolation (error < 1e-8, below float32
 * precision) instead of a Bessel series per coefficient; the sinc is exact.
 */
export function lowpassEvaluator(d: LowpassDesign): (t: number) => number {
  const N = 1 << 16;
  const win = new Float64Array(N + 2);
  const i0 = besselI0(d.beta);
  for (let i = 0; i <= N + 1; i++) {
    const r = Math.min(1, i / N);
    win[i] = besselI0(d.beta * Math.sqrt(1 - r * r)) / i0;
  }
  const scale = N / d.halfWidth;
  const fc2 = 2 * d.cutoff;
  return (t: number) => {
    const a = Math.abs(t);
    if (a >= d.halfWidth) return 0;
    const pos = a * scale;
    const i = pos | 0;
    const w = win[i] + (pos - i) * (win[i + 1] - win[i]);
    const x = fc2 * t;
    return x === 0 ? fc2 * w : ((fc2 * Math.sin(Math.PI * x)) / (Math.PI * x)) * w;
  };
}
