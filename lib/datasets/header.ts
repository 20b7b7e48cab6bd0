/**
 * An audio file's sample rate, channels and length read from its header alone, without decoding:
 * WAV (RIFF chunks walked: fmt, fact, data; any order, odd sizes padded), FLAC (STREAMINFO) and
 * Ogg Vorbis/Opus (identification header + last page's granule position). Used by `datasets stats`.
 * MP3 files have no exact length in a header: they come back with `frames` undefined and a reason.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AudioError } from '../util/errors.js';

export interface AudioHeader {
  container: 'wav' | 'flac' | 'ogg' | 'mp3';
  /** e.g. 'pcm16', 'pcm8', 'float32', 'alaw', 'mulaw', 'mp3', 'flac', 'vorbis', 'opus'. */
  codec: string;
  sampleRate: number;
  channels: number;
  /** Length in sample frames; undefined when the header cannot tell (see `note`). */
  frames?: number;
  /** Caveats, e.g. a data chunk longer than the file (clamped). */
  note?: string;
}

const WAV_CODECS: Record<number, string> = { 1: 'pcm', 2: 'msadpcm', 3: 'float', 6: 'alaw', 7: 'mulaw', 0x11: 'imaadpcm', 0x50: 'mpeg', 0x55: 'mp3' };

/** Read `len` bytes at `pos` (fewer at end of file). */
function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  const n = readSync(fd, b, 0, len, pos);
  return b.subarray(0, n);
}

/** Parse the header of `path`; throws AudioError (naming the file) when it is not a readable audio header. */
export function readAudioHeader(path: string): AudioHeader {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AudioError(code === 'ENOENT' ? 'missing' : 'unreadable', code === 'ENOENT' ? 'file not found' : `cannot open (${code})`, { file: path, cause: err });
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) throw new AudioError('empty', 'empty file', { file: path });
    const head = readAt(fd, 0, 64);
    const magic = head.subarray(0, 4).toString('latin1');
    if (magic === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WAVE') return wavHeader(fd, size, path);
    if (magic === 'fLaC') return flacHeader(head, path);
    if (magic === 'OggS') return oggHeader(fd, size, head, path);
    if (magic.startsWith('ID3') || (head[0] === 0xff && (head[1] & 0xe0) === 0xe0)) {
      return { container: 'mp3', codec: 'mp3', sampleRate: mp3Rate(fd, head), channels: 0, note: 'MP3 length needs decoding' };
    }
    if (magic === 'RF64') throw new AudioError('unsupported', 'RF64 (64-bit WAV) headers are not supported', { file: path });
    throw new AudioError('not-audio', `not a WAV, FLAC, Ogg or MP3 file (starts with ${JSON.stringify(magic)})`, { file: path });
  } finally {
    closeSync(fd);
  }
}

function wavHeader(fd: number, size: number, path: string): AudioHeader {
  let fmt: Buffer | undefined;
  let factFrames: number | undefined;
  let dataSize: number | undefined;
  let note: string | undefined;
  let pos = 12;
  for (let guard = 0; pos + 8 <= size && guard < 10_000; guard++) {
    const h = readAt(fd, pos, 8);
    const id = h.subarray(0, 4).toString('latin1');
    const len = h.readUInt32LE(4);
    if (id === 'fmt ') fmt = readAt(fd, pos + 8, Math.min(len, 40));
    else if (id === 'fact' && len >= 4) factFrames = readAt(fd, pos + 8, 4).readUInt32LE(0);
    else if (id === 'data' && dataSize === undefined) {
      dataSize = len;
      if (pos + 8 + len > size) {
        dataSize = size - pos - 8;
        note = `data chunk claims ${len} bytes but only ${dataSize} are in the file (clamped)`;
      }
    }
    pos += 8 + len + (len & 1);
  }
  if (!fmt || fmt.length < 16) throw new AudioError('bad-header', 'WAV has no usable fmt chunk', { file: path });
  if (dataSize === undefined) throw new AudioError('bad-header', 'WAV has no data chunk', { file: path });
  let tag = fmt.readUInt16LE(0);
  const channels = fmt.readUInt16LE(2);
  const sampleRate = fmt.readUInt32LE(4);
  const blockAlign = fmt.readUInt16LE(12);
  const bits = fmt.readUInt16LE(14);
  if (tag === 0xfffe && fmt.length >= 26) tag = fmt.readUInt16LE(24); // WAVE_FORMAT_EXTENSIBLE: sub-format GUID
  if (sampleRate === 0) throw new AudioError('bad-header', 'sample rate 0 in the fmt chunk', { file: path });
  if (channels === 0) throw new AudioError('bad-header', '0 channels in the fmt chunk', { file: path });
  const base = WAV_CODECS[tag] ?? `format 0x${tag.toString(16)}`;
  const codec = base === 'pcm' ? `pcm${bits}` : base === 'float' ? `float${bits}` : base;
  let frames: number | undefined;
  if (base === 'pcm' || base === 'float' || base === 'alaw' || base === 'mulaw') {
    const align = blockAlign || (channels * bits) / 8;
    if (!(align > 0)) throw new AudioError('bad-header', `block align 0 with ${bits}-bit samples`, { file: path });
    frames = Math.floor(dataSize / align);
  } else if (factFrames !== undefined) {
    frames = factFrames; // compressed payloads (MP3, ADPCM) state their length in the fact chunk
  } else {
    note = `${codec} in WAV without a fact chunk: length needs decoding`;
  }
  return { container: 'wav', codec, sampleRate, channels, frames, note };
}

function flacHeader(head: Buffer, path: string): AudioHeader {
  // STREAMINFO is the first metadata block: 4-byte block header, then at offset 8+10: 20-bit rate, 3-bit channels-1, 5-bit bps-1, 36-bit total.
  if (head.length < 42 || (head[4] & 0x7f) !== 0) throw new AudioError('bad-header', 'FLAC without a STREAMINFO block', { file: path });
  const b = head.subarray(8 + 10);
  const sampleRate = (b[0] << 12) | (b[1] << 4) | (b[2] >> 4);
  const channels = ((b[2] >> 1) & 7) + 1;
  const total = (b[3] & 0x0f) * 2 ** 32 + b.readUInt32BE(4);
  if (sampleRate === 0) throw new AudioError('bad-header', 'sample rate 0 in STREAMINFO', { file: path });
  return { container: 'flac', codec: 'flac', sampleRate, channels, frames: total || undefined, note: total ? undefined : 'FLAC header does not state the length' };
}

function oggHeader(fd: number, size: number, head: Buffer, path: string): AudioHeader {
  const segs = head[26];
  const body = readAt(fd, 27 + segs, 64);
  const tail = readAt(fd, Math.max(0, size - 65536), Math.min(size, 65536));
  const last = tail.lastIndexOf('OggS');
  const granule = last >= 0 && last + 14 <= tail.length ? Number(tail.readBigInt64LE(last + 6)) : -1;
  if (body.subarray(1, 7).toString('latin1') === 'vorbis') {
    const channels = body[11];
    const sampleRate = body.readUInt32LE(12);
    if (sampleRate === 0) throw new AudioError('bad-header', 'sample rate 0 in the Vorbis header', { file: path });
    return { container: 'ogg', codec: 'vorbis', sampleRate, channels, frames: granule > 0 ? granule : undefined };
  }
  if (body.subarray(0, 8).toString('latin1') === 'OpusHead') {
    const channels = body[9];
    const preSkip = body.readUInt16LE(10);
    return { container: 'ogg', codec: 'opus', sampleRate: 48000, channels, frames: granule > 0 ? Math.max(0, granule - preSkip) : undefined };
  }
  throw new AudioError('unsupported', 'Ogg stream is neither Vorbis nor Opus', { file: path });
}

/** Sample rate of the first MPEG audio frame (after an ID3v2 tag); 0 when not found. */
function mp3Rate(fd: number, head: Buffer): number {
  let pos = 0;
  if (head.subarray(0, 3).toString('latin1') === 'ID3') pos = 10 + ((head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]);
  const b = readAt(fd, pos, 4096);
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] !== 0xff || (b[i + 1] & 0xe0) !== 0xe0) continue;
    const version = (b[i + 1] >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
    const idx = (b[i + 2] >> 2) & 3;
    if (version === 1 || idx === 3) continue;
    const base = [44100, 48000, 32000][idx];
    return version === 3 ? base : version === 2 ? base / 2 : base / 4;
  }
  return 0;
}
