/**
 * A file's sample rate, channels and length from its header alone, without decoding: for `datasets
 * stats`, the paper's whole-file spans (datasets/fileSpan.ts) and notebooks. Built on the decoder's
 * own parsers, so both agree on every file (test/audio/header.test.ts): sniffAudio classifies,
 * walkWavPrefix + planWav read WAV/RF64, planAiff AIFF/AIFF-C, STREAMINFO and the last Ogg page
 * FLAC and Vorbis (streamInfo.ts), the first frame MP3. Only the first bytes are read (64 KiB,
 * more when a header lies further in) plus, for Ogg, the last 64 KiB.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { audioError } from './errors.js';
import { fileError } from './decode.js';
import { id3Size, mpegFirstFrame, mpegScanLength, sniffAudio } from './sniff.js';
import { walkWavPrefix } from './riff.js';
import { planWav } from './wav.js';
import { planAiff } from './aiff.js';
import { flacInfoLength, flacStreamInfo, oggLastGranule, OGG_TAIL, vorbisIdHeader, vorbisIdLength } from './streamInfo.js';
import type { AudioContainer } from './types.js';
import { BioprobeError } from '../util/errors.js';

/** What the decoder (`readAudio`) would report, told from the header. */
export interface AudioHeader {
  container: AudioContainer;
  /** The decoder's codec name (`pcm-s16`, `pcm-u8`, `float32`, `alaw`, `ima-adpcm`, `mp3`, `flac`, `vorbis`, ...: DecodedAudio.codec). */
  codec: string;
  /** The rate the decoder reports: AIFF's rounded to an integer, MPEG's from the stream rather than a WAV fmt chunk. */
  sampleRate: number;
  channels: number;
  /** Mono frames the decoder returns; undefined when only decoding can tell (`note` says why). */
  frames?: number;
  /** Why `frames` is undefined. */
  note?: string;
  /** The header promises more data than the file holds (frames counts what exists). */
  truncated: boolean;
  /** The decoder's repairs, told in advance (e.g. a data chunk longer than the file). */
  warnings: string[];
}

const FIRST_READ = 1 << 16;

/** The first bytes of an open file, read again (larger) on demand. */
class Prefix {
  bytes: Uint8Array;
  constructor(
    private readonly fd: number,
    public size: number,
  ) {
    this.bytes = this.read(0, Math.min(size, FIRST_READ));
  }
  get whole(): boolean {
    return this.bytes.length >= this.size;
  }
  /** At least the first `n` bytes (or the whole file). */
  atLeast(n: number): Uint8Array {
    if (n > this.bytes.length && !this.whole) this.bytes = this.read(0, Math.min(this.size, Math.max(n, 4 * this.bytes.length)));
    return this.bytes;
  }
  /** Four times more (up to the whole file); false when it already is the whole file. */
  grow(): boolean {
    if (this.whole) return false;
    this.atLeast(4 * this.bytes.length);
    return true;
  }
  read(pos: number, len: number): Uint8Array {
    const b = new Uint8Array(len);
    let got = 0;
    while (got < len) {
      const n = readSync(this.fd, b, got, len - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    if (got < len) this.size = Math.min(this.size, pos + got); // the file shrank since fstat
    return b.subarray(0, got);
  }
}

/** Run `parse` on the prefix, reading more until it has what it needs (on the whole file a parser returns or throws). */
function untilComplete<T>(p: Prefix, parse: (bytes: Uint8Array) => T | undefined): T {
  for (;;) {
    const r = parse(p.bytes);
    if (r !== undefined || !p.grow()) return r!;
  }
}

/** The header of the audio file at `path`. Throws the AudioError the decoder would throw for a broken header (docs/AUDIO.md's codes). */
export function readAudioHeader(path: string): AudioHeader {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw fileError(err, path);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    const size = st.size;
    if (size === 0) throw audioError('file-empty', path, 'file is empty (0 bytes)');
    const p = new Prefix(fd, size);
    // Sniffing looks past an ID3 tag (a FLAC file may carry one).
    switch (sniffAudio(p.atLeast(id3Size(p.bytes) + 64), path)) {
      case 'wav':
        return wavHeader(p, path);
      case 'aiff':
        return aiffHeader(p, path);
      case 'flac':
        return flacHeader(p, path);
      case 'ogg-vorbis':
        return vorbisHeader(p, path);
      case 'mp3':
        return mp3Header(p, path);
    }
  } catch (err) {
    throw err instanceof BioprobeError ? err : fileError(err, path);
  } finally {
    closeSync(fd);
  }
}

function wavHeader(p: Prefix, path: string): AudioHeader {
  // The walker looks 8 bytes into the data (is a 0 size an unfinished recording?): have them.
  let layout = untilComplete(p, (b) => {
    const l = walkWavPrefix(b, path, p.size);
    return l && (p.whole || b.length >= l.dataOffset + 8) ? l : undefined;
  });
  let plan = planWav(layout, path);
  if (plan.type === 'adpcm' && !p.whole) {
    // A fact chunk after the data (beyond the prefix) trims the length: walk the whole file.
    layout = walkWavPrefix(p.atLeast(p.size), path, p.size)!;
    plan = planWav(layout, path);
  }
  const { format, truncated, warnings } = layout;
  const base = { container: 'wav' as const, truncated };
  if (plan.type === 'pcm')
    return {
      ...base,
      codec: plan.codec,
      sampleRate: format.sampleRate,
      channels: format.channels,
      frames: plan.frames,
      warnings: [...warnings, ...plan.warnings],
    };
  if (plan.type === 'adpcm')
    return { ...base, codec: plan.codec, sampleRate: format.sampleRate, channels: format.channels, frames: plan.frames, warnings };
  // MPEG in WAV: the stream's rate and channel mode, as the decoder takes them; its length needs mpg123.
  const start = layout.dataOffset;
  const end = start + layout.dataLength;
  const first = p.atLeast(start + 10);
  const data = p.atLeast(start + mpegScanLength(first.subarray(start, Math.min(end, first.length)))).subarray(start, end);
  const frame = mpegFirstFrame(data);
  const fact = layout.factFrames ? ` (its fact chunk says ${layout.factFrames} frames)` : '';
  const rateWarning =
    frame && frame.sampleRate !== format.sampleRate
      ? [`header says ${format.sampleRate} Hz, MPEG stream is ${frame.sampleRate} Hz: used the stream's rate`]
      : [];
  return {
    ...base,
    codec: 'mp3',
    sampleRate: frame?.sampleRate ?? format.sampleRate,
    channels: frame?.channels ?? 2,
    note: `MP3 in WAV: the length needs decoding${fact}`,
    warnings: [...warnings, ...rateWarning],
  };
}

function aiffHeader(p: Prefix, path: string): AudioHeader {
  const plan = untilComplete(p, (b) => planAiff(b, path, p.size));
  return {
    container: 'aiff',
    codec: plan.codec,
    sampleRate: plan.sampleRate,
    channels: plan.channels,
    frames: plan.frames,
    truncated: plan.truncated,
    warnings: plan.warnings,
  };
}

function flacHeader(p: Prefix, path: string): AudioHeader {
  const info = flacStreamInfo(p.atLeast(flacInfoLength(p.bytes)), path);
  return {
    container: 'flac',
    codec: 'flac',
    ...info,
    note: info.frames === undefined ? 'FLAC STREAMINFO gives no total: the length needs decoding' : undefined,
    truncated: false,
    warnings: [],
  };
}

function vorbisHeader(p: Prefix, path: string): AudioHeader {
  const id = vorbisIdHeader(p.atLeast(vorbisIdLength(p.bytes)), path);
  const tail = p.read(Math.max(0, p.size - OGG_TAIL), Math.min(p.size, OGG_TAIL));
  const frames = oggLastGranule(tail, id.serial);
  return {
    container: 'ogg',
    codec: 'vorbis',
    sampleRate: id.sampleRate,
    channels: id.channels,
    frames,
    note: frames === undefined ? 'no Ogg page near the end states a granule position: the length needs decoding' : undefined,
    truncated: false,
    warnings: [],
  };
}

function mp3Header(p: Prefix, path: string): AudioHeader {
  const frame = mpegFirstFrame(p.atLeast(mpegScanLength(p.bytes)));
  if (!frame) throw audioError('no-audio-data', path, 'no MPEG audio frame within 64 KiB after the ID3 tag');
  return {
    container: 'mp3',
    codec: 'mp3',
    sampleRate: frame.sampleRate,
    channels: frame.channels,
    note: 'MP3: the length needs decoding',
    truncated: false,
    warnings: [],
  };
}
