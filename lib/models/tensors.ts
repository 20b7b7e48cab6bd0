/**
 * Output tensors as float32: float32 passes through (no copy); float16 (fp16 exports, whose inner
 * tensors are half precision even when their inputs and outputs are not) and float64 are converted.
 */
import type * as ort from 'onnxruntime-node';
import { ModelError } from '../util/errors.js';

/** IEEE 754 half (as its 16 bits) to a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The tensor's values as a Float32Array. */
export function asFloat32(t: ort.Tensor, name: string): Float32Array {
  if (t.type === 'float32') return t.data as Float32Array;
  if (t.type === 'float16') {
    const src = t.data as ArrayLike<number>;
    const out = new Float32Array(src.length);
    if (src instanceof Uint16Array) for (let i = 0; i < src.length; i++) out[i] = halfToFloat(src[i]);
    else for (let i = 0; i < src.length; i++) out[i] = src[i]; // a Float16Array where the runtime has one
    return out;
  }
  if (t.type === 'float64') return Float32Array.from(t.data as Float64Array);
  throw new ModelError('bad-output-type', `output ${name} is ${t.type}, not a floating-point tensor`);
}
