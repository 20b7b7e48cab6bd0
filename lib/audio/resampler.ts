/**
 * Which resampler runs, and the per-run cache of rate converters.
 *
 * Two engines (docs/AUDIO.md "Resampling"):
 * - `libsoxr`: the system's libsoxr with the HQ recipe, called as librosa/python-soxr call it
 *   (soxr.ts): the paper's preprocessing, bit for bit. Exact.
 * - `kaiser`: bioprobe's own Kaiser-windowed polyphase resampler (resample.ts): no native library,
 *   runs everywhere, close to but not equal to soxr HQ. Inexact.
 * `auto` (the default) takes libsoxr when it loads and otherwise falls back to kaiser, and says so:
 * once per process (`warnInexact`), in the features manifest (`preprocessing.resampler`, part of the
 * store identity), in `bioprobe doctor`, and the `paper` protocol refuses it unless allowed.
 */
import { BioprobeError } from '../util/errors.js';
import { DEFAULT_RESAMPLE, Resampler, type ResampleOptions } from './resample.js';
import { loadLibsoxr, type Libsoxr } from './soxr.js';

export const RESAMPLER_CHOICES = ['auto', 'libsoxr', 'kaiser'] as const;
export type ResamplerChoice = (typeof RESAMPLER_CHOICES)[number];

/** What the features manifest records as `preprocessing.resampler`: every field that changes the output. */
export type ResamplerInfo =
  | { engine: 'libsoxr'; version: string; quality: 'HQ'; core: string; exact: true }
  | { engine: 'bioprobe-kaiser'; passband: number; stopband: number; attenuationDb: number; exact: false };

/** One pair of rates. */
export interface RateConverter {
  process(x: Float32Array): Float32Array;
  /** Memory it holds (coefficient tables), for the cache's budget. */
  readonly tableBytes: number;
}

export interface ResamplerEngine {
  info: ResamplerInfo;
  /** Set when `auto` fell back to the inexact engine: why libsoxr is not used, and how to get it. */
  fallback?: { reason: string; fix: string };
  converter(inRate: number, outRate: number): RateConverter;
}

/** libsoxr HQ for one pair of rates (libsoxr builds its filters per call, in well under a millisecond; nothing is held). */
class SoxrConverter implements RateConverter {
  readonly tableBytes = 0;
  constructor(
    private readonly lib: Libsoxr,
    readonly inRate: number,
    readonly outRate: number,
  ) {}
  process(x: Float32Array): Float32Array {
    return this.lib.resample(x, this.inRate, this.outRate);
  }
}

/**
 * The kaiser resampler with libsoxr's output length as librosa sees it: libsoxr emits
 * round(n * out / in) samples (at most python-soxr's buffer, trunc(n * out / in + 1)) and librosa
 * pads them with zeros to ceil(n * out / in); the kaiser engine computes ceil(...) samples, so the
 * last one is zeroed where soxr would have emitted none (a visible difference on short clips).
 */
class KaiserConverter implements RateConverter {
  constructor(private readonly r: Resampler) {}
  get tableBytes(): number {
    return this.r.tableBytes;
  }
  process(x: Float32Array): Float32Array {
    const y = this.r.process(x);
    if (this.r.inRate === this.r.outRate) return y;
    const n = x.length,
      inRate = this.r.inRate,
      outRate = this.r.outRate;
    const emitted = Math.min(Math.trunc((n * outRate) / inRate + 1), Math.floor(n / (inRate / outRate) + 0.5));
    if (emitted < y.length) y.fill(0, emitted);
    return y;
  }
}

function kaiserEngine(opts: ResampleOptions, fallback?: ResamplerEngine['fallback']): ResamplerEngine {
  const o = { ...DEFAULT_RESAMPLE, ...opts };
  return {
    info: { engine: 'bioprobe-kaiser', passband: o.passband, stopband: o.stopband, attenuationDb: o.attenuationDb, exact: false },
    fallback,
    converter: (inRate, outRate) => new KaiserConverter(new Resampler(inRate, outRate, opts)),
  };
}

/**
 * The engine for `choice`: `libsoxr` throws `resampler-missing` when libsoxr cannot be loaded;
 * `auto` falls back to kaiser (with `fallback` set); `kaiser` options apply to the kaiser engine only.
 */
export function resolveResampler(
  choice: ResamplerChoice = 'auto',
  kaiser: ResampleOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResamplerEngine {
  if (!(RESAMPLER_CHOICES as readonly string[]).includes(choice)) {
    throw new BioprobeError('usage', 'usage', `resampler must be ${RESAMPLER_CHOICES.join(', ')}, got "${String(choice)}"`);
  }
  if (choice === 'kaiser') return kaiserEngine(kaiser);
  const soxr = loadLibsoxr(env);
  if (soxr.ok) {
    const lib = soxr.lib;
    return {
      info: { engine: 'libsoxr', version: lib.version, quality: 'HQ', core: lib.core, exact: true },
      converter: (inRate, outRate) => new SoxrConverter(lib, inRate, outRate),
    };
  }
  if (choice === 'libsoxr') {
    throw new BioprobeError('audio', 'resampler-missing', `the libsoxr resampler was asked for but ${soxr.reason}`, { hint: soxr.fix });
  }
  return kaiserEngine(kaiser, { reason: soxr.reason, fix: soxr.fix });
}

/** One line for logs and errors: `libsoxr 0.1.3 HQ (exact)` or `bioprobe-kaiser (inexact: ...)`. */
export function describeResampler(info: ResamplerInfo | string): string {
  if (typeof info === 'string') return info;
  if (info.engine === 'libsoxr') return `libsoxr ${info.version} ${info.quality} (${info.core}; exact: librosa's soxr_hq)`;
  return `bioprobe-kaiser (pass band ${info.passband}, ${info.attenuationDb} dB; inexact: close to but not equal to librosa's soxr_hq)`;
}

/** The warning text for an `auto` fallback. */
export function inexactWarning(engine: ResamplerEngine): string {
  const why = engine.fallback ? `${engine.fallback.reason}; ` : '';
  const fix = engine.fallback ? ` Fix: ${engine.fallback.fix}.` : '';
  return `${why}resampling with ${describeResampler(engine.info)}. Features differ slightly from the paper's preprocessing (docs/AUDIO.md "Resampling").${fix}`;
}

let warned = false;

/**
 * Say once per process that `auto` fell back to the inexact engine (through `sink`, default a Node
 * process warning). Returns whether it said it now. An explicit `kaiser` choice is not warned about.
 */
export function warnInexact(engine: ResamplerEngine, sink?: (line: string) => void): boolean {
  if (warned || !engine.fallback) return false;
  warned = true;
  const line = inexactWarning(engine);
  if (sink) sink(line);
  else process.emitWarning(line, { type: 'BioprobeWarning', code: 'BIOPROBE_INEXACT_RESAMPLER' });
  return true;
}

/** Options of a ResamplerCache: the engine (resolved from `resampler` when not given) and kaiser settings. */
export interface ResamplerOptions extends ResampleOptions {
  /** Engine choice (default `auto`). */
  resampler?: ResamplerChoice;
}

/**
 * Rate converters keyed by rate pair, so a dataset's few rates build their tables once; least recently
 * used ones are dropped beyond `maxBytes` of tables (default 256 MiB; Watkins-like collections have
 * dozens of rates, and an odd rate's kaiser table can take 10-20 MB). Owned by the caller (openClips
 * makes one per run): no module-level state besides the once-per-process warning.
 */
export class ResamplerCache {
  readonly engine: ResamplerEngine;
  private readonly map = new Map<string, RateConverter>();

  constructor(
    engine: ResamplerEngine | ResamplerOptions = {},
    private readonly maxBytes = 256 * 2 ** 20,
  ) {
    this.engine = 'converter' in engine ? engine : resolveResampler(engine.resampler, engine);
  }

  get(inRate: number, outRate: number): RateConverter {
    const key = `${inRate}:${outRate}`;
    let r = this.map.get(key);
    if (r) {
      this.map.delete(key); // re-insert: Map order is the recency order
      this.map.set(key, r);
      return r;
    }
    warnInexact(this.engine);
    r = this.engine.converter(inRate, outRate);
    this.map.set(key, r);
    let bytes = 0;
    for (const x of this.map.values()) bytes += x.tableBytes;
    for (const [k, x] of this.map) {
      if (bytes <= this.maxBytes || x === r) break;
      bytes -= x.tableBytes;
      this.map.delete(k);
    }
    return r;
  }

  /** Rate pairs currently held, least recently used first. */
  keys(): string[] {
    return [...this.map.keys()];
  }
}
