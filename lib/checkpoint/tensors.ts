/**
 * One view over the tensors of any checkpoint format: names, dtype and shape without reading data, then
 * each tensor's bytes (contiguous, little-endian) or its values as float32 on demand.
 */
import { CheckpointError } from '../util/errors.js';
import { DTYPE_BYTES, toFloat32, type DType } from './dtype.js';

export interface TensorInfo {
  name: string;
  dtype: DType;
  shape: number[];
  /** Where its bytes are (a file, or `file:entry` inside a zip). */
  location: string;
}

export interface TensorSource {
  /** Tensor names in file order. */
  names(): string[];
  has(name: string): boolean;
  info(name: string): TensorInfo;
  /** Contiguous row-major little-endian bytes of the tensor. */
  bytes(name: string): Uint8Array;
  /** The values as float32 (converted from F16/BF16/F64/integers). */
  float32(name: string): Float32Array;
  close(): void;
}

export function numelOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

interface Entry {
  info: TensorInfo;
  read: () => Uint8Array;
}

/** A TensorSource from per-tensor readers (every format builds one). */
export class TensorTable implements TensorSource {
  private entries = new Map<string, Entry>();
  constructor(private onClose: () => void = () => {}) {}

  add(info: TensorInfo, read: () => Uint8Array): void {
    this.entries.set(info.name, { info, read });
  }
  names(): string[] {
    return [...this.entries.keys()];
  }
  has(name: string): boolean {
    return this.entries.has(name);
  }
  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw new CheckpointError('tensor-missing', `no tensor named ${name}`);
    return e;
  }
  info(name: string): TensorInfo {
    return this.entry(name).info;
  }
  bytes(name: string): Uint8Array {
    const e = this.entry(name);
    const b = e.read();
    const want = numelOf(e.info.shape) * DTYPE_BYTES[e.info.dtype];
    if (b.byteLength !== want)
      throw new CheckpointError(
        'tensor-size',
        `tensor ${name} has ${b.byteLength} bytes, [${e.info.shape}] ${e.info.dtype} needs ${want}`,
        { file: e.info.location },
      );
    return b;
  }
  float32(name: string): Float32Array {
    const e = this.entry(name);
    return toFloat32(this.bytes(name), e.info.dtype, numelOf(e.info.shape));
  }
  close(): void {
    this.onClose();
  }
}

/** Row-major strides for `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * Copy a strided view (`shape`, `stride` in elements, starting at element 0 of `src`) into contiguous
 * row-major bytes. Handles transposes, slices with steps and stride-0 (expanded) dimensions.
 */
export function gatherStrided(src: Uint8Array, elemBytes: number, shape: readonly number[], stride: readonly number[]): Uint8Array {
  const n = numelOf(shape);
  const out = new Uint8Array(n * elemBytes);
  if (n === 0) return out;
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  let srcElem = 0;
  for (let k = 0; k < n; k++) {
    out.set(src.subarray(srcElem * elemBytes, (srcElem + 1) * elemBytes), k * elemBytes);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      srcElem += stride[d];
      if (idx[d] < shape[d]) break;
      srcElem -= stride[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}
