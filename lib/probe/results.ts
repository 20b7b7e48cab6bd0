/**
 * The results directory (INTERFACE.md, extended; documented in docs/PROTOCOL.md):
 *   results.csv, summary.csv, history.csv, split.csv, classes.json, rows.json, manifest.json, clips.csv,
 *   predictions/<name>.<val|test>.npy   posteriors [n_split, C] of the first seed,
 *   predictions/seed_<s>/<name>.<val|test>.npy   the other seeds',
 *   confusion/<name>.<val|test>.json    (and confusion/seed_<s>/...) counts, rows = true class.
 * <name> is layer_XX for a probe, fusion for `fuse`. Writers and readers live together here.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvTable } from '../datasets/csvTable.js';
import { BioprobeError } from '../util/errors.js';
import { readNpy, writeNpy } from '../util/npy.js';
import { UAR_CLASSES, type UarClasses } from './metrics.js';

export const RESULTS_FORMAT = 'bioprobe.results/1';

export const RESULT_COLUMNS = ['model', 'dataset', 'layer', 'seed', 'split', 'uar', 'accuracy', 'epochs', 'best_epoch', 'selected_epoch', 'select', 'loss', 'n'] as const;
export type ResultRow = Record<(typeof RESULT_COLUMNS)[number], string | number>;

/** Row order of the val/test posteriors: clip indices (ok clips in dataset order). */
export interface SplitRows { val: number[]; test: number[] }

export function resultName(layer: number): string {
  return `layer_${String(layer).padStart(2, '0')}`;
}

function seedDir(base: string, seedIndex: number, seed: number): string {
  return seedIndex === 0 ? base : join(base, `seed_${seed}`);
}

/** Write the posteriors and confusion matrix of one system (`name`) for one split and seed. */
export function writeSplitOutputs(out: string, name: string, split: 'val' | 'test', seedIndex: number, seed: number, posteriors: Float32Array, C: number, confusion: Int32Array, classes: string[]): void {
  const pdir = seedDir(join(out, 'predictions'), seedIndex, seed);
  const cdir = seedDir(join(out, 'confusion'), seedIndex, seed);
  mkdirSync(pdir, { recursive: true });
  mkdirSync(cdir, { recursive: true });
  writeNpy(join(pdir, `${name}.${split}.npy`), posteriors, [posteriors.length / C, C]);
  const matrix = Array.from({ length: C }, (_, r) => Array.from(confusion.subarray(r * C, (r + 1) * C)));
  writeFileSync(join(cdir, `${name}.${split}.json`), JSON.stringify({ classes, rows: 'true class', columns: 'predicted class', matrix }) + '\n');
}

/** A CSV cell, quoted when needed. */
export function cell(v: string | number): string {
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function writeCsv(file: string, columns: readonly string[], rows: Record<string, string | number>[]): void {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c] ?? '')).join(','));
  writeFileSync(file, lines.join('\n') + '\n');
}

export interface ResultsDir {
  dir: string;
  manifest: Record<string, unknown>;
  classes: string[];
  rows: SplitRows;
  results: Record<string, string>[];
  /** Label of every clip (the copied clips.csv), by clip index. */
  labels: string[];
}

/** Open a results directory written by `probe` or `fuse`. */
export function openResults(dir: string): ResultsDir {
  const need = (f: string) => {
    const p = join(dir, f);
    if (!existsSync(p)) throw new BioprobeError('probe', 'not-results', `not a results directory: ${f} is missing`, { file: dir, hint: 'point at the --out folder of `bioprobe probe`' });
    return p;
  };
  const manifest = JSON.parse(readFileSync(need('manifest.json'), 'utf8')) as Record<string, unknown>;
  const classes = JSON.parse(readFileSync(need('classes.json'), 'utf8')) as string[];
  const rows = JSON.parse(readFileSync(need('rows.json'), 'utf8')) as SplitRows;
  const results = readCsvTable(need('results.csv')).rows.map((r) => r.cells);
  const labels = readCsvTable(need('clips.csv')).rows.map((r) => r.cells.label);
  return { dir, manifest, classes, rows, results, labels };
}

/**
 * Posteriors [n, C] of system `name` (layer_XX or fusion) of one seed: the first (index 0, in
 * predictions/) by default, or the seed at `seedIndex` in the manifest's `seeds` (predictions/seed_<s>/).
 */
export function readPosteriors(r: ResultsDir, name: string, split: 'val' | 'test', seedIndex = 0): Float32Array {
  const dir = seedDir(join(r.dir, 'predictions'), seedIndex, manifestSeeds(r)[seedIndex]);
  const file = join(dir, `${name}.${split}.npy`);
  if (!existsSync(file)) throw new BioprobeError('probe', 'no-predictions', `predictions file missing`, { file });
  const { data, shape } = readNpy(file);
  if (shape[1] !== r.classes.length || shape[0] !== r.rows[split].length) {
    throw new BioprobeError('probe', 'predictions-shape', `predictions have shape [${shape}], expected [${r.rows[split].length}, ${r.classes.length}]`, { file });
  }
  return data;
}

/** The seeds a results manifest lists (empty when it lists none, e.g. written by another tool). */
export function manifestSeeds(r: ResultsDir): number[] {
  return Array.isArray(r.manifest.seeds) ? (r.manifest.seeds as number[]) : [];
}

/** The UAR class set a results directory was scored with (its manifest's protocol; 'present' when it says none). */
export function uarClassesOf(r: ResultsDir): UarClasses {
  const v = (r.manifest.protocol as { uarClasses?: unknown } | undefined)?.uarClasses;
  return UAR_CLASSES.find((c) => c === v) ?? 'present';
}

/** The one UAR class set of several results directories; they must agree (scores on different sets do not compare). */
export function commonUarClasses(dirs: readonly ResultsDir[]): UarClasses {
  const sets = dirs.map(uarClassesOf);
  const other = sets.findIndex((s) => s !== sets[0]);
  if (other > 0) {
    throw new BioprobeError('probe', 'uar-classes-differ', `scored with UAR over ${sets[other]} classes, but ${dirs[0].dir} over ${sets[0]} classes`, {
      file: dirs[other].dir, hint: 'probe both with the same protocol (--uar-classes)',
    });
  }
  return sets[0];
}

/** How many seeds' predictions a results directory holds (its manifest's `seeds`; 1 when absent). */
export function seedCount(r: ResultsDir): number {
  return Math.max(1, manifestSeeds(r).length);
}
