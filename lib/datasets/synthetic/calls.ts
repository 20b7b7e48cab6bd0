/**
 * The six call types of the synthetic dataset, each a clean signal drawn with per-item random
 * parameters and per-individual traits. Frequencies are kept below 0.45 x the sample rate so no call
 * aliases at 8 kHz. Background noise, SNR and level are added by the caller (generate.ts).
 */
import type { Rng } from './rng.js';

/** Stable traits of one simulated individual: it calls a little higher/faster/richer than others. */
export interface Traits {
  /** Frequency scale, ~0.8..1.25. */
  pitch: number;
  /** Rate scale for pulses and clicks, ~0.8..1.25. */
  tempo: number;
  /** Harmonic richness / growl depth, 0..1. */
  timbre: number;
}

type CallGenerator = (rng: Rng, sr: number, n: number, t: Traits) => Float64Array;

const TWO_PI = 2 * Math.PI;

/** Raised-cosine fade in/out over `attack` and `release` samples. */
function fade(x: Float64Array, attack: number, release: number): void {
  const n = x.length;
  const a = Math.max(1, Math.min(attack, n >> 1));
  const r = Math.max(1, Math.min(release, n >> 1));
  for (let i = 0; i < a; i++) x[i] *= 0.5 - 0.5 * Math.cos((Math.PI * i) / a);
  for (let i = 0; i < r; i++) x[n - 1 - i] *= 0.5 - 0.5 * Math.cos((Math.PI * i) / r);
}

/** A tone following the instantaneous frequency `freq(i)`, with an optional weak 2nd harmonic. */
function tone(n: number, sr: number, freq: (i: number) => number, h2: number): Float64Array {
  const x = new Float64Array(n);
  const fmax = 0.45 * sr;
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f = freq(i);
    phase += (TWO_PI * f) / sr;
    x[i] = Math.sin(phase) + (2 * f < fmax ? h2 * Math.sin(2 * phase) : 0);
  }
  return x;
}

/** FM sweep between two frequencies with a curved (power-law in log-frequency) trajectory. */
function sweep(rng: Rng, sr: number, n: number, t: Traits, up: boolean): Float64Array {
  const fmax = 0.42 * sr;
  let lo = Math.min(rng.range(500, 2400) * t.pitch, fmax / 1.6);
  const hi = Math.min(lo * rng.range(1.6, 3.2), fmax);
  lo = Math.min(lo, hi / 1.5);
  const gamma = rng.range(0.6, 1.7);
  const ratio = Math.log(hi / lo);
  const x = tone(
    n,
    sr,
    (i) => {
      const u = (i / Math.max(1, n - 1)) ** gamma;
      return lo * Math.exp(ratio * (up ? u : 1 - u));
    },
    0.35 * t.timbre,
  );
  fade(x, Math.round(n * rng.range(0.05, 0.2)), Math.round(n * rng.range(0.05, 0.2)));
  return x;
}

const upsweep: CallGenerator = (rng, sr, n, t) => sweep(rng, sr, n, t, true);
const downsweep: CallGenerator = (rng, sr, n, t) => sweep(rng, sr, n, t, false);

/** Trill: a carrier with fast sinusoidal FM, chopped into pulses by a raised-cosine AM train. */
const trill: CallGenerator = (rng, sr, n, t) => {
  const fc = Math.min(rng.range(1200, 3600) * t.pitch, 0.3 * sr);
  const fm = rng.range(15, 35) * t.tempo;
  const depth = rng.range(0.05, 0.2) * fc;
  const pulseRate = rng.range(8, 25) * t.tempo;
  const duty = rng.range(0.4, 0.75);
  const phi = rng.uniform();
  const x = tone(n, sr, (i) => fc + depth * Math.sin((TWO_PI * fm * i) / sr), 0.2 * t.timbre);
  for (let i = 0; i < n; i++) {
    const cyc = ((i * pulseRate) / sr + phi) % 1;
    x[i] *= cyc < duty ? 0.5 - 0.5 * Math.cos((TWO_PI * cyc) / duty) : 0;
  }
  fade(x, Math.round(0.002 * sr), Math.round(0.002 * sr));
  return x;
};

/** Click train: damped sinusoids (echolocation-like) at jittered inter-click intervals. */
const clicks: CallGenerator = (rng, sr, n, t) => {
  const x = new Float64Array(n);
  const ici = (rng.range(0.008, 0.06) / t.tempo) * sr;
  const fc = Math.min(rng.range(1800, 6000) * t.pitch, 0.4 * sr);
  const tau = rng.range(0.0003, 0.0015) * sr;
  const len = Math.min(n, Math.ceil(tau * 6));
  let at = rng.range(0, Math.min(ici, n / 2));
  while (at < n) {
    const a = rng.range(0.5, 1);
    const start = Math.floor(at);
    for (let k = 0; k < len && start + k < n; k++) x[start + k] += a * Math.exp(-k / tau) * Math.sin((TWO_PI * fc * k) / sr);
    at += ici * rng.range(0.9, 1.1);
  }
  return x;
};

/** Harmonic stack (marmoset-phee-like): f0 with slow vibrato and drift, harmonics up to 0.45 sr. */
const harmonic: CallGenerator = (rng, sr, n, t) => {
  const f0 = Math.min(rng.range(300, 1200) * t.pitch, 0.2 * sr);
  const vibRate = rng.range(3, 8);
  const vibDepth = rng.range(0.01, 0.03);
  const drift = rng.range(-0.1, 0.15);
  const alpha = rng.range(0.8, 2.0) - 0.6 * t.timbre;
  const fmax = 0.45 * sr;
  const K = Math.max(1, Math.min(10, Math.floor(fmax / (f0 * (1 + drift + vibDepth) + 1))));
  const amps = Array.from({ length: K }, (_, k) => (k + 1) ** -alpha);
  const x = new Float64Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const u = i / Math.max(1, n - 1);
    const f = f0 * (1 + drift * u) * (1 + vibDepth * Math.sin((TWO_PI * vibRate * i) / sr));
    phase += (TWO_PI * f) / sr;
    let s = 0;
    for (let k = 0; k < K; k++) s += amps[k] * Math.sin((k + 1) * phase);
    x[i] = s;
  }
  fade(x, Math.round(n * rng.range(0.1, 0.3)), Math.round(n * rng.range(0.05, 0.2)));
  return x;
};

/** One resonator (RBJ band-pass biquad, 0 dB peak) applied in place. */
function bandpass(x: Float64Array, sr: number, f: number, q: number): Float64Array {
  const w = (TWO_PI * f) / sr;
  const alpha = Math.sin(w) / (2 * q);
  const a0 = 1 + alpha;
  const b0 = alpha / a0,
    b2 = -alpha / a0,
    a1 = (-2 * Math.cos(w)) / a0,
    a2 = (1 - alpha) / a0;
  const y = new Float64Array(x.length);
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = b0 * x[i] + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x[i];
    y2 = y1;
    y1 = v;
    y[i] = v;
  }
  return y;
}

/** Bark/growl: noise through 2-3 formant resonators, in bursts, with growl-rate amplitude modulation. */
const bark: CallGenerator = (rng, sr, n, t) => {
  const noise = new Float64Array(n);
  for (let i = 0; i < n; i++) noise[i] = rng.normal();
  const fmax = 0.42 * sr;
  const formants = [rng.range(300, 900), rng.range(1000, 2200), rng.range(2400, 3400)].map((f) => Math.min(f * t.pitch, fmax));
  const x = new Float64Array(n);
  for (const [k, f] of formants.entries()) {
    const y = bandpass(noise, sr, f, rng.range(3, 8));
    const g = 1 / (k + 1);
    for (let i = 0; i < n; i++) x[i] += g * y[i];
  }
  const burst = rng.range(0.06, 0.25) * sr;
  const gap = rng.range(0.04, 0.2) * sr;
  const growl = rng.range(20, 60) * t.tempo;
  const growlDepth = 0.8 * t.timbre;
  for (let i = 0; i < n; i++) {
    const pos = i % (burst + gap);
    const env = n <= burst ? 1 : pos < burst ? Math.sin((Math.PI * pos) / burst) : 0;
    x[i] *= env * (1 - growlDepth * (0.5 + 0.5 * Math.sin((TWO_PI * growl * i) / sr)));
  }
  fade(x, Math.round(0.003 * sr), Math.round(0.003 * sr));
  return x;
};

/** The classes in label order; the generator of each. */
export const CALL_TYPES: readonly { label: string; make: CallGenerator }[] = [
  { label: 'upsweep', make: upsweep },
  { label: 'downsweep', make: downsweep },
  { label: 'trill', make: trill },
  { label: 'clicks', make: clicks },
  { label: 'harmonic', make: harmonic },
  { label: 'bark', make: bark },
];
