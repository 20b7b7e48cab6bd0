/**
 * Test helpers for the features stage: run the real CLI (sources through tsx) with a private cache,
 * and build small datasets of WAV files in temp folders.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { pcm16Wav } from '../audio/wavbytes.js';
import { relErr } from '../models/fixtures.js';
import { readNpy } from '../../lib/util/npy.js';
import { extractFeatures, type ExtractOptions, type ExtractResult } from '../../lib/features/extract.js';

export const FIXTURES = resolve('test/fixtures');
export const TINY = join(FIXTURES, 'models', 'hubert_tiny.onnx');
export const TINY_W2V2 = join(FIXTURES, 'models', 'w2v2_ctc_tiny.onnx');

/** Temp folders made by this test file, removed when its process exits. */
const made: string[] = [];
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

export function tmp(prefix = 'bioprobe-features-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** One cache (tapped models) for the whole test file. */
export const cache = tmp('bioprobe-features-cache-');

/** extractFeatures in this process, with the test cache. */
export function extract(opts: Omit<ExtractOptions, 'cacheDir'>): Promise<ExtractResult> {
  return extractFeatures({ ...opts, cacheDir: cache });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `bioprobe <args>` to completion. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, BIOPROBE_CACHE: cache, ...env },
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A deterministic noisy tone, different for every `seed`, as 16-bit PCM. */
export function toneWav(seed: number, n: number, rate = 16000): Uint8Array {
  let s = (seed * 2654435761) >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  const f = 200 + 97 * seed;
  return pcm16Wav(
    Array.from({ length: n }, (_, i) => Math.round(12000 * Math.sin((2 * Math.PI * f * i) / rate) + 3000 * rnd())),
    rate,
  );
}

/** A folder of `count` distinct WAV clips with labels.csv; returns the csv spec. */
export function toneDataset(count: number): string {
  const dir = tmp('bioprobe-features-data-');
  const rows = ['path,label'];
  for (let i = 0; i < count; i++) {
    writeFileSync(join(dir, `c${i}.wav`), toneWav(i + 1, 4000 + 997 * (i % 7)));
    rows.push(`c${i}.wav,${i % 3 === 0 ? 'x' : 'y'}`);
  }
  writeFileSync(join(dir, 'labels.csv'), rows.join('\n') + '\n');
  return `csv:${join(dir, 'labels.csv')}`;
}

/** The bytes of a finished store that must not depend on how it was computed. */
export function storeBytes(dir: string, layers: number): Buffer[] {
  const names = [...Array.from({ length: layers }, (_, l) => `layer_${String(l).padStart(2, '0')}.npy`), 'clips.csv'];
  return names.map((n) => readFileSync(join(dir, n)));
}

/**
 * Every layer of the store in `out` equals a torchaudio reference after pooling: `ref` is
 * [clips, layers, dim] (dim = mean half + std half); each half of each row within `tol` relative error.
 */
export function assertPooledParity(
  out: string,
  ref: { data: Float32Array; shape: number[] },
  tol: number,
  clipName: (c: number) => string,
): void {
  const [clips, layers, dim] = ref.shape;
  for (let l = 0; l < layers; l++) {
    const got = readNpy(join(out, `layer_${String(l).padStart(2, '0')}.npy`)).data;
    for (let c = 0; c < clips; c++) {
      const base = (c * layers + l) * dim;
      for (const half of [0, dim / 2]) {
        const e = relErr(got.subarray(c * dim + half, c * dim + half + dim / 2), ref.data.subarray(base + half, base + half + dim / 2));
        assert.ok(e <= tol, `${clipName(c)} layer ${l} ${half ? 'std' : 'mean'}: relative error ${e}`);
      }
    }
  }
}
