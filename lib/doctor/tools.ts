/**
 * Checks of the optional tools: Chromium (report.pdf), Jupyter + nbconvert + nbclient + the tslab
 * kernel (notebooks), Debian's torch/torchaudio (only for tools/ fixture scripts, never at run time).
 */
import { join } from 'node:path';
import { CHROMIUM_PATHS, NO_CHROMIUM_HINT } from '../report/index.js';
import type { Check, DoctorHost } from './types.js';

/** Chromium as the report stage finds it (CHROME_PATH, then the usual paths), and its version. */
export async function checkChromium(host: DoctorHost): Promise<Check> {
  const given = host.env.CHROME_PATH;
  const path = given ? (host.exists(given) ? given : undefined) : CHROMIUM_PATHS.find((p) => host.exists(p));
  const fix = `${NO_CHROMIUM_HINT}; without it reports are HTML only`;
  if (!path)
    return {
      area: 'pdf',
      name: 'Chromium',
      status: 'warn',
      detail: given ? `CHROME_PATH=${given} does not exist` : 'not found: report.pdf cannot be printed',
      fix,
    };
  const r = await host.run(path, ['--version'], { timeoutMs: 20_000 });
  const v = r && r.code === 0 ? r.stdout.trim() : undefined;
  return v
    ? { area: 'pdf', name: 'Chromium', status: 'ok', detail: `${v} at ${path}` }
    : {
        area: 'pdf',
        name: 'Chromium',
        status: 'warn',
        detail: `${path} does not run (${r?.stderr.trim().split('\n')[0] ?? 'no output'})`,
        fix,
      };
}

/** The Python that has Debian's Jupyter and torch: /usr/bin/python3 when present (a pyenv shim may shadow it). */
function systemPython(host: DoctorHost): string {
  return host.exists('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

const JUPYTER_FIX = 'apt-get install -y jupyter-nbconvert python3-nbclient python3-ipython';

export async function checkJupyter(host: DoctorHost, repo: string): Promise<Check[]> {
  const py = systemPython(host);
  const checks: Check[] = [];
  const nb = await host.run('jupyter-nbconvert', ['--version']);
  checks.push(
    nb && nb.code === 0
      ? { area: 'notebooks', name: 'jupyter nbconvert', status: 'ok', detail: `nbconvert ${nb.stdout.trim()}` }
      : {
          area: 'notebooks',
          name: 'jupyter nbconvert',
          status: 'warn',
          detail: 'not found: notebooks cannot be executed headless',
          fix: JUPYTER_FIX,
        },
  );
  const client = await host.run(py, ['-c', 'import nbclient, IPython; print(nbclient.__version__, IPython.__version__)']);
  checks.push(
    client && client.code === 0
      ? {
          area: 'notebooks',
          name: 'nbclient + IPython',
          status: 'ok',
          detail: `nbclient ${client.stdout.trim().split(' ').join(', IPython ')}`,
        }
      : { area: 'notebooks', name: 'nbclient + IPython', status: 'warn', detail: `not importable by ${py}`, fix: JUPYTER_FIX },
  );
  const tslabBin = join(repo, 'node_modules', '.bin', 'tslab');
  const specs = await host.run(py, [
    '-c',
    'import json; from jupyter_client.kernelspec import KernelSpecManager as K; print(json.dumps(K().find_kernel_specs()))',
  ]);
  let kernels: Record<string, string> = {};
  try {
    kernels = JSON.parse(specs?.stdout.trim() || '{}') as Record<string, string>;
  } catch {
    /* none */
  }
  const installFix = `npx tslab install --python=${py} (after npm ci; the kernel runs the \`tslab\` command, so put node_modules/.bin on PATH or pass --binary=${tslabBin})`;
  if (!host.exists(tslabBin)) {
    checks.push({
      area: 'notebooks',
      name: 'tslab kernel',
      status: 'warn',
      detail: 'tslab is not installed in node_modules',
      fix: 'npm ci (tslab is a devDependency)',
    });
  } else if (kernels.tslab) {
    checks.push({ area: 'notebooks', name: 'tslab kernel', status: 'ok', detail: `kernel spec at ${kernels.tslab}` });
  } else {
    checks.push({
      area: 'notebooks',
      name: 'tslab kernel',
      status: 'warn',
      detail: 'tslab is installed but Jupyter has no tslab kernel spec',
      fix: installFix,
    });
  }
  return checks;
}

export async function checkTorch(host: DoctorHost): Promise<Check> {
  const py = systemPython(host);
  const r = await host.run(py, ['-c', 'import torch, torchaudio; print(torch.__version__, torchaudio.__version__)'], { timeoutMs: 60_000 });
  if (r && r.code === 0) {
    const [t, ta] = r.stdout.trim().split(' ');
    return {
      area: 'tools',
      name: 'torch + torchaudio (optional)',
      status: 'ok',
      detail: `torch ${t}, torchaudio ${ta} (${py}): tools/ fixture scripts can run`,
    };
  }
  return {
    area: 'tools',
    name: 'torch + torchaudio (optional)',
    status: 'warn',
    detail: 'not found: only needed to regenerate test fixtures with tools/*.py, never at run time',
    fix: 'apt-get install -y python3-torch python3-torchaudio python3-onnx libopenblas0-pthread',
  };
}
