/**
 * Recognise an audio file by its first bytes (magic numbers), never by its extension: a `.wav`
 * that holds MP3 frames, a `.WAV` in capitals, or a `.mp3` that is really FLAC all decode.
 */
import { audioError } from './errors.js';

export type Sniffed = 'wav' | 'aiff' | 'flac' | 'mp3' | 'ogg-vorbis';

function ascii(b: Uint8Array, pos: number, len: number): string {
  let s = '';
  for (let i = pos; i < Math.min(b.length, pos + len); i++) s += String.fromCharCode(b[i]);
  return s;
}

/** Size of a leading ID3v2 tag (10-byte header + syncsafe size), or 0. */
export function id3Size(b: Uint8Array): number {
  if (b.length < 10 || ascii(b, 0, 3) !== 'ID3') return 0;
  const size = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
  return 10 + size + (b[5] & 0x10 ? 10 : 0);
}

/** An MPEG audio frame header at pos: 11 sync bits, a valid version/layer, bitrate and rate index. */
export function isMpegFrame(b: Uint8Array, pos: number): boolean {
  if (pos + 4 > b.length) return false;
  if (b[pos] !== 0xff || (b[pos + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[pos + 1] >> 3) & 3,
    layer = (b[pos + 1] >> 1) & 3;
  const bitrate = b[pos + 2] >> 4,
    rate = (b[pos + 2] >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 15 && rate !== 3;
}

/** Sample rate of an MPEG frame header at pos (isMpegFrame checked): MPEG-1 44.1/48/32 kHz, MPEG-2 half, MPEG-2.5 a quarter. */
function mpegRate(b: Uint8Array, pos: number): number {
  const version = (b[pos + 1] >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  const base = [44100, 48000, 32000][(b[pos + 2] >> 2) & 3];
  return version === 3 ? base : version === 2 ? base / 2 : base / 4;
}

/**
 * The first MPEG frame within the first 64 KiB (after any ID3 tag): its sample rate and channels (1
 * for mono, else 2, as the decoder reports them). Undefined if none is found there.
 */
export function mpegFirstFrame(b: Uint8Array): { sampleRate: number; channels: 1 | 2 } | undefined {
  const end = Math.min(b.length - 4, id3Size(b) + 65536);
  for (let pos = id3Size(b); pos < end; pos++)
    if (isMpegFrame(b, pos)) return { sampleRate: mpegRate(b, pos), channels: b[pos + 3] >> 6 === 3 ? 1 : 2 };
  return undefined;
}

/** Channels of the first MPEG frame within the first 64 KiB (after any ID3 tag): 1 for mono, else 2; 0 if none found. */
export function mpegChannels(b: Uint8Array): number {
  return mpegFirstFrame(b)?.channels ?? 0;
}

/** Bytes `mpegFirstFrame` may look at: the ID3 tag and 64 KiB after it (needs the first 10 bytes to tell). */
export function mpegScanLength(b: Uint8Array): number {
  return id3Size(b) + 65536 + 4;
}

/** Mostly printable text (UTF-8/ASCII) in the first bytes: a CSV, a log, an HTML error page. */
function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  let printable = 0;
  for (let i = 0; i < n; i++) if ((b[i] >= 0x20 && b[i] < 0x7f) || b[i] === 9 || b[i] === 10 || b[i] === 13 || b[i] >= 0x80) printable++;
  return n > 0 && printable === n;
}

/** Which decoder reads these bytes; AudioError `not-audio`, `unsupported-format` or `unsupported-codec` otherwise. */
export function sniffAudio(b: Uint8Array, file: string): Sniffed {
  const head = ascii(b, 0, 4);
  if ((head === 'RIFF' || head === 'RF64' || head === 'BW64') && ascii(b, 8, 4) === 'WAVE') return 'wav';
  if (head === 'RIFF' || head === 'RF64') {
    if (b.length < 12) throw audioError('truncated', file, `file is only ${b.length} bytes: it ends inside the RIFF header`);
    throw audioError('unsupported-format', file, `RIFF file of type '${ascii(b, 8, 4)}', not WAVE`);
  }
  if (head === 'RIFX')
    throw audioError('unsupported-format', file, 'big-endian WAV (RIFX) is not supported', 'convert with `sox in.wav out.wav`');
  if (head === 'FORM' && /^AIF[FC]$/.test(ascii(b, 8, 4))) return 'aiff';
  if (ascii(b, 4, 4) === 'ftyp')
    throw audioError(
      'unsupported-format',
      file,
      'MP4/M4A (AAC) is not supported',
      'convert to WAV or FLAC, e.g. `ffmpeg -i in.m4a out.wav`',
    );
  const skip = id3Size(b);
  if (ascii(b, skip, 4) === 'fLaC') return 'flac';
  if (head === 'OggS') {
    const first = ascii(b, 28, 8);
    if (first.startsWith('\x01vorbis')) return 'ogg-vorbis';
    const codec = first.startsWith('OpusHead')
      ? 'Opus'
      : first.startsWith('\x7fFLAC')
        ? 'FLAC'
        : first.startsWith('Speex')
          ? 'Speex'
          : 'an unknown codec';
    throw audioError('unsupported-codec', file, `Ogg file holds ${codec}; only Ogg Vorbis is supported`, 'convert to WAV or FLAC');
  }
  if (skip > 0 || isMpegFrame(b, 0)) return 'mp3';
  if (b.length === 0) throw audioError('file-empty', file, 'file is empty (0 bytes)');
  if (looksLikeText(b)) {
    const first = ascii(b, 0, 40)
      .split(/[\r\n]/)[0]
      .replace(/[^\x20-\x7e]/g, '?');
    throw audioError('not-audio', file, `file is text, not audio (starts "${first}")`, 'check the path column of the dataset');
  }
  const hex = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
  throw audioError('not-audio', file, `not a recognised audio file (first bytes ${hex}); WAV, AIFF, FLAC, MP3 and Ogg Vorbis are read`);
}
