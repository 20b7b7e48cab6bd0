/** Checks of where bioprobe writes: the cache folder (synthetic audio, tapped models), HF_HOME, the build, free disk. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Check, DoctorHost } from './types.js';

/** Latest modification time (ms) of the .ts files under `dir`, 0 when there are none (an installed package). */
export function newestSourceMtime(dir: string): number {
  let newest = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSourceMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const GB = 1024 ** 3;

function gb(bytes: number): string {
  return `${(bytes / GB).toFixed(1)} GB free`;
}

function checkFolder(host: DoctorHost, name: string, dir: string, needGb: number): Check {
  const free = host.freeBytes(dir);
  const writable = host.writable(dir);
  const where = `${dir}${host.exists(dir) ? '' : ' (created on first use)'}`;
  if (!writable)
    return {
      area: 'storage',
      name,
      status: 'missing',
      detail: `${where} is not writable`,
      fix: `make ${dir} writable, or point it elsewhere (see docs/TROUBLESHOOTING.md)`,
    };
  if (free !== null && free < needGb * GB)
    return {
      area: 'storage',
      name,
      status: 'warn',
      detail: `${where}: ${gb(free)}, less than the ${needGb} GB suggested`,
      fix: 'free some space or move the folder to a larger disk',
    };
  return { area: 'storage', name, status: 'ok', detail: `${where}: ${free === null ? 'free space unknown' : gb(free)}` };
}

/** Cache, model and build folders; `repo` is the bioprobe folder, `cacheDir` its cache. */
export function checkStorage(host: DoctorHost, repo: string, cacheDir: string): Check[] {
  const hfHome = host.env.HF_HOME ?? join(host.env.HOME ?? repo, '.cache', 'huggingface');
  const checks = [
    checkFolder(host, 'cache folder', cacheDir, 2),
    checkFolder(host, 'model downloads (HF_HOME)', hfHome, 3),
    checkFolder(host, 'reports', join(repo, 'reports'), 1),
  ];
  const dist = join(repo, 'dist', 'index.js');
  if (!host.exists(dist)) {
    checks.push({
      area: 'storage',
      name: 'built package (dist/)',
      status: 'warn',
      detail: 'dist/ is missing: notebooks import the built package',
      fix: 'npm run build',
    });
  } else if (newestSourceMtime(join(repo, 'lib')) > statSync(dist).mtimeMs) {
    checks.push({
      area: 'storage',
      name: 'built package (dist/)',
      status: 'warn',
      detail: 'dist/ is older than lib/: notebooks and bin/bioprobe.js would run the old build',
      fix: 'npm run build',
    });
  } else {
    checks.push({ area: 'storage', name: 'built package (dist/)', status: 'ok', detail: `${dist} (notebooks import it)` });
  }
  return checks;
}
