/**
 * Test helper: write WAV files byte by byte, including the broken ones (lying sizes, misordered
 * or unpadded chunks), so tests build every case in a temp dir instead of committing binaries.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Chunk {
  id: string;
  body: Uint8Array;
  /** Size written in the header (default body.length): lie here. */
  size?: number;
  /** Write the pad byte after an odd body (default true). */
  pad?: boolean;
}

export function chunk(id: string, body: Uint8Array, extra: Partial<Chunk> = {}): Chunk {
  return { id, body, ...extra };
}

function u16(v: number): number[] {
  return [v & 0xff, (v >> 8) & 0xff];
}
function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

export interface FmtFields {
  tag: number;
  channels: number;
  rate: number;
  bits: number;
  blockAlign?: number;
  /** Write WAVE_FORMAT_EXTENSIBLE with `tag` as the sub-format GUID's first two bytes. */
  extensible?: boolean;
}

export function fmtChunk(f: FmtFields): Chunk {
  const block = f.blockAlign ?? f.channels * Math.ceil(f.bits / 8);
  const base = [
    ...u16(f.extensible ? 0xfffe : f.tag),
    ...u16(f.channels),
    ...u32(f.rate),
    ...u32(f.rate * block),
    ...u16(block),
    ...u16(f.bits),
  ];
  if (!f.extensible) return chunk('fmt ', Uint8Array.from(base));
  // cbSize 22, validBits, channel mask, sub-format GUID {tag}-0000-0010-8000-00AA00389B71
  const guid = [...u16(f.tag), 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71];
  return chunk('fmt ', Uint8Array.from([...base, ...u16(22), ...u16(f.bits), ...u32(f.channels === 2 ? 3 : 4), ...guid]));
}

/** RIFF/WAVE bytes from chunks in the given order. `riffSize` lies about the RIFF size when set. */
export function wavBytes(chunks: Chunk[], opts: { riffSize?: number; magic?: string } = {}): Uint8Array {
  const parts: number[] = [];
  for (const c of chunks) {
    parts.push(...ascii(c.id), ...u32(c.size ?? c.body.length));
    for (const b of c.body) parts.push(b);
    if (c.body.length % 2 === 1 && c.pad !== false) parts.push(0);
  }
  return Uint8Array.from([...ascii(opts.magic ?? 'RIFF'), ...u32(opts.riffSize ?? parts.length + 4), ...ascii('WAVE'), ...parts]);
}

/** Interleaved frames -> little-endian sample bytes for PCM/float formats. */
export function sampleBytes(values: number[], kind: 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64'): Uint8Array {
  const size = { u8: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8 }[kind];
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    const p = i * size;
    if (kind === 'u8') out[p] = x;
    else if (kind === 's16') v.setInt16(p, x, true);
    else if (kind === 's24') {
      out[p] = x & 0xff;
      out[p + 1] = (x >> 8) & 0xff;
      out[p + 2] = (x >> 16) & 0xff;
    } else if (kind === 's32') v.setInt32(p, x, true);
    else if (kind === 'f32') v.setFloat32(p, x, true);
    else v.setFloat64(p, x, true);
  });
  return out;
}

/** A simple PCM 16-bit mono WAV of the given samples (integers). */
export function pcm16Wav(samples: number[], rate = 16000): Uint8Array {
  return wavBytes([fmtChunk({ tag: 1, channels: 1, rate, bits: 16 }), chunk('data', sampleBytes(samples, 's16'))]);
}

/** 80-bit IEEE extended, big-endian (AIFF's sample rate): exponent, then a 64-bit mantissa with the leading 1 at bit 63. */
function extended(x: number): number[] {
  const out = new Uint8Array(10);
  const v = new DataView(out.buffer);
  if (x > 0) {
    const e = Math.floor(Math.log2(x));
    v.setUint16(0, 16383 + e);
    const m = x / 2 ** e; // in [1, 2)
    v.setUint32(2, Math.floor(m * 2 ** 31));
    v.setUint32(6, Math.floor((m * 2 ** 31 - Math.floor(m * 2 ** 31)) * 2 ** 32));
  }
  return Array.from(out);
}

function be32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export interface AiffFields {
  channels: number;
  bits: number;
  rate: number;
  /** Sample bytes, as SSND holds them. */
  data: Uint8Array;
  /** Frames written in COMM (default: what `data` holds): lie here. */
  frames?: number;
  /** Write AIFF-C with this compression type. */
  compression?: string;
  /** SSND size written in the header (default data + 8): lie here. */
  ssndSize?: number;
  /** Put SSND before COMM (legal in IFF). */
  ssndFirst?: boolean;
  /** A chunk of this many bytes before the others (e.g. to push COMM beyond a reader's first bytes). */
  filler?: number;
}

/** Big-endian AIFF/AIFF-C bytes: COMM (+ compression) and SSND, optionally lying about sizes or ordered oddly. */
export function aiffBytes(o: AiffFields): Uint8Array {
  const aifc = o.compression !== undefined;
  const frames = o.frames ?? o.data.length / (o.channels * Math.ceil(o.bits / 8));
  const commBody = [
    (o.channels >> 8) & 0xff,
    o.channels & 0xff,
    ...be32(frames),
    (o.bits >> 8) & 0xff,
    o.bits & 0xff,
    ...extended(o.rate),
    ...(aifc ? [...ascii(o.compression!), 0, 0] : []),
  ];
  const comm = [...ascii('COMM'), ...be32(commBody.length), ...commBody];
  const ssnd = [...ascii('SSND'), ...be32(o.ssndSize ?? o.data.length + 8), ...be32(0), ...be32(0), ...o.data];
  if (o.data.length % 2 === 1) ssnd.push(0);
  const filler = o.filler ? [...ascii('APPL'), ...be32(o.filler), ...new Array(o.filler + (o.filler % 2)).fill(0)] : [];
  const body = [...ascii(aifc ? 'AIFC' : 'AIFF'), ...filler, ...(o.ssndFirst ? [...ssnd, ...comm] : [...comm, ...ssnd])];
  return Uint8Array.from([...ascii('FORM'), ...be32(body.length), ...body]);
}

/** A temp folder for one test file; `cleanup()` removes it. */
export function tempDir(): { dir: string; write(name: string, bytes: Uint8Array | string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bioprobe-audio-'));
  return {
    dir,
    write(name, bytes) {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A sine of `freq` Hz at `rate`, `n` samples, amplitude `amp`. */
export function sine(freq: number, rate: number, n: number, amp = 1, phase = 0): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate + phase);
  return x;
}

/** Least-squares fit of a*sin + b*cos at `freq` over x[from, to): amplitude, phase and residual RMS. */
export function fitTone(x: Float32Array, rate: number, freq: number, from: number, to: number) {
  let ss = 0,
    cc = 0,
    sc = 0,
    xs = 0,
    xc = 0,
    xx = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * freq * i) / rate;
    const s = Math.sin(w),
      c = Math.cos(w);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    xs += x[i] * s;
    xc += x[i] * c;
    xx += x[i] * x[i];
  }
  const det = ss * cc - sc * sc;
  const a = (xs * cc - xc * sc) / det,
    b = (xc * ss - xs * sc) / det;
  let r = 0;
  for (let i = from; i < to; i++) {
    const w = (2 * Math.PI * freq * i) / rate;
    const e = x[i] - a * Math.sin(w) - b * Math.cos(w);
    r += e * e;
  }
  return { amplitude: Math.hypot(a, b), residualRms: Math.sqrt(r / (to - from)), rms: Math.sqrt(xx / (to - from)) };
}
