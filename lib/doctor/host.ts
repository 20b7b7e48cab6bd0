/** The real machine as a DoctorHost: child processes, the file system, statfs. */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandResult, DoctorHost } from './types.js';

function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

export function systemHost(env: NodeJS.ProcessEnv = process.env): DoctorHost {
  return {
    env,
    exists: existsSync,
    run(cmd, args, opts = {}) {
      return new Promise<CommandResult | null>((resolvePromise) => {
        let stdout = '';
        let stderr = '';
        const child = spawn(cmd, args, { env: opts.env ?? env, stdio: ['ignore', 'pipe', 'pipe'] });
        const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
        child.stdout.on('data', (d) => {
          stdout += d;
        });
        child.stderr.on('data', (d) => {
          stderr += d;
        });
        child.on('error', (err: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          resolvePromise(err.code === 'ENOENT' ? null : { code: null, stdout, stderr: stderr + err.message });
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          resolvePromise({ code, stdout, stderr });
        });
      });
    },
    freeBytes(path) {
      try {
        const s = statfsSync(nearestExisting(path));
        return s.bavail * s.bsize;
      } catch {
        return null;
      }
    },
    writable(dir) {
      try {
        accessSync(nearestExisting(dir), constants.W_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}
