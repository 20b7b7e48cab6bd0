/** `bioprobe doctor`: print what this machine can do and what is missing (lib/doctor). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir } from '../util/cache.js';
import { doctorFailed, formatDoctor, runDoctor, systemHost } from '../doctor/index.js';
import type { Command } from 'commander';

/** The bioprobe folder: two levels above this file (lib/cli or dist/cli). */
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Adds `bioprobe doctor` to the program. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check what this machine can do (onnxruntime, CUDA, Chromium, Jupyter, torch, disk) and how to fix what is missing')
    .option('--json', 'print the checks as JSON')
    .option('--no-cuda', 'do not try a session on the CUDA provider')
    .action(async (o: { json?: boolean; cuda: boolean }) => {
      const checks = await runDoctor({ host: systemHost(), repo: REPO, cacheDir: defaultCacheDir(process.env), cuda: o.cuda });
      process.stdout.write(o.json ? JSON.stringify(checks, null, 1) + '\n' : formatDoctor(checks) + '\n');
      if (doctorFailed(checks)) process.exitCode = 1;
    });
}
