/** Shared access to the committed model fixtures (written by tools/export_models.py). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../lib/util/npy.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'models');

export interface FixtureModel {
  file: string;
  layers: number;
  dim: number;
  params: number;
  opset: number;
  outputs: string[];
  refs: Record<string, { layers: string; projection: string; frames: number }>;
}

export interface FixtureIndex {
  clips: Record<string, { file: string; samples: number }>;
  models: Record<string, FixtureModel>;
}

export const index = JSON.parse(readFileSync(join(FIXTURES, 'index.json'), 'utf8')) as FixtureIndex;

export function fixturePath(file: string): string {
  return join(FIXTURES, file);
}

export function clip(name: string): Float32Array {
  return readNpy(fixturePath(index.clips[name].file)).data;
}

/** max |a - b| / max |b|: the relative error metric of the parity tests. */
export function relErr(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

/** Run the real CLI (from sources through tsx), as test/cli.test.ts does. */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
