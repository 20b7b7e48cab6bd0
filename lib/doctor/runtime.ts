/** Checks of the runtime: Node, onnxruntime-node and its execution providers (is CUDA really usable?). */
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CUDA_INSTALL_HINT } from '../runtime/cuda.js';
import type { Check, DoctorHost } from './types.js';

/** How to get onnxruntime-node's CUDA provider : the runtime door's hint. */
export const CUDA_FIX = `${CUDA_INSTALL_HINT}; then rerun bioprobe doctor`;

export function checkNode(version = process.versions.node): Check {
  const [maj, min] = version.split('.').map(Number);
  const ok = maj > 20 || (maj === 20 && min >= 19);
  return ok
    ? { area: 'runtime', name: 'Node.js', status: 'ok', detail: `v${version}` }
    : {
        area: 'runtime',
        name: 'Node.js',
        status: 'missing',
        required: true,
        detail: `v${version} is too old (bioprobe needs >= 20.19: require(esm) for notebooks)`,
        fix: 'install Node.js 20.19 or newer (e.g. from nodejs.org or your package manager)',
      };
}

interface ProbeOut {
  [provider: string]: { ok: boolean; error?: string };
}

/** Path of the provider probe script next to this file (.ts under tsx, .js in dist). */
function probeScript(): string {
  const here = fileURLToPath(import.meta.url);
  return join(dirname(here), 'ortProbe' + extname(here));
}

/** onnxruntime-node: version, providers it knows, and real sessions on cpu and (when asked) cuda. */
export async function checkOnnxruntime(host: DoctorHost, opts: { cuda: boolean }): Promise<Check[]> {
  const req = createRequire(import.meta.url);
  let version: string;
  let backends: { name: string; bundled: boolean }[] = [];
  try {
    version = (req('onnxruntime-node/package.json') as { version: string }).version;
    const ort = (await import('onnxruntime-node')) as unknown as { listSupportedBackends?: () => { name: string; bundled: boolean }[] };
    backends = ort.listSupportedBackends?.() ?? [];
  } catch (err) {
    return [
      {
        area: 'runtime',
        name: 'onnxruntime-node',
        status: 'missing',
        required: true,
        detail: `cannot load: ${(err as Error).message.split('\n')[0]}`,
        fix: 'npm ci (in the bioprobe folder)',
      },
    ];
  }
  const providers = opts.cuda ? ['cpu', 'cuda'] : ['cpu'];
  const r = await host.run(process.execPath, [...process.execArgv, probeScript(), ...providers], { timeoutMs: 60_000 });
  let probe: ProbeOut = {};
  try {
    probe = JSON.parse(r?.stdout.trim().split('\n').pop() ?? '{}') as ProbeOut;
  } catch {
    /* reported below */
  }
  const listed = backends.map((b) => `${b.name}${b.bundled ? '' : ' (not bundled)'}`).join(', ');
  const checks: Check[] = [];
  checks.push(
    probe.cpu?.ok
      ? {
          area: 'runtime',
          name: 'onnxruntime-node',
          status: 'ok',
          detail: `${version}; providers known: ${listed || 'cpu'}; a CPU session ran`,
        }
      : {
          area: 'runtime',
          name: 'onnxruntime-node',
          status: 'missing',
          required: true,
          detail: `${version}, but a CPU session failed: ${probe.cpu?.error ?? r?.stderr.trim().split('\n').pop() ?? 'no answer'}`,
          fix: 'rm -rf node_modules && npm ci',
        },
  );
  if (opts.cuda) {
    const gpu = await host.run('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader']);
    const gpuText =
      gpu && gpu.code === 0 ? gpu.stdout.trim().split('\n').join('; ') : 'no NVIDIA GPU visible (nvidia-smi absent or failed)';
    checks.push(
      probe.cuda?.ok
        ? {
            area: 'gpu',
            name: 'CUDA provider',
            status: 'ok',
            detail: `a session ran on the CUDA provider (${gpuText}): --device cuda will use it`,
          }
        : {
            area: 'gpu',
            name: 'CUDA provider',
            status: 'warn',
            detail: `not usable, --device cuda would fail (${probe.cuda?.error ?? 'no answer'}); GPU: ${gpuText}`,
            fix: CUDA_FIX,
          },
    );
  }
  return checks;
}
