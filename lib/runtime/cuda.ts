/**
 * Whether onnxruntime-node can use CUDA here, and what to do when it cannot. The CUDA provider is not
 * on the npm registry: onnxruntime-node's install script downloads it, and package.json's
 * `allowScripts` denies that script at install, so a plain install is CPU-only. Running the script by
 * hand with ONNXRUNTIME_NODE_INSTALL=cuda12 fetches the provider (npm's script policy does not apply to
 * a script run directly). One hint text for every caller.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { BioprobeError } from '../util/errors.js';

/** onnxruntime-node's package folder. */
function ortPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
}

/** The command that installs the CUDA provider: onnxruntime-node's own install script, asked for cuda12. */
function cudaInstallCommand(): string {
  return `ONNXRUNTIME_NODE_INSTALL=cuda12 node ${join(ortPackageDir(), 'script', 'install.js')}`;
}

/** How to get the CUDA provider (the same text in every error and in doctor). */
export const CUDA_INSTALL_HINT =
  `install the CUDA provider with \`${cudaInstallCommand()}\` ` +
  '(downloads Microsoft.ML.OnnxRuntime.Gpu.Linux from nuget.org; needs CUDA 12 and cuDNN 9), or use --device cpu';

/** The provider libraries a CUDA-enabled onnxruntime-node has beside its native binding. */
const CUDA_LIBRARIES: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'],
  win32: ['onnxruntime_providers_shared.dll', 'onnxruntime_providers_cuda.dll'],
};

/** The folder holding onnxruntime-node's native libraries for this platform. */
export function ortBinaryDir(): string {
  return join(ortPackageDir(), 'bin', 'napi-v6', process.platform, process.arch);
}

/** Throws a `cuda-unavailable` error, with the install hint, when the CUDA provider cannot be loaded. */
export function checkCudaAvailable(binDir = ortBinaryDir()): void {
  const needed = CUDA_LIBRARIES[process.platform];
  if (!needed) {
    throw new BioprobeError('runtime', 'cuda-unavailable', `the CUDA execution provider is not available on ${process.platform}`, {
      hint: 'use --device cpu',
    });
  }
  const missing = needed.filter((f) => !existsSync(join(binDir, f)));
  if (missing.length) {
    throw new BioprobeError(
      'runtime',
      'cuda-unavailable',
      `the CUDA execution provider is not installed (missing ${missing.join(', ')} in ${binDir})`,
      { hint: CUDA_INSTALL_HINT },
    );
  }
  if (!ort.listSupportedBackends().some((b) => b.name === 'cuda')) {
    throw new BioprobeError('runtime', 'cuda-unavailable', 'this onnxruntime-node build does not list the CUDA execution provider', {
      hint: CUDA_INSTALL_HINT,
    });
  }
}

/** True when checkCudaAvailable() would pass. */
export function cudaAvailable(binDir?: string): boolean {
  try {
    checkCudaAvailable(binDir);
    return true;
  } catch {
    return false;
  }
}
