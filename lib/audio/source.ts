/**
 * Where a clip's samples come from. Most files are decoded whole, once, and served from memory.
 * Large uncompressed WAV files (over `randomAccessBytes`, 256 MiB by default: hours of PAM audio)
 * are instead read by position, one segment at a time: memory stays bounded by the segment, and a
 * file larger than a Node buffer still works. Both give the same samples (test/audio/source.test.ts).
 */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { AudioError } from '../util/errors.js';
import { decodeAudio, fileError, type DecodeOptions } from './decode.js';
import { channelWeights, interleavedToMono } from './pcm.js';
import { walkWavPrefix, type WavLayout } from './riff.js';
import { sniffAudio } from './sniff.js';
import { planWav, type WavPlan } from './wav.js';
import type { DecodedAudio } from './types.js';

export interface SourceOptions extends DecodeOptions {
  /** Uncompressed WAV files larger than this are read by position instead of whole (default 256 MiB). */
  randomAccessBytes?: number;
}

/** A recording that can hand out mono ranges of itself. */
export interface AudioSource {
  readonly path: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** Mono frames in the recording. */
  readonly frames: number;
  /** Decoded bytes held in memory (what the clip cache budgets). */
  readonly bytes: number;
  /** Frames [first, first + count) as a DecodedAudio (flags and counts as described by `DecodedAudio`). */
  read(first: number, count: number): Promise<DecodedAudio>;
  close(): Promise<void>;
}

/** A decoded recording in memory; ranges are views. Counts (nonFinite, clipped) are the whole file's. */
export function memorySource(path: string, audio: DecodedAudio): AudioSource {
  return {
    path,
    sampleRate: audio.sampleRate,
    channels: audio.channels,
    frames: audio.samples.length,
    bytes: audio.samples.byteLength,
    read: async (first, count) => ({ ...audio, samples: audio.samples.subarray(first, first + count) }),
    close: async () => {},
  };
}

const PREFIX = 1 << 20;

type PcmPlan = Extract<WavPlan, { type: 'pcm' }>;

/** An uncompressed WAV on disk, read by position; counts are per range read. */
class PcmWavSource implements AudioSource {
  readonly sampleRate: number;
  readonly channels: number;
  readonly frames: number;
  readonly bytes = 0;
  private readonly weights: Float64Array;
  private readonly warnings: string[];

  constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    private readonly layout: WavLayout,
    private readonly plan: PcmPlan,
    private readonly opts: DecodeOptions,
  ) {
    this.sampleRate = layout.format.sampleRate;
    this.channels = layout.format.channels;
    this.frames = plan.frames;
    this.weights = channelWeights(this.channels, opts.channel, path);
    this.warnings = [...layout.warnings, ...plan.warnings];
  }

  async read(first: number, count: number): Promise<DecodedAudio> {
    const n = Math.max(0, Math.min(count, this.frames - first));
    const { frameBytes, bytesPer, kind, codec } = this.plan;
    const buf = new Uint8Array(n * frameBytes);
    try {
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await this.fh.read(buf, got, buf.length - got, this.layout.dataOffset + first * frameBytes + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const frames = Math.floor(got / frameBytes);
      const conv = interleavedToMono(
        buf,
        { frames, frameBytes, channels: this.channels, bytesPer, kind, littleEndian: true, weights: this.weights },
        this.opts.nonFinite ?? 'zero',
        this.path,
      );
      return {
        samples: conv.samples,
        sampleRate: this.sampleRate,
        channels: this.channels,
        container: 'wav',
        codec,
        truncated: this.layout.truncated,
        nonFinite: conv.nonFinite,
        clipped: conv.clipped,
        warnings: this.warnings,
      };
    } catch (err) {
      if (err instanceof AudioError) throw err;
      throw fileError(err, this.path);
    }
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

/** Open `path` as a source: by position for a large plain WAV, otherwise decoded whole. Throws AudioError. */
export async function openSource(path: string, opts: SourceOptions = {}): Promise<AudioSource> {
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    size = st.size;
  } catch (err) {
    throw fileError(err, path);
  }
  if (size > (opts.randomAccessBytes ?? 256 * 2 ** 20)) {
    const src = await openPcmWav(path, size, opts);
    if (src) return src;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw fileError(err, path);
  }
  return memorySource(path, await decodeAudio(bytes, path, opts));
}

/**
 * A PcmWavSource when the file's first MiB shows a plain PCM/float/G.711 WAV (planWav, the decoder's
 * own checks and errors); undefined otherwise (decoded whole: compressed, or fmt/data further in).
 */
async function openPcmWav(path: string, size: number, opts: DecodeOptions): Promise<AudioSource | undefined> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, 'r');
    const prefix = new Uint8Array(Math.min(PREFIX, size));
    const { bytesRead } = await fh.read(prefix, 0, prefix.length, 0);
    const head = prefix.subarray(0, bytesRead);
    const layout = sniffAudio(head, path) === 'wav' ? walkWavPrefix(head, path, size) : undefined;
    const plan = layout && planWav(layout, path);
    if (!layout || plan?.type !== 'pcm') {
      await fh.close();
      return undefined;
    }
    return new PcmWavSource(path, fh, layout, plan, opts);
  } catch (err) {
    await fh?.close().catch(() => {});
    if (err instanceof AudioError) throw err;
    throw fileError(err, path);
  }
}
