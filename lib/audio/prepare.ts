/**
 * From a decoded recording to the clip a 16 kHz model sees (SPEC.md "Audio preprocessing"):
 * cut the [start, end] segment, resample, peak-normalise, repeat-tile short clips, chunk long ones.
 */
import { audioError } from './errors.js';
import type { ResampleOptions } from './resample.js';
import { ResamplerCache, type ResamplerChoice } from './resampler.js';
import type { DecodedAudio, PreparedClip } from './types.js';
import type { AudioSource } from './source.js';

export interface PrepareOptions {
  /** Output rate (default 16000). */
  targetRate?: number;
  /** Divide by max|x| (default true). A silent clip is left as zeros and flagged. */
  normalize?: boolean;
  /** Clips shorter than this are repeat-tiled from their start up to it (default 5000; 0 disables). */
  minSamples?: number;
  /** Longer clips also get `chunks` of at most this many samples (default 2,000,000; 300,000 for HuBERT). */
  maxChunkSamples?: number;
  /** 'fixed': chunks of exactly maxChunkSamples, the last one shorter (torch.split); 'balanced': equal lengths. */
  chunkMode?: 'fixed' | 'balanced';
  /** A segment may end this many seconds past the file's end and is then cut at the end, flagged (default 0.05). */
  segmentTolerance?: number;
  /** Resampling engine (resampler.ts): `auto` (default: libsoxr HQ when installed, else kaiser), `libsoxr`, `kaiser`. */
  resampler?: ResamplerChoice;
  /** The kaiser engine's settings (defaults in resample.ts). */
  resample?: ResampleOptions;
}

export const DEFAULT_PREPARE = {
  targetRate: 16000,
  normalize: true,
  minSamples: 5000,
  maxChunkSamples: 2_000_000,
  chunkMode: 'fixed' as 'fixed' | 'balanced',
  segmentTolerance: 0.05,
};

/** [start, end] in seconds within the file; undefined = the file's start / end. */
export interface Segment {
  start?: number;
  end?: number;
}

/** Frames [first, first + count) of a segment within a recording of `frames` at `rate`; `clamped` if cut at the end. */
export interface SegmentRange {
  first: number;
  count: number;
  clamped: boolean;
}

/**
 * Which frames a segment covers, as librosa.load(path, sr=None, offset=start, duration=end - start) picks
 * them through soundfile (librosa 0.11 core/audio.py, __soundfile_load): seek to int(offset * sr) and read
 * int(duration * sr) frames, both truncated toward zero after the float64 product (so 0.35 s at 44100 Hz
 * is frame 15434, since 0.35 * 44100 = 15434.999999999998), and fewer at the end of the file (`clamped`).
 * `duration` is end - start in float64 as well. Throws the segment-* errors.
 */
export function segmentRange(
  frames: number,
  rate: number,
  seg: Segment,
  file: string,
  tolerance = DEFAULT_PREPARE.segmentTolerance,
): SegmentRange {
  if (seg.start === undefined && seg.end === undefined) return { first: 0, count: frames, clamped: false };
  const duration = frames / rate;
  const start = seg.start ?? 0;
  const end = seg.end ?? duration;
  const span = `segment [${start}, ${end}] s`;
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw audioError('segment-invalid', file, `${span} is not a pair of finite numbers`);
  if (end <= start) throw audioError('segment-inverted', file, `${span} ends before it starts`, 'check the start/end columns');
  if (start < 0 || start >= duration || end > duration + tolerance) {
    throw audioError(
      'segment-out-of-range',
      file,
      `${span} is outside the recording (0 to ${duration.toFixed(3)} s)`,
      'check the start/end columns and the file',
    );
  }
  const first = Math.trunc(start * rate);
  const want = seg.end === undefined ? frames - first : Math.trunc((end - start) * rate);
  const last = Math.min(frames, first + want);
  if (last <= first) throw audioError('segment-invalid', file, `${span} is shorter than one sample at ${rate} Hz`);
  return { first, count: last - first, clamped: first + want > frames };
}

/** The samples of a segment of a decoded recording (a view, not a copy); see segmentRange. */
export function cutSegment(
  audio: DecodedAudio,
  seg: Segment,
  file: string,
  tolerance = DEFAULT_PREPARE.segmentTolerance,
): { samples: Float32Array; clamped: boolean } {
  const r = segmentRange(audio.samples.length, audio.sampleRate, seg, file, tolerance);
  return { samples: audio.samples.subarray(r.first, r.first + r.count), clamped: r.clamped };
}

/** Split into consecutive views of at most `max` samples. */
export function chunkSamples(x: Float32Array, max: number, mode: 'fixed' | 'balanced'): Float32Array[] {
  const k = Math.ceil(x.length / max);
  const size = mode === 'fixed' ? max : Math.ceil(x.length / k);
  const out: Float32Array[] = [];
  for (let i = 0; i < x.length; i += size) out.push(x.subarray(i, Math.min(x.length, i + size)));
  return out;
}

/** Repeat x from its start until it is `n` samples long. */
export function tile(x: Float32Array, n: number): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i += x.length) y.set(x.subarray(0, Math.min(x.length, n - i)), i);
  return y;
}

/** Prepare one clip (segment `seg` of `audio`, from `file`). Throws AudioError for a bad segment. */
export function prepareClip(
  audio: DecodedAudio,
  seg: Segment,
  file: string,
  opts: PrepareOptions = {},
  resamplers = new ResamplerCache({ ...opts.resample, resampler: opts.resampler }),
): PreparedClip {
  const cut = cutSegment(audio, seg, file, opts.segmentTolerance ?? DEFAULT_PREPARE.segmentTolerance);
  return prepareCut({ ...audio, samples: cut.samples }, cut.clamped, file, opts, resamplers);
}

/** Prepare a segment read from a source (large files are read by position, not decoded whole). */
export async function prepareFromSource(
  source: AudioSource,
  seg: Segment,
  opts: PrepareOptions = {},
  resamplers = new ResamplerCache({ ...opts.resample, resampler: opts.resampler }),
): Promise<PreparedClip> {
  const r = segmentRange(source.frames, source.sampleRate, seg, source.path, opts.segmentTolerance ?? DEFAULT_PREPARE.segmentTolerance);
  return prepareCut(await source.read(r.first, r.count), r.clamped, source.path, opts, resamplers);
}

/** Resample, normalise, tile and chunk the samples of an already cut segment. */
function prepareCut(part: DecodedAudio, clamped: boolean, file: string, opts: PrepareOptions, resamplers: ResamplerCache): PreparedClip {
  const o = { ...DEFAULT_PREPARE, ...opts };
  if (!(Number.isInteger(o.maxChunkSamples) && o.maxChunkSamples > 0))
    throw new RangeError(`maxChunkSamples must be a positive integer, got ${o.maxChunkSamples}`);
  const y = resamplers.get(part.sampleRate, o.targetRate).process(part.samples);
  if (y.length === 0) throw audioError('no-audio-data', file, 'clip has no samples after resampling');
  let peak = 0;
  for (let i = 0; i < y.length; i++) {
    const a = Math.abs(y[i]);
    if (a > peak) peak = a;
  }
  if (o.normalize && peak > 0) for (let i = 0; i < y.length; i++) y[i] = y[i] / peak;
  const tiled = y.length < o.minSamples;
  const samples = tiled ? tile(y, o.minSamples) : y;
  const clip: PreparedClip = {
    samples,
    sampleRate: o.targetRate,
    sourceRate: part.sampleRate,
    sourceChannels: part.channels,
    sourceCodec: part.codec,
    durationSeconds: part.samples.length / part.sampleRate,
    peak,
    flags: {
      silent: peak === 0,
      tiled,
      truncated: part.truncated,
      nonFinite: part.nonFinite,
      clipped: part.clipped,
      segmentClamped: clamped,
    },
    warnings: part.warnings,
  };
  if (samples.length > o.maxChunkSamples) clip.chunks = chunkSamples(samples, o.maxChunkSamples, o.chunkMode);
  return clip;
}
