/**
 * onnxruntime-node sessions: thread count, graph optimisation level and execution provider come in as
 * options (no global state). `cuda` is only used when asked; when its provider libraries are absent
 * (onnxruntime-node downloads them in its postinstall, which this repo's .npmrc skips) the error names
 * what to install instead of onnxruntime's multi-line loader message.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelError } from '../util/errors.js';

export type Device = 'cpu' | 'cuda';
export type GraphOptimization = 'disabled' | 'basic' | 'extended' | 'all';

export interface ModelSessionOptions {
  /** Intra-op threads (default: onnxruntime's choice, one per physical core). */
  threads?: number;
  /** onnxruntime graph optimisation level (default 'all'). */
  graphOptimization?: GraphOptimization;
  /** Execution provider (default 'cpu'). */
  device?: Device;
}

/** The folder holding onnxruntime-node's native libraries for this platform. */
export function ortBinaryDir(): string {
  const req = createRequire(import.meta.url);
  const pkg = dirname(req.resolve('onnxruntime-node/package.json'));
  return join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

/** How to get the CUDA provider: the env var onnxruntime-node's script/install.js reads (overrides .npmrc). */
export const CUDA_INSTALL_HINT =
  'install the CUDA provider with `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` ' +
  '(downloads Microsoft.ML.OnnxRuntime.Gpu.Linux from nuget.org; needs CUDA 12 and cuDNN 9), or use --device cpu';

/** Throws a ModelError when the CUDA execution provider cannot be loaded by onnxruntime-node. */
export function checkCudaAvailable(binDir = ortBinaryDir()): void {
  const needed = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];
  if (process.platform !== 'linux' && process.platform !== 'win32') {
    throw new ModelError('cuda-unavailable', `the CUDA execution provider is not available on ${process.platform}`, { hint: 'use --device cpu' });
  }
  if (process.platform === 'linux') {
    const missing = needed.filter((f) => !existsSync(join(binDir, f)));
    if (missing.length) {
      throw new ModelError('cuda-unavailable', `the CUDA execution provider is not installed (missing ${missing.join(', ')} in ${binDir})`, {
        hint: CUDA_INSTALL_HINT,
      });
    }
  }
}

/** Open an onnxruntime session on an ONNX file with the given options. */
export async function createSession(path: string, opts: ModelSessionOptions = {}): Promise<ort.InferenceSession> {
  const device = opts.device ?? 'cpu';
  if (device !== 'cpu' && device !== 'cuda') {
    throw new ModelError('bad-device', `unknown device "${device as string}"`, { hint: 'use cpu or cuda' });
  }
  if (device === 'cuda') checkCudaAvailable();
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    graphOptimizationLevel: opts.graphOptimization ?? 'all',
    logSeverityLevel: 3,
  };
  if (opts.threads !== undefined) {
    if (!Number.isInteger(opts.threads) || opts.threads < 1) {
      throw new ModelError('bad-threads', `threads must be a positive integer, got ${opts.threads}`);
    }
    options.intraOpNumThreads = opts.threads;
    options.interOpNumThreads = 1;
  }
  try {
    return await ort.InferenceSession.create(path, options);
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0].replace(/\u001b\[[0-9;]*m/g, '');
    if (device === 'cuda') {
      throw new ModelError('cuda-unavailable', `onnxruntime could not start the CUDA provider: ${msg}`, { file: path, hint: CUDA_INSTALL_HINT, cause: err });
    }
    throw new ModelError('session-failed', `onnxruntime could not load the model: ${msg}`, { file: path, cause: err });
  }
}
