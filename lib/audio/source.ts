/**
 * Where a clip's samples come from. Most files are decoded whole, once, and served from memory.
 * Large uncompressed WAV files (over `randomAccessBytes`, 256 MiB by default: hours of PAM audio)
 * are instead read by position, one segment at a time: memory stays bounded by the segment, and a
 * file larger than a Node buffer still works. Both give the same samples (test/audio/source.test.ts).
 */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { AudioError } from '../util/errors.js';
import { audioError } from './errors.js';
import { decodeAudio, fileError, type DecodeOptions } from './decode.js';
import { channelWeights, interleavedToMono, type SampleKind } from './pcm.js';
import { walkWavPrefix, type WavLayout } from './riff.js';
import { sniffAudio } from './sniff.js';
import { MAX_SAMPLE_RATE } from './wav.js';
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

/** An uncompressed WAV on disk, read by position; counts are per range read. */
class PcmWavSource implements AudioSource {
  readonly sampleRate: number;
  readonly channels: number;
  readonly frames: number;
  readonly bytes = 0;
  private readonly frameBytes: number;
  private readonly bytesPer: number;
  private readonly kind: SampleKind;
  private readonly weights: Float64Array;

  constructor(readonly path: string, private readonly fh: FileHandle, private readonly layout: WavLayout, private readonly opts: DecodeOptions) {
    const f = layout.format;
    this.sampleRate = f.sampleRate;
    this.channels = f.channels;
    this.kind = f.tag === 6 ? 'alaw' : f.tag === 7 ? 'mulaw' : f.tag === 3 ? 'float' : f.bitsPerSample <= 8 ? 'uint' : 'int';
    this.bytesPer = f.tag === 6 || f.tag === 7 ? 1 : Math.ceil(f.bitsPerSample / 8);
    this.frameBytes = Math.max(f.blockAlign, f.channels * this.bytesPer);
    this.frames = Math.floor(layout.dataLength / this.frameBytes);
    this.weights = channelWeights(f.channels, opts.channel, path);
  }

  async read(first: number, count: number): Promise<DecodedAudio> {
    const n = Math.max(0, Math.min(count, this.frames - first));
    const buf = new Uint8Array(n * this.frameBytes);
    try {
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await this.fh.read(buf, got, buf.length - got, this.layout.dataOffset + first * this.frameBytes + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const frames = Math.floor(got / this.frameBytes);
      const conv = interleavedToMono(buf, { frames, frameBytes: this.frameBytes, channels: this.channels, bytesPer: this.bytesPer, kind: this.kind, littleEndian: true, weights: this.weights }, this.opts.nonFinite ?? 'zero', this.path);
      const codec = this.kind === 'float' ? `float${this.bytesPer * 8}` : this.kind === 'int' ? `pcm-s${this.bytesPer * 8}` : this.kind === 'uint' ? 'pcm-u8' : this.kind;
      return { samples: conv.samples, sampleRate: this.sampleRate, channels: this.channels, container: 'wav', codec, truncated: this.layout.truncated, nonFinite: conv.nonFinite, clipped: conv.clipped, warnings: this.layout.warnings };
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

/** A PcmWavSource when the file's first MiB shows a plain PCM/float/G.711 WAV; undefined otherwise. */
async function openPcmWav(path: string, size: number, opts: DecodeOptions): Promise<AudioSource | undefined> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, 'r');
    const prefix = new Uint8Array(Math.min(PREFIX, size));
    const { bytesRead } = await fh.read(prefix, 0, prefix.length, 0);
    const head = prefix.subarray(0, bytesRead);
    const layout = sniffAudio(head, path) === 'wav' ? walkWavPrefix(head, path, size) : undefined;
    const f = layout?.format;
    const plain = f && [1, 3, 6, 7].includes(f.tag) && f.channels > 0 && f.sampleRate > 0 && f.sampleRate <= MAX_SAMPLE_RATE &&
      (f.tag === 1 ? f.bitsPerSample >= 1 && f.bitsPerSample <= 32 : f.tag === 3 ? f.bitsPerSample === 32 || f.bitsPerSample === 64 : f.bitsPerSample === 8 || f.bitsPerSample === 0);
    if (!layout || !plain) {
      await fh.close();
      return undefined; // decoded whole, with that path's precise errors
    }
    const src = new PcmWavSource(path, fh, layout, opts);
    if (src.frames === 0) throw audioError('no-audio-data', path, 'WAV data holds no whole sample frame');
    return src;
  } catch (err) {
    await fh?.close().catch(() => {});
    if (err instanceof AudioError) throw err;
    throw fileError(err, path);
  }
}
