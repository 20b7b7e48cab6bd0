/**
 * How long librosa.load says an MPEG stream is. librosa reads through soundfile -> libsndfile (1.2.2 in
 * the soundfile 0.14 wheel, with libmpg123 1.32.3), which takes a stream's length from `mpg123_length`
 * right after opening it and never from a WAV's `fact` chunk (wav.c stores it, then mpeg_decode.c
 * overwrites it). Without a Xing/Info frame that length is libmpg123's estimate from the first frame:
 *
 *     trunc(file bytes / first frame bytes x samples per frame)
 *
 * with the file's bytes counted whole (RIFF header, other chunks and any ID3v2 tag included; a trailing
 * 128-byte ID3v1 `TAG` left out) and the first frame's bytes from its header (padding bit included).
 * soundfile then reads that many frames, or every frame the decoder gives when the stream ends first
 * (encoder delay and padding kept, the `fact` chunk ignored). With a Xing/Info frame that states the
 * frame count, the length is exact (gapless) and equals what the decoder gives.
 * docs/AUDIO.md "MP3 inside WAV" has the measurements; test/audio/mp3wav.test.ts checks against librosa.
 */
import { id3Size, isMpegFrame } from './sniff.js';

/** kbit/s by [lsf][layer - 1][bitrate index] (ISO 11172-3 / 13818-3), as libmpg123's tabsel_123. */
const BITRATES = [
  [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
];

export interface MpegFrameHeader {
  /** Bytes of the whole frame, header included (libmpg123's framesize + 4). */
  bytes: number;
  /** Samples per channel the frame decodes to: 384 (layer I), 1152 (layer II, MPEG-1 layer III), 576 (MPEG-2/2.5 layer III). */
  samples: number;
  layer: 1 | 2 | 3;
  lsf: boolean;
  mono: boolean;
}

/** The frame header at pos (isMpegFrame), with libmpg123's frame size; undefined for free-format frames (bitrate index 0). */
export function mpegFrameHeader(b: Uint8Array, pos: number): MpegFrameHeader | undefined {
  if (!isMpegFrame(b, pos)) return undefined;
  const version = (b[pos + 1] >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  const layer = (4 - ((b[pos + 1] >> 1) & 3)) as 1 | 2 | 3;
  const index = b[pos + 2] >> 4;
  if (index === 0) return undefined;
  const lsf = version !== 3 ? 1 : 0;
  const rate = [44100, 48000, 32000][(b[pos + 2] >> 2) & 3] / (version === 3 ? 1 : version === 2 ? 2 : 4);
  const padding = (b[pos + 2] >> 1) & 1;
  const kbps = BITRATES[lsf][layer - 1][index];
  // libmpg123 parse.c decode_header, in its integer arithmetic.
  const bytes =
    layer === 1
      ? (Math.floor((kbps * 12000) / rate) + padding) * 4
      : layer === 2
        ? Math.floor((kbps * 144000) / rate) + padding
        : Math.floor((kbps * 144000) / (rate * (lsf ? 2 : 1))) + padding;
  const samples = layer === 1 ? 384 : layer === 3 && lsf ? 576 : 1152;
  return { bytes, samples, layer, lsf: lsf === 1, mono: b[pos + 3] >> 6 === 3 };
}

/** 'Xing'/'Info' in a layer III frame where libmpg123 looks for it (after zeroed side info), and whether it states the frame count. */
function xingTag(b: Uint8Array, pos: number, h: MpegFrameHeader): { frames: boolean } | undefined {
  if (h.layer !== 3) return undefined;
  const body = pos + 4;
  const offset = h.mono ? (h.lsf ? 9 : 17) : h.lsf ? 17 : 32;
  if (h.bytes - 4 < offset + 8 || body + offset + 8 > b.length) return undefined;
  for (let i = 2; i < offset; i++) if (b[body + i] !== 0) return undefined;
  const tag = String.fromCharCode(...b.subarray(body + offset, body + offset + 4));
  if (tag !== 'Xing' && tag !== 'Info') return undefined;
  return { frames: (b[body + offset + 7] & 1) === 1 };
}

/**
 * The first audio frame at or after `from` as libmpg123 settles on it: a valid header followed by a
 * valid header one frame later (its read-ahead check), and past a Xing/Info frame. Undefined when none
 * is found within 64 KiB.
 */
function firstAudioFrame(b: Uint8Array, from: number): { pos: number; header: MpegFrameHeader; exactLength: boolean } | undefined {
  const end = Math.min(b.length - 4, from + 65536);
  for (let pos = from; pos < end; pos++) {
    const h = mpegFrameHeader(b, pos);
    if (!h || (pos + h.bytes + 4 <= b.length && !isMpegFrame(b, pos + h.bytes))) continue;
    const tag = xingTag(b, pos, h);
    if (!tag) return { pos, header: h, exactLength: false };
    if (tag.frames) return { pos, header: h, exactLength: true };
    const next = mpegFrameHeader(b, pos + h.bytes);
    return next ? { pos: pos + h.bytes, header: next, exactLength: false } : undefined;
  }
  return undefined;
}

/**
 * The number of frames libsndfile reports for a file whose MPEG stream starts at or after `streamStart`
 * (a WAV's data chunk, or 0 for an .mp3 file: an ID3v2 tag is skipped): libmpg123's estimate, or
 * undefined when the stream states its length (Xing/Info frame count: the decoder's count is exact) or
 * libsndfile would have to scan (free format, no frame found).
 */
export function libsndfileMpegFrames(file: Uint8Array, streamStart: number): number | undefined {
  const first = firstAudioFrame(file, streamStart === 0 ? id3Size(file) : streamStart);
  if (!first || first.exactLength) return undefined;
  const tail =
    file.length >= 128 && file[file.length - 128] === 0x54 && file[file.length - 127] === 0x41 && file[file.length - 126] === 0x47;
  const length = file.length - (tail ? 128 : 0);
  // libmpg123 libmpg123.c mpg123_length: (int64_t)((double)filelen / bpf * spf).
  return Math.trunc((length / first.header.bytes) * first.header.samples);
}

/** The first `keep` decoded samples when fewer than decoded (a warning says why), else all of them. */
export function keepMpeg(samples: Float32Array, keep: number | undefined, warnings: string[], why: string): Float32Array {
  if (keep === undefined || keep >= samples.length) return samples;
  warnings.push(`MPEG stream cut to ${keep} of its ${samples.length} decoded samples ${why}`);
  return samples.slice(0, keep);
}
