/**
 * WAV decoding on top of the chunk walker: integer PCM (8-bit unsigned; 16/24/32-bit signed, and
 * odd widths such as 12 or 20 bits in their byte containers), IEEE float 32/64, G.711 A-law and
 * mu-law, IMA and MS ADPCM (adpcm.ts), WAVE_FORMAT_EXTENSIBLE, and MPEG audio inside WAV (tags
 * 0x50/0x55, decoded by mpg123).
 * Channels are averaged into mono as the samples are converted (one pass, one output array).
 */
import { audioError } from './errors.js';
import { channelWeights, interleavedToMono, type SampleKind } from './pcm.js';
import { walkWav, type WavFormat } from './riff.js';
import { decodeMpeg } from './codecs.js';
import { decodeImaAdpcm, decodeMsAdpcm } from './adpcm.js';
import type { DecodedAudio } from './types.js';

/** Names of WAV format tags bioprobe does not decode, for the error message. */
const TAG_NAMES: Record<number, string> = {
  0x31: 'GSM 6.10', 0x40: 'G.721 ADPCM', 0x42: 'G.723.1',
  0x64: 'G.726 ADPCM', 0x160: 'Windows Media Audio', 0x161: 'Windows Media Audio', 0x1610: 'AAC', 0xff: 'AAC',
  0x2000: 'AC-3', 0x2001: 'DTS', 0x674f: 'Ogg Vorbis', 0x6750: 'Ogg Vorbis', 0xf1ac: 'FLAC',
  0xfffe: 'WAVE_FORMAT_EXTENSIBLE with a fmt chunk too short to name its sub-format',
};

export const MAX_SAMPLE_RATE = 10_000_000;

export interface WavDecodeOptions {
  /** NaN/Inf float samples: replace by 0 and count (default), or fail with `non-finite`. */
  nonFinite?: 'zero' | 'error';
  /** Take this channel (0-based) instead of the channel mean (SPEC.md's default). */
  channel?: number;
}

/** Decode a RIFF/RF64 WAVE file's bytes to mono. `file` names the file in errors. */
export async function decodeWav(bytes: Uint8Array, file: string, opts: WavDecodeOptions = {}): Promise<DecodedAudio> {
  const layout = walkWav(bytes, file);
  const fmt = layout.format;
  checkFormat(fmt, file);
  const data = bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataLength);
  const base = { sampleRate: fmt.sampleRate, container: 'wav' as const, truncated: layout.truncated, warnings: layout.warnings };

  if (fmt.tag === 0x55 || fmt.tag === 0x50) {
    const dec = await decodeMpeg(data, file, opts.channel);
    if (dec.sampleRate !== fmt.sampleRate) base.warnings.push(`header says ${fmt.sampleRate} Hz, MPEG stream is ${dec.sampleRate} Hz: used the stream's rate`);
    let samples = dec.samples;
    if (layout.factFrames && layout.factFrames < samples.length) samples = samples.slice(0, layout.factFrames);
    return { ...base, samples, sampleRate: dec.sampleRate, channels: dec.channels, codec: 'mp3', nonFinite: 0, clipped: dec.clipped, warnings: [...base.warnings, ...dec.warnings] };
  }
  if (fmt.tag === 0x11 || fmt.tag === 0x02) {
    const ima = fmt.tag === 0x11;
    const head = (ima ? 4 : 7) * fmt.channels;
    if (fmt.blockAlign <= head || (ima && (fmt.blockAlign - head) % (4 * fmt.channels) !== 0)) {
      throw audioError('bad-header', file, `WAV ${ima ? 'IMA' : 'MS'} ADPCM block align ${fmt.blockAlign} does not fit ${fmt.channels} channel(s)`);
    }
    if (data.length < head) throw audioError(layout.truncated ? 'truncated' : 'no-audio-data', file, `WAV ADPCM data holds ${data.length} bytes, less than one block header`);
    const weights = channelWeights(fmt.channels, opts.channel, file);
    let samples = ima ? decodeImaAdpcm(data, fmt.blockAlign, fmt.channels, weights) : decodeMsAdpcm(data, fmt.blockAlign, fmt.channels, fmt.extra, weights);
    if (layout.factFrames && layout.factFrames < samples.length) samples = samples.slice(0, layout.factFrames);
    return { ...base, samples, channels: fmt.channels, codec: ima ? 'ima-adpcm' : 'ms-adpcm', nonFinite: 0, clipped: 0 };
  }
  if (fmt.tag !== 1 && fmt.tag !== 3 && fmt.tag !== 6 && fmt.tag !== 7) {
    const name = TAG_NAMES[fmt.tag] ?? 'unknown codec';
    throw audioError('unsupported-codec', file, `WAV format 0x${fmt.tag.toString(16).padStart(4, '0')} (${name}) is not supported`,
      'convert to PCM WAV or FLAC, e.g. `sox in.wav -e signed -b 16 out.wav`');
  }
  const bytesPer = fmt.tag === 6 || fmt.tag === 7 ? 1 : Math.ceil(fmt.bitsPerSample / 8);
  if (fmt.tag === 3 && bytesPer !== 4 && bytesPer !== 8) {
    throw audioError('bad-header', file, `WAV float data with ${fmt.bitsPerSample} bits per sample (expected 32 or 64)`);
  }
  if ((fmt.tag === 1 && bytesPer > 4) || ((fmt.tag === 6 || fmt.tag === 7) && fmt.bitsPerSample !== 8 && fmt.bitsPerSample !== 0)) {
    throw audioError('bad-header', file, `WAV ${fmt.tag === 1 ? 'PCM' : 'G.711'} data with ${fmt.bitsPerSample} bits per sample is not supported`);
  }
  let frameBytes = fmt.blockAlign;
  const minFrame = fmt.channels * bytesPer;
  if (frameBytes < minFrame) {
    base.warnings.push(`block align ${fmt.blockAlign} is smaller than ${fmt.channels} channels x ${bytesPer} bytes: used ${minFrame}`);
    frameBytes = minFrame;
  }
  const frames = Math.floor(data.length / frameBytes);
  if (frames === 0) {
    if (data.length > 0 || layout.truncated) throw audioError('truncated', file, `WAV data holds ${data.length} bytes, less than one ${frameBytes}-byte frame`);
    throw audioError('no-audio-data', file, 'WAV data chunk is empty (0 samples)');
  }
  if (data.length % frameBytes !== 0 && !layout.truncated) base.warnings.push(`${data.length % frameBytes} bytes of a partial last frame were ignored`);
  const kind: SampleKind = fmt.tag === 6 ? 'alaw' : fmt.tag === 7 ? 'mulaw' : fmt.tag === 3 ? 'float' : bytesPer === 1 ? 'uint' : 'int';
  const weights = channelWeights(fmt.channels, opts.channel, file);
  const conv = interleavedToMono(data, { frames, frameBytes, channels: fmt.channels, bytesPer, kind, littleEndian: true, weights }, opts.nonFinite ?? 'zero', file);
  return { ...base, samples: conv.samples, channels: fmt.channels, codec: codecName(fmt.tag, bytesPer), nonFinite: conv.nonFinite, clipped: conv.clipped };
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
    throw audioError('bad-sample-rate', file, `WAV header gives sample rate ${fmt.sampleRate} Hz`, 'the header is damaged; if you know the true rate, rewrite it (e.g. `sox -r RATE`)');
  }
  if (fmt.bitsPerSample === 0 && (fmt.tag === 1 || fmt.tag === 3)) throw audioError('bad-header', file, 'WAV header says 0 bits per sample');
}
