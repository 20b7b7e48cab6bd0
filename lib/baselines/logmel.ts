/**
 * The classical baseline: log-mel filterbank frames, computed exactly as
 *   torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, win_length=400, hop_length=160,
 *     f_min=0, f_max=8000, n_mels=64, window_fn=torch.hann_window, power=2.0, center=True,
 *     pad_mode="reflect", norm=None, mel_scale="htk")
 * followed by log(x + 1e-6), in float64 (torch computes in float32; parity is checked against a float64
 * torchaudio reference, tools/make_logmel_reference.py). Frames are 25 ms Hann windows every 10 ms;
 * the extraction stage pools them (mean + unbiased std) like any layer.
 */
import { fftInPlace, planFft, type FftPlan } from './fft.js';
import { melFilterbank, type MelScale } from './melscale.js';

export interface LogMelSettings {
  sampleRate: number;
  nFft: number;
  winLength: number;
  hopLength: number;
  nMels: number;
  fMin: number;
  fMax: number;
  melScale: MelScale;
  norm: 'slaney' | null;
  /** Added before the natural log, so silence gives log(1e-6) instead of -Infinity. */
  logEps: number;
}

/** The baseline's settings (stated in docs/EXPERIMENTS.md and in every features manifest). */
export const DEFAULT_LOGMEL: Readonly<LogMelSettings> = Object.freeze({
  sampleRate: 16000,
  nFft: 512,
  winLength: 400,
  hopLength: 160,
  nMels: 64,
  fMin: 0,
  fMax: 8000,
  melScale: 'htk',
  norm: null,
  logEps: 1e-6,
});

/** Log-mel frames of one clip: row-major [frames x nMels] float32. */
export interface LogMelFrames {
  data: Float32Array;
  frames: number;
  nMels: number;
}

/** Number of frames torch.stft(center=True) gives for `n` samples. */
export function logMelFrameCount(n: number, s: LogMelSettings = DEFAULT_LOGMEL): number {
  return Math.floor(n / s.hopLength) + 1;
}

/** Index into x of torch's reflect padding (no edge repeat), valid for any offset. */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

/** A reusable log-mel computer: window, filterbank and FFT plan built once. */
export class LogMel {
  readonly settings: LogMelSettings;
  private readonly plan: FftPlan;
  private readonly window: Float64Array;
  private readonly fb: Float64Array;
  private readonly nFreqs: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly power: Float64Array;

  constructor(settings: Partial<LogMelSettings> = {}) {
    const s = { ...DEFAULT_LOGMEL, ...settings };
    if (s.winLength > s.nFft) throw new RangeError(`winLength ${s.winLength} exceeds nFft ${s.nFft}`);
    if (s.fMax > s.sampleRate / 2 || s.fMin < 0 || s.fMin >= s.fMax) throw new RangeError(`bad mel range ${s.fMin}..${s.fMax} Hz`);
    this.settings = s;
    this.plan = planFft(s.nFft);
    this.nFreqs = s.nFft / 2 + 1;
    // torch.hann_window(win_length, periodic=True), zero-padded to n_fft and centred (torch.stft)
    this.window = new Float64Array(s.nFft);
    const left = Math.floor((s.nFft - s.winLength) / 2);
    for (let t = 0; t < s.winLength; t++) this.window[left + t] = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / s.winLength);
    this.fb = melFilterbank({
      nFreqs: this.nFreqs,
      fMin: s.fMin,
      fMax: s.fMax,
      nMels: s.nMels,
      sampleRate: s.sampleRate,
      scale: s.melScale,
      norm: s.norm,
    });
    this.re = new Float64Array(s.nFft);
    this.im = new Float64Array(s.nFft);
    this.power = new Float64Array(this.nFreqs);
  }

  /** Log-mel frames of a mono clip at settings.sampleRate (any length >= 1). */
  compute(x: Float32Array): LogMelFrames {
    const s = this.settings;
    const n = x.length;
    if (n === 0) throw new RangeError('log-mel of an empty clip');
    const frames = logMelFrameCount(n, s);
    const out = new Float32Array(frames * s.nMels);
    const pad = Math.floor(s.nFft / 2);
    const { re, im, power, window, fb, nFreqs } = this;
    for (let f = 0; f < frames; f++) {
      const start = f * s.hopLength - pad;
      for (let t = 0; t < s.nFft; t++) {
        const w = window[t];
        const i = start + t;
        re[t] = w === 0 ? 0 : w * x[i >= 0 && i < n ? i : reflectIndex(i, n)];
        im[t] = 0;
      }
      fftInPlace(this.plan, re, im);
      for (let k = 0; k < nFreqs; k++) power[k] = re[k] * re[k] + im[k] * im[k];
      const row = f * s.nMels;
      for (let m = 0; m < s.nMels; m++) {
        let acc = 0;
        for (let k = 0; k < nFreqs; k++) acc += power[k] * fb[k * s.nMels + m];
        out[row + m] = Math.log(acc + s.logEps);
      }
    }
    return { data: out, frames, nMels: s.nMels };
  }
}
