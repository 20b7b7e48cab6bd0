/**
 * What several benches share: the synthetic cases modelled on the paper's datasets (writeSyntheticFeatures
 * with class structure, 1536-dim pooled features, 30 % label noise, seed 7) and the child-process timer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Clips and classes of each case (imv: 72,920 clips, the paper's IMV size). */
export const CASES: Record<string, { n: number; classes: number }> = {
  '10k': { n: 10_000, classes: 11 },
  watkins: { n: 1_697, classes: 32 },
  imv: { n: 72_920, classes: 11 },
};
/** The best layer's width in the paper's models: 768-dim frames, mean and std pooled. */
export const DIM = 1536;
/** writeSyntheticFeatures settings every case uses besides n, classes and layers. */
export const SYNTHETIC = { seed: 7, labelNoise: 0.3, dim: DIM } as const;

export interface Timed {
  wall: number;
  cpu: number;
  rssMB: number;
  stdout: string;
}

/** Run a command under /usr/bin/time; wall/CPU seconds and peak RSS. */
export function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Timed {
  const useTime = existsSync('/usr/bin/time');
  const t0 = Date.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', cmd, ...args], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
        maxBuffer: 1 << 26,
      })
    : spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  return m
    ? { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMB: Number(m[4]) / 1024, stdout: r.stdout }
    : { wall: (Date.now() - t0) / 1000, cpu: NaN, rssMB: NaN, stdout: r.stdout };
}
