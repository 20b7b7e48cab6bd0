/**
 * `synthetic[:n]`: materialise the generated items as real 16-bit PCM WAV files in a cache folder
 * (`<cacheDir>/synthetic-v<version>-n<n>/`), once, atomically (written under a temporary name, then
 * renamed), with a `labels.csv` (path,label,group,...) so `csv:` reads the same dataset. Every later
 * stage then works on real files through the real decoders.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCsv } from '../../util/csv.js';
import { DatasetError } from '../../util/errors.js';
import { loadCsvDataset } from '../csv.js';
import type { Dataset } from '../types.js';
import { SYNTHETIC_VERSION, planItem, renderItem } from './generate.js';
import { encodeWavPcm16 } from '../../audio/wavEncode.js';

export const SYNTHETIC_MAX_N = 100_000;

/** The folder synthetic:n lives in under `cacheDir`. */
export function syntheticDir(cacheDir: string, n: number): string {
  return join(cacheDir, `synthetic-v${SYNTHETIC_VERSION}-n${n}`);
}

const MANIFEST = 'synthetic.json';

/** Write every file of synthetic:n into `dir` (a fresh folder). */
function writeAll(dir: string, n: number): void {
  mkdirSync(join(dir, 'audio'), { recursive: true });
  const rows = [];
  for (let i = 0; i < n; i++) {
    const plan = planItem(i);
    const path = `audio/${String(i).padStart(5, '0')}.wav`;
    writeFileSync(join(dir, path), encodeWavPcm16(renderItem(plan), plan.sampleRate));
    rows.push({
      path,
      label: plan.label,
      group: plan.group,
      sample_rate: plan.sampleRate,
      seconds: (plan.frames / plan.sampleRate).toFixed(6),
      snr_db: plan.snrDb.toFixed(3),
    });
  }
  writeFileSync(join(dir, 'labels.csv'), formatCsv(['path', 'label', 'group', 'sample_rate', 'seconds', 'snr_db'], rows));
  // Written last: its presence marks a complete folder.
  writeFileSync(join(dir, MANIFEST), JSON.stringify({ format: 'bioprobe.synthetic/1', version: SYNTHETIC_VERSION, n }, null, 2) + '\n');
}

/** Make sure synthetic:n exists under `cacheDir` (generating it if needed); return its folder. */
export function materialiseSynthetic(n: number, cacheDir: string): string {
  if (!Number.isInteger(n) || n < 1 || n > SYNTHETIC_MAX_N) {
    throw new DatasetError('synthetic-n', `synthetic:${n}: n must be an integer from 1 to ${SYNTHETIC_MAX_N}`);
  }
  const dir = syntheticDir(cacheDir, n);
  if (isComplete(dir, n)) return dir;
  try {
    mkdirSync(cacheDir, { recursive: true });
  } catch (err) {
    throw new DatasetError('cache-unwritable', `cannot create the cache folder (${(err as NodeJS.ErrnoException).code})`, {
      file: cacheDir,
      hint: 'set BIOPROBE_CACHE to a writable folder',
      cause: err,
    });
  }
  const tmp = mkdtempSync(`${dir}.tmp-`);
  try {
    writeAll(tmp, n);
    if (existsSync(dir) && !isComplete(dir, n)) rmSync(dir, { recursive: true, force: true }); // an old partial folder
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another process finished first: keep its (identical) folder.
      if (!isComplete(dir, n)) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

function isComplete(dir: string, n: number): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as { version?: number; n?: number };
    return m.version === SYNTHETIC_VERSION && m.n === n;
  } catch {
    return false;
  }
}

/** Load `synthetic:n`, materialising it first when needed. */
export function loadSyntheticDataset(n: number, cacheDir: string, spec = `synthetic:${n}`): Dataset {
  const dir = materialiseSynthetic(n, cacheDir);
  const ds = loadCsvDataset(join(dir, 'labels.csv'));
  return { ...ds, spec, name: 'synthetic' };
}
