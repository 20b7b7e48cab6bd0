/**
 * onnxruntime sessions for the probe graphs: the device comes in as an option; the thread count is
 * fixed at one intra-op thread. onnxruntime's multi-threaded CPU kernels split their sums by thread
 * count, so a probe trained on 2 or 4 threads ends on other bits than on 1 (measured: one 256-dim probe,
 * one epoch), and results would depend on the machine's cores. Parallelism comes from stacks trained
 * side by side instead (plan.ts, pool.ts), which does not change any probe's arithmetic.
 * `--device cuda` needs onnxruntime-node's CUDA provider; when it is not there the error says so.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { BioprobeError } from '../util/errors.js';

export type ProbeDevice = 'cpu' | 'cuda';

/** Intra-op threads of every probe session (see above). */
export const SESSION_THREADS = 1;

export interface SessionOptions { device?: ProbeDevice }

/**
 * True when this onnxruntime-node install can load the CUDA provider: it is listed, and its library
 * (libonnxruntime_providers_cuda.so, shipped only by CUDA builds) sits next to the native binding.
 */
export function cudaAvailable(): boolean {
  if (!ort.listSupportedBackends().some((b) => b.name === 'cuda')) return false;
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const bin = join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
    return ['libonnxruntime_providers_cuda.so', 'onnxruntime_providers_cuda.dll'].some((f) => existsSync(join(bin, f)));
  } catch {
    return false;
  }
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
      intraOpNumThreads: SESSION_THREADS,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      logSeverityLevel: device === 'cuda' ? 4 : 2, // our one-line error says what failed
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
