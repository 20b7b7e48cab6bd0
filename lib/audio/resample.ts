/**
 * bioprobe's own resampler, the `kaiser` engine (resampler.ts chooses; libsoxr is the exact one):
 * band-limited resampling between integer rates (the soxr/libsamplerate class): a Kaiser-windowed
 * sinc applied in polyphase form at the exact rational ratio up/down = outRate/inRate reduced by
 * their gcd (44100 -> 16000 is 160/441), so output sample j sits exactly at input time j*down/up.
 *
 * Defaults (measured in test/audio/resample.test.ts and stated in docs/AUDIO.md): soxr HQ's nominal
 * band edges, pass band flat to 0.913 x the lower Nyquist, stop band from the lower Nyquist (no
 * aliasing band), 130 dB design attenuation. Linear phase, zero delay (output 0 is aligned with
 * input 0), zeros outside the signal, output length ceil(n * outRate / inRate) as librosa.resample gives.
 *
 * Coefficients: an exact per-phase table when up x taps fits `maxTable`; otherwise (rates whose gcd
 * with the target is tiny, e.g. 191999 Hz) an oversampled half-kernel with linear interpolation
 * (4096 points per zero crossing of the sinc, so the table stays small for wide kernels), which
 * keeps the exact time grid and adds an error below 2e-6.
 */
import { designLowpass, lowpassEvaluator, type LowpassDesign } from './kaiser.js';
import { POLYPHASE_WASM_BASE64 } from './polyphase.wasm.js';

export interface ResampleOptions {
  /** Pass-band edge as a fraction of the lower of the two Nyquist frequencies (default 0.913, soxr HQ's). */
  passband?: number;
  /** Stop-band edge as a fraction of the lower Nyquist (default 1: no aliasing band). */
  stopband?: number;
  /** Design stop-band attenuation in dB (default 130: soxr HQ's 20 bits + 1, 126 dB, and a margin). */
  attenuationDb?: number;
  /** Largest exact polyphase table, in coefficients, before the interpolated kernel is used (default 2^23 = 32 MB). */
  maxTable?: number;
  /** Table-mode inner loop: 'wasm' (SIMD, ~3x faster, default) or 'js' (the plain reference loop). */
  engine?: 'wasm' | 'js';
}

export const DEFAULT_RESAMPLE: Required<ResampleOptions> = {
  passband: 0.913,
  stopband: 1,
  attenuationDb: 130,
  maxTable: 1 << 23,
  engine: 'wasm',
};

/** Output samples per call into the SIMD kernel: bounds the kernel's memory for ten-minute files. */
const BLOCK = 1 << 18;

/** The slice of the WebAssembly API used here (tsconfig's lib has no DOM/WebAssembly typings). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | undefined;
/** The kernel module (a constant, compiled on first use; each Resampler instantiates its own memory). */
function kernelModule(): object {
  compiled ??= new Wasm.Module(Buffer.from(POLYPHASE_WASM_BASE64, 'base64'));
  return compiled;
}

interface Kernel {
  memory: WasmMemory;
  run: (tab: number, x: number, y: number, nOut: number, stride: number, L: number, stepInt: number, stepFrac: number, p0: number) => void;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A resampler for one pair of rates; build once (the table costs up to ~0.2 s), reuse for every clip. */
export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Interpolation factor L = outRate / gcd. */
  readonly up: number;
  /** Decimation factor M = inRate / gcd. */
  readonly down: number;
  /** Taps per output sample (2K); 0 for the identity. */
  readonly taps: number;
  readonly mode: 'identity' | 'table' | 'interpolated';
  readonly engine: 'wasm' | 'js';
  readonly design?: LowpassDesign;
  /** Table mode: L rows of `stride` coefficients (taps zero-padded to a multiple of 8). Interpolated: the half-kernel. */
  private table?: Float32Array;
  /** Coefficients held (JS table or its copy in the kernel's memory), for the cache's budget. */
  readonly tableBytes: number = 0;
  private readonly stride: number = 0;
  /** Interpolated mode: kernel points per input sample. */
  private readonly oversample: number = 0;
  private kernel?: Kernel;

  constructor(inRate: number, outRate: number, opts: ResampleOptions = {}) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0) {
      throw new RangeError(`resampler rates must be positive integers, got ${inRate} -> ${outRate}`);
    }
    const o = { ...DEFAULT_RESAMPLE, ...opts };
    this.inRate = inRate;
    this.outRate = outRate;
    this.engine = o.engine;
    const g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    if (inRate === outRate) {
      this.mode = 'identity';
      this.taps = 0;
      return;
    }
    const nyq = Math.min(1, this.up / this.down) / 2; // lower Nyquist, cycles per input sample
    this.design = designLowpass(o.passband * nyq, o.stopband * nyq, o.attenuationDb);
    const K = Math.ceil(this.design.halfWidth);
    this.taps = 2 * K;
    const h = lowpassEvaluator(this.design);
    if (this.up * this.taps <= o.maxTable) {
      this.mode = 'table';
      const L = this.up;
      const stride = Math.ceil(this.taps / 8) * 8;
      this.stride = stride;
      const tab = new Float32Array(L * stride);
      for (let p = 0; p < L; p++) {
        const frac = p / L;
        for (let k = 0; k < this.taps; k++) tab[p * stride + k] = h(frac + (K - 1 - k));
      }
      this.table = tab;
      this.tableBytes = tab.byteLength;
    } else {
      this.mode = 'interpolated';
      // 4096 points per zero crossing (1 / (2 cutoff) input samples), at least 16 per input sample.
      this.oversample = Math.max(16, Math.ceil(4096 * 2 * this.design.cutoff));
      const n = Math.ceil(K * this.oversample) + 2;
      const tab = new Float32Array(n);
      for (let i = 0; i < n; i++) tab[i] = h(i / this.oversample);
      this.table = tab;
      this.tableBytes = tab.byteLength;
    }
  }

  /** Number of output samples for n input samples: ceil(n * up / down). */
  outputLength(n: number): number {
    return Math.floor((n * this.up + this.down - 1) / this.down);
  }

  /** Resample a whole signal (offline; zeros assumed before and after it). */
  process(x: Float32Array): Float32Array {
    if (this.mode === 'identity') return x.slice();
    const nOut = this.outputLength(x.length);
    if (x.length === 0) return new Float32Array(0);
    if (this.mode === 'table' && this.engine === 'wasm') return this.processWasm(x, nOut);
    // Zero-padded copy: padded index i holds x[i - K]; output j reads xp[n0 + 1 .. n0 + stride].
    const xp = new Float32Array(x.length + this.taps + this.stride + 2);
    xp.set(x, this.taps / 2);
    return this.mode === 'table' ? this.runTableJs(xp, nOut) : this.runInterpolatedJs(xp, nOut);
  }

  /** Table mode through the SIMD kernel, in blocks of output samples so memory stays bounded. */
  private processWasm(x: Float32Array, nOut: number): Float32Array {
    const y = new Float32Array(nOut);
    const L = this.up,
      M = this.down,
      K = this.taps / 2,
      stride = this.stride;
    const tabBytes = this.tableBytes;
    for (let j0 = 0; j0 < nOut; j0 += BLOCK) {
      const nb = Math.min(BLOCK, nOut - j0);
      const n0 = Math.floor((j0 * M) / L);
      const p0 = (j0 * M) % L;
      const lastN0 = Math.floor(((j0 + nb - 1) * M) / L);
      const span = lastN0 - n0 + stride + 2; // padded indices n0 .. lastN0 + stride + 1
      const k = this.ensureKernel(tabBytes + (span + nb) * 4);
      const xOff = tabBytes;
      const yOff = xOff + span * 4;
      const mem = new Float32Array(k.memory.buffer, xOff, span);
      mem.fill(0);
      // padded index i <-> x[i - K]; copy the part of x that falls inside [n0, n0 + span).
      const from = Math.max(0, n0 - K),
        to = Math.min(x.length, n0 + span - K);
      if (to > from) mem.set(x.subarray(from, to), from + K - n0);
      k.run(0, xOff, yOff, nb, stride, L, Math.floor(M / L), M % L, p0);
      y.set(new Float32Array(k.memory.buffer, yOff, nb), j0);
    }
    return y;
  }

  /** Instantiate the kernel on first use and copy the table to offset 0; grow its memory to `bytes`. */
  private ensureKernel(bytes: number): Kernel {
    if (!this.kernel) {
      const exp = new Wasm.Instance(kernelModule(), {}).exports as unknown as Kernel;
      const need = bytes - exp.memory.buffer.byteLength;
      if (need > 0) exp.memory.grow(Math.ceil(need / 65536));
      new Float32Array(exp.memory.buffer, 0, this.table!.length).set(this.table!);
      this.kernel = { memory: exp.memory, run: exp.run };
      this.table = undefined; // the kernel's memory holds the only copy from now on
    }
    const mem = this.kernel.memory;
    if (mem.buffer.byteLength < bytes) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
    return this.kernel;
  }

  private runTableJs(xp: Float32Array, nOut: number): Float32Array {
    const y = new Float32Array(nOut);
    const L = this.up,
      stride = this.stride,
      taps = this.taps;
    const stepInt = Math.floor(this.down / L),
      stepFrac = this.down % L;
    const tab = this.table!;
    let n0 = 0; // floor(j * down / up)
    let p = 0; // (j * down) mod up
    for (let j = 0; j < nOut; j++) {
      const off = p * stride;
      const base = n0 + 1;
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0;
      for (let k = 0; k < taps; k += 4) {
        a0 += xp[base + k] * tab[off + k];
        a1 += xp[base + k + 1] * tab[off + k + 1];
        a2 += xp[base + k + 2] * tab[off + k + 2];
        a3 += xp[base + k + 3] * tab[off + k + 3];
      }
      y[j] = a0 + a1 + a2 + a3;
      n0 += stepInt;
      p += stepFrac;
      if (p >= L) {
        p -= L;
        n0++;
      }
    }
    return y;
  }

  private runInterpolatedJs(xp: Float32Array, nOut: number): Float32Array {
    const y = new Float32Array(nOut);
    const L = this.up,
      taps = this.taps,
      K = taps / 2,
      os = this.oversample;
    const stepInt = Math.floor(this.down / L),
      stepFrac = this.down % L;
    const tab = this.table!;
    let n0 = 0,
      p = 0;
    for (let j = 0; j < nOut; j++) {
      const frac = p / L;
      const base = n0 + 1;
      let acc = 0;
      for (let k = 0; k < taps; k++) {
        const pos = Math.abs(frac + (K - 1 - k)) * os;
        const i = pos | 0;
        acc += xp[base + k] * (tab[i] + (pos - i) * (tab[i + 1] - tab[i]));
      }
      y[j] = acc;
      n0 += stepInt;
      p += stepFrac;
      if (p >= L) {
        p -= L;
        n0++;
      }
    }
    return y;
  }
}

/** One-off convenience: resample x from inRate to outRate with the default (or given) quality. */
export function resample(x: Float32Array, inRate: number, outRate: number, opts: ResampleOptions = {}): Float32Array {
  return new Resampler(inRate, outRate, opts).process(x);
}
