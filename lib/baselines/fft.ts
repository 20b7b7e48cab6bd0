/**
 * A radix-2 complex FFT in float64, planned once per size (twiddles and bit-reversal table), used by
 * the log-mel baseline. Float64 so that our spectra are more precise than torch's float32 ones, and
 * parity with a float64 torchaudio reference is limited by the reference, not by us.
 */

export interface FftPlan {
  n: number;
  /** cos(2*pi*k/n), sin(2*pi*k/n) for k < n/2. */
  cos: Float64Array;
  sin: Float64Array;
  /** Bit-reversed index of each position. */
  rev: Uint32Array;
}

/** Plan an FFT of size `n` (a power of two, >= 2). */
export function planFft(n: number): FftPlan {
  if (!Number.isInteger(n) || n < 2 || (n & (n - 1)) !== 0) throw new RangeError(`FFT size must be a power of two >= 2, got ${n}`);
  const half = n / 2;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const bits = Math.log2(n);
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  return { n, cos, sin, rev };
}

/**
 * In-place forward DFT X[k] = sum_t x[t] exp(-2*pi*i*k*t/n) of (re, im), both of length plan.n.
 */
export function fftInPlace(plan: FftPlan, re: Float64Array, im: Float64Array): void {
  const { n, cos, sin, rev } = plan;
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const halfSize = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, tw = 0; k < halfSize; k++, tw += step) {
        const a = start + k;
        const b = a + halfSize;
        const wr = cos[tw];
        const wi = -sin[tw];
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}
