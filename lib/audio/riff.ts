/**
 * A RIFF/RF64 WAVE chunk walker that survives the files real recorders and editors write:
 * chunks in any order (data before fmt, LIST/JUNK/bext/cue anywhere), odd-sized chunks with or
 * without their pad byte, a RIFF size that disagrees with the file, a data size larger than the
 * file (clamped, flagged), a data size of 0 or 0xFFFFFFFF left by an unfinished recording (the rest
 * of the file is taken, flagged), RF64/BW64 64-bit sizes (ds64), and trailing garbage (ignored).
 */
import { audioError } from './errors.js';

/** The fmt chunk, with WAVE_FORMAT_EXTENSIBLE resolved to its sub-format. */
export interface WavFormat {
  /** Format tag after resolving 0xFFFE (1 PCM, 3 float, 6 A-law, 7 mu-law, 0x55 MP3, ...). */
  tag: number;
  /** True when the fmt chunk was WAVE_FORMAT_EXTENSIBLE. */
  extensible: boolean;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
  /** wValidBitsPerSample of an extensible header (0 when absent). */
  validBits: number;
  /** The cbSize bytes after the 18-byte WAVEFORMATEX (codec parameters such as ADPCM coefficients). */
  extra: Uint8Array;
}

export interface WavLayout {
  container: 'RIFF' | 'RF64';
  format: WavFormat;
  /** Byte offset and length of the sample data (length clamped to the file). */
  dataOffset: number;
  dataLength: number;
  /** Frames per channel promised by a fact chunk (compressed formats), if any. */
  factFrames?: number;
  /** The data chunk claimed more bytes than the file holds. */
  truncated: boolean;
  warnings: string[];
}

const DATA_SIZE_UNKNOWN = 0xffffffff;

function fourcc(b: Uint8Array, pos: number): string {
  return String.fromCharCode(b[pos], b[pos + 1], b[pos + 2], b[pos + 3]);
}

/** Chunk ids are four printable ASCII characters. */
function isChunkId(b: Uint8Array, pos: number): boolean {
  for (let i = 0; i < 4; i++) if (b[pos + i] < 0x20 || b[pos + i] > 0x7e) return false;
  return true;
}

/** Parse the fmt chunk body (at least 16 bytes; the caller checked). */
function parseFmt(v: DataView, pos: number, size: number): WavFormat {
  let tag = v.getUint16(pos, true);
  const cb = size >= 18 ? Math.min(v.getUint16(pos + 16, true), size - 18) : 0;
  const fmt: WavFormat = {
    tag,
    extensible: false,
    channels: v.getUint16(pos + 2, true),
    sampleRate: v.getUint32(pos + 4, true),
    blockAlign: v.getUint16(pos + 12, true),
    bitsPerSample: v.getUint16(pos + 14, true),
    validBits: 0,
    extra: cb > 0 ? new Uint8Array(v.buffer, v.byteOffset + pos + 18, cb) : new Uint8Array(0),
  };
  if (tag === 0xfffe && size >= 40) {
    // WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) subFormat GUID(16), tag = GUID's first 2 bytes.
    fmt.extensible = true;
    fmt.validBits = v.getUint16(pos + 18, true);
    tag = v.getUint16(pos + 24, true);
    fmt.tag = tag;
  }
  return fmt;
}

/**
 * Walk the chunks of a WAVE file. Throws AudioError `truncated` (file ends in the header),
 * `bad-header` (no fmt chunk, or fmt too short) or `no-audio-data` (no data chunk).
 */
export function walkWav(bytes: Uint8Array, file: string): WavLayout {
  return walk(bytes, file, bytes.length) as WavLayout;
}

/**
 * Walk only the first bytes of a large file (`fileLength` bytes in all): the layout when fmt and the
 * start of data lie within `prefix`, undefined when they do not (read the whole file instead).
 */
export function walkWavPrefix(prefix: Uint8Array, file: string, fileLength: number): WavLayout | undefined {
  const r = walk(prefix, file, fileLength);
  return r === 'incomplete' ? undefined : r;
}

/** n: bytes in hand; N: the file's length (larger when `bytes` is a prefix). */
function walk(bytes: Uint8Array, file: string, N: number): WavLayout | 'incomplete' {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  if (N < 12) throw audioError('truncated', file, `WAV file is only ${N} bytes: it ends inside the RIFF header`);
  const container = fourcc(bytes, 0) === 'RIFF' ? 'RIFF' : 'RF64';
  const warnings: string[] = [];
  let format: WavFormat | undefined;
  let data: { offset: number; declared: number } | undefined;
  let factFrames: number | undefined;
  let ds64DataSize: number | undefined;
  let pos = 12;
  while (pos + 8 <= n) {
    const id = fourcc(bytes, pos);
    const size = v.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ' && format === undefined) {
      if (body + 16 > n && n < N) return 'incomplete';
      if (size < 16 || body + 16 > n) {
        throw audioError(
          size < 16 ? 'bad-header' : 'truncated',
          file,
          `WAV fmt chunk is ${size < 16 ? `only ${size} bytes (needs 16)` : 'cut off by the end of the file'}`,
        );
      }
      format = parseFmt(v, body, Math.min(size, n - body));
    } else if (id === 'ds64' && body + 16 <= n) {
      ds64DataSize = v.getUint32(body + 8, true) + v.getUint32(body + 12, true) * 2 ** 32;
    } else if (id === 'fact' && size >= 4 && body + 4 <= n) {
      factFrames = v.getUint32(body, true);
    } else if (id === 'data' && data === undefined) {
      let declared = size;
      if (container === 'RF64' && size === DATA_SIZE_UNKNOWN && ds64DataSize !== undefined) declared = ds64DataSize;
      const unknown = declared === DATA_SIZE_UNKNOWN || (declared === 0 && body < N && !plausibleChunk(bytes, v, body, N));
      if (unknown) {
        // An unfinished recording (size never written) or RF64 without ds64: the samples run to the end.
        warnings.push(
          `data chunk size ${declared === 0 ? 0 : '0xFFFFFFFF'} in the header: took the ${N - body} bytes to the end of the file`,
        );
        declared = N - body;
      }
      data = { offset: body, declared };
    }
    let next = body + (id === 'data' && data?.offset === body ? data.declared : size);
    if (next >= n) break;
    if (next % 2 === 1) {
      // RIFF pads odd chunks to even length, but many writers forget: take whichever position holds a plausible chunk.
      if (plausibleChunk(bytes, v, next + 1, N)) next += 1;
      else if (!plausibleChunk(bytes, v, next, N)) next += 1;
    }
    if (next + 8 <= n && !isChunkId(bytes, next)) {
      warnings.push(`${n - next} bytes of unreadable trailing data after the last chunk were ignored`);
      break;
    }
    pos = next;
  }
  if ((!format || !data) && n < N) return 'incomplete';
  if (!format) {
    throw audioError(
      data ? 'bad-header' : 'truncated',
      file,
      data ? 'WAV file has a data chunk but no fmt chunk' : 'WAV file has no fmt chunk (cut off, or not a WAVE file)',
    );
  }
  if (!data) throw audioError('no-audio-data', file, 'WAV file has no data chunk');
  const available = N - data.offset;
  let dataLength = data.declared;
  let truncated = false;
  if (dataLength > available) {
    warnings.push(`data chunk claims ${data.declared} bytes but the file holds ${available}: decoded what exists`);
    dataLength = available;
    truncated = true;
  }
  return { container, format, dataOffset: data.offset, dataLength, factFrames, truncated, warnings };
}

/** A chunk header at pos with a printable id whose size fits in the file of N bytes (or which ends the file exactly). */
function plausibleChunk(bytes: Uint8Array, v: DataView, pos: number, N: number): boolean {
  if (pos + 8 > bytes.length) return pos === N;
  return isChunkId(bytes, pos) && pos + 8 + v.getUint32(pos + 4, true) <= N;
}
