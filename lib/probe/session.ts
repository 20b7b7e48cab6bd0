/**
 * onnxruntime sessions for the probe graphs: thread count and device come in as options.
 * `--device cuda` needs onnxruntime-node's CUDA provider; when it is not there the error says so.
 */
import * as ort from 'onnxruntime-node';
import { BioprobeError } from '../util/errors.js';

export type ProbeDevice = 'cpu' | 'cuda';

export interface SessionOptions { threads?: number; device?: ProbeDevice }

/** True when this onnxruntime-node build lists the CUDA provider. */
export function cudaAvailable(): boolean {
  return ort.listSupportedBackends().some((b) => b.name === 'cuda');
}

/** Create a session on a serialised graph. */
export async function createProbeSession(model: Uint8Array, opts: SessionOptions = {}): Promise<ort.InferenceSession> {
  const device = opts.device ?? 'cpu';
  if (device === 'cuda' && !cudaAvailable()) {
    throw new BioprobeError('probe', 'no-cuda', 'the CUDA execution provider is not available in this onnxruntime-node build', {
      hint: 'install onnxruntime-node with CUDA support on a machine with an NVIDIA GPU, or use --device cpu',
    });
  }
  try {
    return await ort.InferenceSession.create(model, {
      executionProviders: [device],
      intraOpNumThreads: opts.threads ?? 0,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new BioprobeError('probe', 'session', `could not create the probe graph session on ${device}: ${(err as Error).message}`, {
      hint: device === 'cuda' ? 'check the CUDA/cuDNN libraries onnxruntime needs, or use --device cpu' : undefined, cause: err,
    });
  }
}

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
