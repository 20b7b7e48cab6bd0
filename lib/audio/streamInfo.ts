/**
 * What FLAC and Ogg Vorbis streams state about themselves before any audio: FLAC's STREAMINFO block
 * (rate, channels, total samples) and Vorbis's identification header (rate, channels) plus the
 * granule position of the stream's last page (its length in samples). The decoders (codecs.ts) do
 * not need these; readAudioHeader (header.ts) does, to tell a file's length without decoding it.
 */
import { audioError } from './errors.js';
import { id3Size } from './sniff.js';

export interface StreamInfo {
  sampleRate: number;
  channels: number;
  /** Samples per channel the stream states; undefined when it does not say. */
  frames?: number;
}

/** Bytes from the start of a FLAC file that `flacStreamInfo` reads (any ID3 tag, 'fLaC', the 4-byte block header, the 34-byte STREAMINFO). */
export function flacInfoLength(b: Uint8Array): number {
  return id3Size(b) + 42;
}

/** FLAC's STREAMINFO, which the format requires as the first metadata block. Throws AudioError `bad-header` / `bad-sample-rate`. */
export function flacStreamInfo(b: Uint8Array, file: string): StreamInfo {
  const at = id3Size(b);
  if (b.length < at + 42 || (b[at + 4] & 0x7f) !== 0)
    throw audioError('bad-header', file, 'FLAC file does not start with a STREAMINFO block');
  // STREAMINFO: min/max block (2+2), min/max frame (3+3), then 20-bit rate, 3-bit channels-1, 5-bit bits-1, 36-bit total samples.
  const s = at + 8 + 10;
  const sampleRate = (b[s] << 12) | (b[s + 1] << 4) | (b[s + 2] >> 4);
  const channels = ((b[s + 2] >> 1) & 7) + 1;
  const total = (b[s + 3] & 0x0f) * 2 ** 32 + ((b[s + 4] << 24) >>> 0) + (b[s + 5] << 16) + (b[s + 6] << 8) + b[s + 7];
  if (sampleRate === 0) throw audioError('bad-sample-rate', file, 'FLAC STREAMINFO gives sample rate 0 Hz');
  return { sampleRate, channels, frames: total > 0 ? total : undefined };
}

const u32le = (b: Uint8Array, p: number) => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;

/** An Ogg page header at p: capture pattern 'OggS' and stream structure version 0. */
function isPage(b: Uint8Array, p: number): boolean {
  return b[p] === 0x4f && b[p + 1] === 0x67 && b[p + 2] === 0x67 && b[p + 3] === 0x53 && b[p + 4] === 0;
}

/** Bytes from the start of an Ogg file that `vorbisIdHeader` reads (first page header, segment table, 16 bytes of the first packet). */
export function vorbisIdLength(b: Uint8Array): number {
  return b.length > 26 ? 27 + b[26] + 16 : 27;
}

/** The Vorbis identification header on the first page (sniffAudio has said 'ogg-vorbis'), and the stream's serial number. */
export function vorbisIdHeader(b: Uint8Array, file: string): { sampleRate: number; channels: number; serial: number } {
  const body = vorbisIdLength(b) - 16;
  if (b.length < body + 16) throw audioError('truncated', file, 'Ogg file ends inside its first page');
  const channels = b[body + 11];
  const sampleRate = u32le(b, body + 12);
  if (channels === 0) throw audioError('bad-header', file, 'Vorbis header says 0 channels');
  if (sampleRate === 0) throw audioError('bad-sample-rate', file, 'Vorbis header gives sample rate 0 Hz');
  return { sampleRate, channels, serial: u32le(b, 14) };
}

/** Bytes at the end of an Ogg file that hold its last page header (a page is at most 65,307 bytes). */
export const OGG_TAIL = 65536;

/**
 * Granule position (samples per channel) of the last page of stream `serial` in `tail` (the file's
 * last bytes) that states one; undefined when none does.
 */
export function oggLastGranule(tail: Uint8Array, serial: number): number | undefined {
  for (let p = tail.length - 27; p >= 0; p--) {
    if (!isPage(tail, p) || u32le(tail, p + 14) !== serial) continue;
    const lo = u32le(tail, p + 6),
      hi = u32le(tail, p + 10);
    if (lo === 0xffffffff && hi === 0xffffffff) continue; // -1: no packet ends on this page
    return hi * 2 ** 32 + lo;
  }
  return undefined;
}
