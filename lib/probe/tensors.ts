/** onnxruntime tensors for the probe graphs' feeds (float32, or float64 for the parity checks). */
import * as ort from 'onnxruntime-node';

export type Float = Float32Array | Float64Array;

/** A real tensor of the given element type. */
export function realTensor(data: Float, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor(data instanceof Float64Array ? 'float64' : 'float32', data, dims);
}

/** An int64 tensor from small non-negative integers. */
export function int64Tensor(values: ArrayLike<number>, dims: readonly number[]): ort.Tensor {
  const v = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) v[i] = BigInt(values[i]);
  return new ort.Tensor('int64', v, dims);
}
