/**
 * WAV decoding on top of the chunk walker: integer PCM (8-bit unsigned; 16/24/32-bit signed, and
 * odd widths such as 12 or 20 bits in their byte containers), IEEE float 32/64, G.711 A-law and
 * mu-law, IMA and MS ADPCM (adpcm.ts), WAVE_FORMAT_EXTENSIBLE, and MPEG audio inside WAV (tags
 * 0x50/0x55, decoded by mpg123).
 * Channels are averaged into mono as the samples are converted (one pass, one output array).
 */
import { audioError } from './errors.js';
import { channelWeights, interleavedToMono, type SampleKind } from './pcm.js';
import { walkWav, type WavFormat, type WavLayout } from './riff.js';
import { decodeMpeg } from './codecs.js';
import { keepMpeg, libsndfileMpegFrames } from './mpegLength.js';
import { decodeImaAdpcm, decodeMsAdpcm, imaAdpcmFrames, msAdpcmFrames } from './adpcm.js';
import type { DecodedAudio } from './types.js';

/** Names of WAV format tags bioprobe does not decode, for the error message. */
const TAG_NAMES: Record<number, string> = {
  0x31: 'GSM 6.10',
  0x40: 'G.721 ADPCM',
  0x42: 'G.723.1',
  0x64: 'G.726 ADPCM',
  0x160: 'Windows Media Audio',
  0x161: 'Windows Media Audio',
  0x1610: 'AAC',
  0xff: 'AAC',
  0x2000: 'AC-3',
  0x2001: 'DTS',
  0x674f: 'Ogg Vorbis',
  0x6750: 'Ogg Vorbis',
  0xf1ac: 'FLAC',
  0xfffe: 'WAVE_FORMAT_EXTENSIBLE with a fmt chunk too short to name its sub-format',
};

export const MAX_SAMPLE_RATE = 10_000_000;

export interface WavDecodeOptions {
  /** NaN/Inf float samples: replace by 0 and count (default), or fail with `non-finite`. */
  nonFinite?: 'zero' | 'error';
  /** Take this channel (0-based) instead of the channel mean (SPEC.md's default). */
  channel?: number;
  /**
   * How many samples of an MPEG stream (an .mp3 file, or MP3 inside a WAV) are kept: `librosa` (default)
   * as librosa.load reads them through libsndfile (mpegLength.ts: libmpg123's length estimate when the
   * stream has no Xing/Info frame, the WAV `fact` chunk ignored); `stream`: every decoded sample, trimmed
   * to a WAV's `fact` chunk when it is shorter.
   */
  mpegLength?: 'librosa' | 'stream';
}

/**
 * How a WAV's samples are read, decided from its layout alone, with the decoder's checks and errors:
 * one decision shared by decodeWav, the by-position source (source.ts) and readAudioHeader
 * (header.ts), so the three agree on every file.
 */
export type WavPlan =
  | { type: 'mpeg' }
  | { type: 'adpcm'; ima: boolean; codec: 'ima-adpcm' | 'ms-adpcm'; frames: number }
  | { type: 'pcm'; kind: SampleKind; bytesPer: number; frameBytes: number; frames: number; codec: string; warnings: string[] };

/** The plan for a walked WAV (`layout.dataLength` is all it needs of the data). Throws the decoder's AudioErrors. */
export function planWav(layout: WavLayout, file: string): WavPlan {
  const fmt = layout.format;
  checkFormat(fmt, file);
  const n = layout.dataLength;
  if (fmt.tag === 0x55 || fmt.tag === 0x50) return { type: 'mpeg' };
  if (fmt.tag === 0x11 || fmt.tag === 0x02) {
    const ima = fmt.tag === 0x11;
    const head = (ima ? 4 : 7) * fmt.channels;
    if (fmt.blockAlign <= head || (ima && (fmt.blockAlign - head) % (4 * fmt.channels) !== 0)) {
      throw audioError(
        'bad-header',
        file,
        `WAV ${ima ? 'IMA' : 'MS'} ADPCM block align ${fmt.blockAlign} does not fit ${fmt.channels} channel(s)`,
      );
    }
    if (n < head)
      throw audioError(
        layout.truncated ? 'truncated' : 'no-audio-data',
        file,
        `WAV ADPCM data holds ${n} bytes, less than one block header`,
      );
    const decoded = ima ? imaAdpcmFrames(n, fmt.blockAlign, fmt.channels) : msAdpcmFrames(n, fmt.blockAlign, fmt.channels);
    // The fact chunk trims the last block's padding.
    const frames = layout.factFrames && layout.factFrames < decoded ? layout.factFrames : decoded;
    return { type: 'adpcm', ima, codec: ima ? 'ima-adpcm' : 'ms-adpcm', frames };
  }
  if (fmt.tag !== 1 && fmt.tag !== 3 && fmt.tag !== 6 && fmt.tag !== 7) {
    const name = TAG_NAMES[fmt.tag] ?? 'unknown codec';
    throw audioError(
      'unsupported-codec',
      file,
      `WAV format 0x${fmt.tag.toString(16).padStart(4, '0')} (${name}) is not supported`,
      'convert to PCM WAV or FLAC, e.g. `sox in.wav -e signed -b 16 out.wav`',
    );
  }
  const bytesPer = fmt.tag === 6 || fmt.tag === 7 ? 1 : Math.ceil(fmt.bitsPerSample / 8);
  if (fmt.tag === 3 && bytesPer !== 4 && bytesPer !== 8) {
    throw audioError('bad-header', file, `WAV float data with ${fmt.bitsPerSample} bits per sample (expected 32 or 64)`);
  }
  if ((fmt.tag === 1 && bytesPer > 4) || ((fmt.tag === 6 || fmt.tag === 7) && fmt.bitsPerSample !== 8 && fmt.bitsPerSample !== 0)) {
    throw audioError(
      'bad-header',
      file,
      `WAV ${fmt.tag === 1 ? 'PCM' : 'G.711'} data with ${fmt.bitsPerSample} bits per sample is not supported`,
    );
  }
  const warnings: string[] = [];
  let frameBytes = fmt.blockAlign;
  const minFrame = fmt.channels * bytesPer;
  if (frameBytes < minFrame) {
    warnings.push(`block align ${fmt.blockAlign} is smaller than ${fmt.channels} channels x ${bytesPer} bytes: used ${minFrame}`);
    frameBytes = minFrame;
  }
  const frames = Math.floor(n / frameBytes);
  if (frames === 0) {
    if (n > 0 || layout.truncated) throw audioError('truncated', file, `WAV data holds ${n} bytes, less than one ${frameBytes}-byte frame`);
    throw audioError('no-audio-data', file, 'WAV data chunk is empty (0 samples)');
  }
  if (n % frameBytes !== 0 && !layout.truncated) warnings.push(`${n % frameBytes} bytes of a partial last frame were ignored`);
  const kind: SampleKind = fmt.tag === 6 ? 'alaw' : fmt.tag === 7 ? 'mulaw' : fmt.tag === 3 ? 'float' : bytesPer === 1 ? 'uint' : 'int';
  return { type: 'pcm', kind, bytesPer, frameBytes, frames, codec: codecName(fmt.tag, bytesPer), warnings };
}

/** Decode a RIFF/RF64 WAVE file's bytes to mono. `file` names the file in errors. */
export async function decodeWav(bytes: Uint8Array, file: string, opts: WavDecodeOptions = {}): Promise<DecodedAudio> {
  const layout = walkWav(bytes, file);
  const fmt = layout.format;
  const plan = planWav(layout, file);
  const data = bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataLength);
  const base = { sampleRate: fmt.sampleRate, container: 'wav' as const, truncated: layout.truncated };

  if (plan.type === 'mpeg') {
    const dec = await decodeMpeg(data, file, opts.channel);
    const warnings = [...layout.warnings];
    if (dec.sampleRate !== fmt.sampleRate)
      warnings.push(`header says ${fmt.sampleRate} Hz, MPEG stream is ${dec.sampleRate} Hz: used the stream's rate`);
    const fact = layout.factFrames || undefined;
    // libsndfile reads only format 0x55 (librosa.load fails on 0x50): 0x50 keeps the whole stream.
    const samples =
      opts.mpegLength === 'stream' || fmt.tag === 0x50
        ? keepMpeg(dec.samples, fact, warnings, 'by its fact chunk')
        : keepMpeg(
            dec.samples,
            libsndfileMpegFrames(bytes, layout.dataOffset),
            warnings,
            `as librosa reads it (libsndfile: libmpg123's length estimate from the first frame${fact ? `; the fact chunk says ${fact}` : ''})`,
          );
    return {
      ...base,
      samples,
      sampleRate: dec.sampleRate,
      channels: dec.channels,
      codec: 'mp3',
      nonFinite: 0,
      clipped: dec.clipped,
      warnings: [...warnings, ...dec.warnings],
    };
  }
  const weights = channelWeights(fmt.channels, opts.channel, file);
  if (plan.type === 'adpcm') {
    const samples = plan.ima
      ? decodeImaAdpcm(data, fmt.blockAlign, fmt.channels, weights)
      : decodeMsAdpcm(data, fmt.blockAlign, fmt.channels, fmt.extra, weights);
    return {
      ...base,
      samples: samples.length > plan.frames ? samples.slice(0, plan.frames) : samples,
      channels: fmt.channels,
      codec: plan.codec,
      nonFinite: 0,
      clipped: 0,
      warnings: layout.warnings,
    };
  }
  const conv = interleavedToMono(
    data,
    {
      frames: plan.frames,
      frameBytes: plan.frameBytes,
      channels: fmt.channels,
      bytesPer: plan.bytesPer,
      kind: plan.kind,
      littleEndian: true,
      weights,
    },
    opts.nonFinite ?? 'zero',
    file,
  );
  return {
    ...base,
    samples: conv.samples,
    channels: fmt.channels,
    codec: plan.codec,
    nonFinite: conv.nonFinite,
    clipped: conv.clipped,
    warnings: [...layout.warnings, ...plan.warnings],
  };
}

function codecName(tag: number, bytesPer: number): string {
  if (tag === 6) return 'alaw';
  if (tag === 7) return 'mulaw';
  if (tag === 3) return `float${bytesPer * 8}`;
  return bytesPer === 1 ? 'pcm-u8' : `pcm-s${bytesPer * 8}`;
}

function checkFormat(fmt: WavFormat, file: string): void {
  if (fmt.channels === 0) throw audioError('bad-header', file, 'WAV header says 0 channels');
  if (fmt.sampleRate === 0 || fmt.sampleRate > MAX_SAMPLE_RATE) {
    throw audioError(
      'bad-sample-rate',
      file,
      `WAV header gives sample rate ${fmt.sampleRate} Hz`,
      'the header is damaged; if you know the true rate, rewrite it (e.g. `sox -r RATE`)',
    );
  }
  if (fmt.bitsPerSample === 0 && (fmt.tag === 1 || fmt.tag === 3))
    throw audioError('bad-header', file, 'WAV header says 0 bits per sample');
}
