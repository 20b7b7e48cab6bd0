/**
 * AIFF and AIFF-C (Apple/EA IFF, big-endian; older archives and Raven exports use it): COMM gives
 * channels, frames, bits and an 80-bit float sample rate; SSND holds the samples after an offset.
 * AIFF-C compression types read: NONE/twos (big-endian PCM), sowt (little-endian PCM), in24/in32,
 * fl32/fl64 (float), alaw/ulaw, raw (unsigned 8-bit). Sizes that run past the file are clamped and
 * flagged as for WAV.
 */
import { audioError } from './errors.js';
import { channelWeights, interleavedToMono, type SampleKind } from './pcm.js';
import { MAX_SAMPLE_RATE, type WavDecodeOptions } from './wav.js';
import type { DecodedAudio } from './types.js';

function fourcc(b: Uint8Array, pos: number): string {
  return String.fromCharCode(b[pos], b[pos + 1], b[pos + 2], b[pos + 3]);
}

/** IEEE 754 80-bit extended (big-endian) -> number. */
export function readExtended(v: DataView, pos: number): number {
  const se = v.getUint16(pos);
  const exp = (se & 0x7fff) - 16383;
  const hi = v.getUint32(pos + 2),
    lo = v.getUint32(pos + 6);
  if ((se & 0x7fff) === 0 && hi === 0 && lo === 0) return 0;
  const x = hi * 2 ** (exp - 31) + lo * 2 ** (exp - 63);
  return se & 0x8000 ? -x : x;
}

/** How each AIFF-C compression type maps onto the shared converter. */
function sampleKind(compression: string, bits: number): { kind: SampleKind; bytesPer: number; le: boolean } | undefined {
  const bytes = Math.ceil(bits / 8);
  switch (compression) {
    case 'NONE':
    case 'twos':
      return { kind: 'int', bytesPer: bytes, le: false };
    case 'sowt':
      return { kind: 'int', bytesPer: bytes, le: true };
    case 'in24':
      return { kind: 'int', bytesPer: 3, le: false };
    case 'in32':
      return { kind: 'int', bytesPer: 4, le: false };
    case 'fl32':
    case 'FL32':
      return { kind: 'float', bytesPer: 4, le: false };
    case 'fl64':
    case 'FL64':
      return { kind: 'float', bytesPer: 8, le: false };
    case 'alaw':
    case 'ALAW':
      return { kind: 'alaw', bytesPer: 1, le: false };
    case 'ulaw':
    case 'ULAW':
      return { kind: 'mulaw', bytesPer: 1, le: false };
    case 'raw ':
      return { kind: 'uint', bytesPer: 1, le: false };
    default:
      return undefined;
  }
}

/** What an AIFF's header says and where its samples are, decided as the decoder decides. */
export interface AiffPlan {
  /** COMM's 80-bit rate rounded to an integer (a warning when that changed it). */
  sampleRate: number;
  channels: number;
  /** Frames the decoder returns: COMM's count, or what SSND holds when that is fewer or COMM says 0. */
  frames: number;
  kind: SampleKind;
  bytesPer: number;
  littleEndian: boolean;
  dataOffset: number;
  codec: string;
  truncated: boolean;
  warnings: string[];
}

/**
 * Walk an AIFF/AIFF-C file's chunks and decide how to read it. `bytes` may be only the first bytes
 * of a file of `fileLength` bytes: undefined when COMM or the start of SSND lies beyond them (read
 * more). Throws the decoder's AudioErrors.
 */
export function planAiff(bytes: Uint8Array, file: string, fileLength = bytes.length): AiffPlan | undefined {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length,
    N = fileLength;
  const aifc = fourcc(bytes, 8) === 'AIFC';
  const warnings: string[] = [];
  let comm: { channels: number; frames: number; bits: number; rate: number; compression: string } | undefined;
  let ssnd: { offset: number; length: number; cut: boolean } | undefined;
  for (let pos = 12; pos + 8 <= n; ) {
    const id = fourcc(bytes, pos);
    const size = v.getUint32(pos + 4);
    const body = pos + 8;
    if (id === 'COMM') {
      if (n < N && body + (aifc && size >= 22 ? 22 : 18) > n) return undefined;
      if (body + 18 > n) throw audioError('truncated', file, 'AIFF COMM chunk is cut off by the end of the file');
      const compression = aifc && size >= 22 && body + 22 <= n ? fourcc(bytes, body + 18) : 'NONE';
      comm = {
        channels: v.getInt16(body),
        frames: v.getUint32(body + 2),
        bits: v.getInt16(body + 6),
        rate: readExtended(v, body + 8),
        compression,
      };
    } else if (id === 'SSND') {
      if (body + 8 > n && n < N) return undefined;
      if (body + 8 <= n) {
        const start = body + 8 + v.getUint32(body);
        ssnd = { offset: start, length: Math.max(0, Math.min(size - 8 - v.getUint32(body), N - start)), cut: body + size > N };
      }
    }
    pos = body + size + (size % 2);
  }
  if ((!comm || !ssnd) && n < N) return undefined;
  if (!comm) throw audioError(ssnd ? 'bad-header' : 'truncated', file, 'AIFF file has no COMM chunk');
  if (!ssnd) throw audioError('no-audio-data', file, 'AIFF file has no SSND chunk');
  if (comm.channels <= 0) throw audioError('bad-header', file, `AIFF header says ${comm.channels} channels`);
  if (!(comm.rate > 0) || comm.rate > MAX_SAMPLE_RATE)
    throw audioError('bad-sample-rate', file, `AIFF header gives sample rate ${comm.rate} Hz`);
  const rate = Math.round(comm.rate);
  if (rate !== comm.rate) warnings.push(`sample rate ${comm.rate} Hz rounded to ${rate} Hz`);
  const k = sampleKind(comm.compression, comm.bits);
  if (!k)
    throw audioError(
      'unsupported-codec',
      file,
      `AIFF-C compression '${comm.compression}' is not supported`,
      'convert to WAV or FLAC, e.g. `sox in.aifc out.wav`',
    );
  if (k.kind === 'int' && (k.bytesPer < 1 || k.bytesPer > 4))
    throw audioError('bad-header', file, `AIFF with ${comm.bits} bits per sample is not supported`);
  const frameBytes = k.bytesPer * comm.channels;
  let frames = Math.floor(ssnd.length / frameBytes);
  const truncated = comm.frames > frames || ssnd.cut;
  if (comm.frames > frames) warnings.push(`COMM promises ${comm.frames} frames but the file holds ${frames}: decoded what exists`);
  else if (comm.frames > 0) frames = comm.frames;
  else if (frames > 0) warnings.push('COMM gives 0 frames: took the SSND data');
  if (frames === 0) throw audioError(ssnd.length > 0 ? 'truncated' : 'no-audio-data', file, 'AIFF holds no whole sample frame');
  const codec =
    k.kind === 'float'
      ? `float${k.bytesPer * 8}`
      : k.kind === 'alaw' || k.kind === 'mulaw'
        ? k.kind
        : k.kind === 'uint'
          ? 'pcm-u8'
          : `pcm-s${k.bytesPer * 8}`;
  return {
    sampleRate: rate,
    channels: comm.channels,
    frames,
    kind: k.kind,
    bytesPer: k.bytesPer,
    littleEndian: k.le,
    dataOffset: ssnd.offset,
    codec,
    truncated,
    warnings,
  };
}

/** Decode an AIFF/AIFF-C file's bytes to mono. */
export function decodeAiff(bytes: Uint8Array, file: string, opts: WavDecodeOptions = {}): DecodedAudio {
  const p = planAiff(bytes, file)!;
  const frameBytes = p.bytesPer * p.channels;
  const data = bytes.subarray(p.dataOffset, p.dataOffset + p.frames * frameBytes);
  const weights = channelWeights(p.channels, opts.channel, file);
  const conv = interleavedToMono(
    data,
    { frames: p.frames, frameBytes, channels: p.channels, bytesPer: p.bytesPer, kind: p.kind, littleEndian: p.littleEndian, weights },
    opts.nonFinite ?? 'zero',
    file,
  );
  return {
    samples: conv.samples,
    sampleRate: p.sampleRate,
    channels: p.channels,
    container: 'aiff',
    codec: p.codec,
    truncated: p.truncated,
    nonFinite: conv.nonFinite,
    clipped: conv.clipped,
    warnings: p.warnings,
  };
}
