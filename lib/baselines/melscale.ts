/**
 * Mel filterbanks exactly as torchaudio.functional.melscale_fbanks builds them (torchaudio 0.13):
 * `n_freqs` linearly spaced FFT bin frequencies from 0 to sr/2, `n_mels + 2` points equally spaced on
 * the mel scale (HTK or Slaney formula) between f_min and f_max, triangular filters, and optional
 * Slaney area normalisation.
 */

export type MelScale = 'htk' | 'slaney';

/** Hz -> mel (torchaudio's _hz_to_mel). */
export function hzToMel(f: number, scale: MelScale): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + f / 700);
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logstep = Math.log(6.4) / 27;
  return f >= minLogHz ? minLogMel + Math.log(f / minLogHz) / logstep : f / fSp;
}

/** mel -> Hz (torchaudio's _mel_to_hz). */
export function melToHz(m: number, scale: MelScale): number {
  if (scale === 'htk') return 700 * (10 ** (m / 2595) - 1);
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logstep = Math.log(6.4) / 27;
  return m >= minLogMel ? minLogHz * Math.exp(logstep * (m - minLogMel)) : fSp * m;
}

function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = a;
    return out;
  }
  const step = (b - a) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = a + i * step;
  return out;
}

export interface MelFilterbankOptions {
  nFreqs: number;
  fMin: number;
  fMax: number;
  nMels: number;
  sampleRate: number;
  scale: MelScale;
  /** 'slaney' divides each triangle by its width in Hz (area normalisation); null leaves peaks at 1. */
  norm: 'slaney' | null;
}

/** The filterbank as a row-major [nFreqs x nMels] matrix (torchaudio's layout). */
export function melFilterbank(o: MelFilterbankOptions): Float64Array {
  const allFreqs = linspace(0, Math.floor(o.sampleRate / 2), o.nFreqs);
  const mPts = linspace(hzToMel(o.fMin, o.scale), hzToMel(o.fMax, o.scale), o.nMels + 2);
  const fPts = mPts.map((m) => melToHz(m, o.scale));
  const fb = new Float64Array(o.nFreqs * o.nMels);
  for (let f = 0; f < o.nFreqs; f++) {
    for (let m = 0; m < o.nMels; m++) {
      const down = -(fPts[m] - allFreqs[f]) / (fPts[m + 1] - fPts[m]);
      const up = (fPts[m + 2] - allFreqs[f]) / (fPts[m + 2] - fPts[m + 1]);
      let v = Math.max(0, Math.min(down, up));
      if (o.norm === 'slaney') v *= 2 / (fPts[m + 2] - fPts[m]);
      fb[f * o.nMels + m] = v;
    }
  }
  return fb;
}
