/**
 * NumPy .npy v1.0 files, little-endian float32 (`<f4`) and int32/int64 readers, C order.
 * Written so that `numpy.load(path, mmap_mode="r")` works: the header is padded to a multiple of 64
 * bytes (numpy >= 1.13 convention) and ends with '\n'.
 */
import { closeSync, openSync, readSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { BioprobeError } from './errors.js';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

export type NpyDtype = '<f4' | '<f8' | '<i4' | '<i8' | '|u1';

/** Header bytes for an array of `shape` and `dtype`; data starts right after. */
export function npyHeader(shape: readonly number[], dtype: NpyDtype = '<f4'): Buffer {
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const base = MAGIC.length + 2 + 2; // magic, version, header length
  const total = Math.ceil((base + dict.length + 1) / 64) * 64;
  dict = dict + ' '.repeat(total - base - dict.length - 1) + '\n';
  const buf = Buffer.alloc(total);
  MAGIC.copy(buf, 0);
  buf[6] = 1;
  buf[7] = 0;
  buf.writeUInt16LE(dict.length, 8);
  buf.write(dict, 10, 'latin1');
  return buf;
}

/** Write a whole float32 array as .npy. */
export function writeNpy(path: string, data: Float32Array, shape: readonly number[]): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length)
    throw new BioprobeError('io', 'npy-shape', `shape [${shape}] needs ${n} values, got ${data.length}`, { file: path });
  const header = npyHeader(shape, '<f4');
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  writeFileSync(path, Buffer.concat([header, body]));
}

export interface NpyInfo {
  dtype: NpyDtype;
  shape: number[];
  /** Byte offset of the first value. */
  dataOffset: number;
}

/** Parse the header of an .npy file (v1/v2/v3). */
export function readNpyHeader(path: string): NpyInfo {
  const fd = openSync(path, 'r');
  try {
    const pre = Buffer.alloc(12);
    readSync(fd, pre, 0, 12, 0);
    if (!pre.subarray(0, 6).equals(MAGIC)) throw new BioprobeError('io', 'npy-magic', 'not a NumPy .npy file', { file: path });
    const major = pre[6];
    const hlen = major === 1 ? pre.readUInt16LE(8) : pre.readUInt32LE(8);
    const start = major === 1 ? 10 : 12;
    const hbuf = Buffer.alloc(hlen);
    readSync(fd, hbuf, 0, hlen, start);
    const h = hbuf.toString('latin1');
    const descr = /'descr':\s*'([^']+)'/.exec(h)?.[1];
    const fortran = /'fortran_order':\s*(True|False)/.exec(h)?.[1];
    const shapeM = /'shape':\s*\(([^)]*)\)/.exec(h)?.[1];
    if (!descr || !fortran || shapeM === undefined) throw new BioprobeError('io', 'npy-header', 'unreadable .npy header', { file: path });
    if (fortran === 'True')
      throw new BioprobeError('io', 'npy-order', 'Fortran-order .npy is not supported; save with C order', { file: path });
    const supported: NpyDtype[] = ['<f4', '<f8', '<i4', '<i8', '|u1'];
    if (!supported.includes(descr as NpyDtype))
      throw new BioprobeError('io', 'npy-dtype', `unsupported .npy dtype ${descr}`, { file: path, hint: 'save as float32 (<f4)' });
    const shape = shapeM
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .map(Number);
    return { dtype: descr as NpyDtype, shape, dataOffset: start + hlen };
  } finally {
    closeSync(fd);
  }
}

const BYTES: Record<NpyDtype, number> = { '<f4': 4, '<f8': 8, '<i4': 4, '<i8': 8, '|u1': 1 };

/** Read rows [rowStart, rowEnd) of a 2-D (or 1-D) .npy as float32, converting other dtypes. */
export function readNpyRows(path: string, rowStart = 0, rowEnd?: number): { data: Float32Array; shape: number[] } {
  const info = readNpyHeader(path);
  const rows = info.shape[0] ?? 1;
  const cols = info.shape.slice(1).reduce((a, b) => a * b, 1);
  const end = Math.min(rowEnd ?? rows, rows);
  const count = Math.max(0, end - rowStart) * cols;
  const bpe = BYTES[info.dtype];
  const buf = Buffer.alloc(count * bpe);
  const fd = openSync(path, 'r');
  try {
    const got = readSync(fd, buf, 0, buf.length, info.dataOffset + rowStart * cols * bpe);
    if (got !== buf.length)
      throw new BioprobeError('io', 'npy-truncated', `.npy file is truncated (expected ${buf.length} bytes, read ${got})`, { file: path });
  } finally {
    closeSync(fd);
  }
  const out = new Float32Array(count);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  switch (info.dtype) {
    case '<f4':
      out.set(new Float32Array(ab));
      break;
    case '<f8':
      out.set(new Float64Array(ab));
      break;
    case '<i4':
      out.set(new Int32Array(ab));
      break;
    case '<i8': {
      const v = new BigInt64Array(ab);
      for (let i = 0; i < count; i++) out[i] = Number(v[i]);
      break;
    }
    case '|u1':
      out.set(new Uint8Array(ab));
      break;
  }
  return { data: out, shape: [end - rowStart, ...info.shape.slice(1)] };
}

/** Read a whole .npy as float32. */
export function readNpy(path: string): { data: Float32Array; shape: number[] } {
  const info = readNpyHeader(path);
  const r = readNpyRows(path, 0, info.shape[0] ?? 1);
  return { data: r.data, shape: info.shape.length === 0 ? [] : info.shape };
}

/**
 * A preallocated float32 .npy of shape [rows, cols] written row by row (any order), so that a
 * streaming producer holds one row in memory at a time. Rows never written read as zeros.
 */
export class NpyRowWriter {
  private fd: number;
  private readonly offset: number;
  constructor(
    readonly path: string,
    readonly rows: number,
    readonly cols: number,
    opts: { create?: boolean } = {},
  ) {
    const header = npyHeader([rows, cols], '<f4');
    this.offset = header.length;
    if (opts.create !== false) {
      this.fd = openSync(path, 'w+');
      writeSync(this.fd, header, 0, header.length, 0);
      ftruncateSync(this.fd, header.length + rows * cols * 4);
    } else {
      const info = readNpyHeader(path);
      if (info.dtype !== '<f4' || info.shape[0] !== rows || info.shape[1] !== cols) {
        throw new BioprobeError(
          'io',
          'npy-mismatch',
          `existing .npy has shape [${info.shape}] ${info.dtype}, expected [${rows}, ${cols}] <f4`,
          { file: path },
        );
      }
      this.fd = openSync(path, 'r+');
    }
  }
  writeRow(row: number, values: Float32Array): void {
    if (values.length !== this.cols)
      throw new BioprobeError('io', 'npy-shape', `row has ${values.length} values, expected ${this.cols}`, { file: this.path });
    const b = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    writeSync(this.fd, b, 0, b.length, this.offset + row * this.cols * 4);
  }
  close(): void {
    closeSync(this.fd);
  }
}
