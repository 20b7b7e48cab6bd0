/**
 * Where everything of a results folder lives (INTERFACE.md "Results directory" and its Extensions):
 *   results.csv, summary.csv, history.csv, split.csv, classes.json, rows.json, manifest.json, clips.csv,
 *   fusion.json (written by `fuse`), layer_weights.csv (the weighted probe's learned mix),
 *   predictions/<name>.<val|test>.npy          posteriors [n_split, C] of the first seed,
 *   predictions/seed_<s>/<name>.<val|test>.npy the other seeds',
 *   confusion/<name>.<val|test>.json           (and confusion/seed_<s>/...) counts, rows = true class.
 * <name> is layer_XX for a probe's layer, the variant (`fusion`, `fusion-test-chosen`) for `fuse`.
 */
import { join } from 'node:path';

export const RESULTS_FORMAT = 'bioprobe.results/1';

/** The files of a results folder, by part. */
export const RESULTS_FILES = {
  results: 'results.csv',
  summary: 'summary.csv',
  history: 'history.csv',
  split: 'split.csv',
  classes: 'classes.json',
  rows: 'rows.json',
  manifest: 'manifest.json',
  clips: 'clips.csv',
  fusion: 'fusion.json',
  layerWeights: 'layer_weights.csv',
} as const;

export type ResultsPart = keyof typeof RESULTS_FILES;

/** The split a posteriors file scores. */
export type ScoredSplit = 'val' | 'test';

/** Path of one part of the results folder `dir`. */
export function resultsPath(dir: string, part: ResultsPart): string {
  return join(dir, RESULTS_FILES[part]);
}

/** The system name of a probe's layer: `layer_XX` (two digits, as INTERFACE.md names them). */
export function resultName(layer: number): string {
  return `layer_${String(layer).padStart(2, '0')}`;
}

/** The folder of one seed's files under `base`: the first seed (index 0) in `base` itself, seed s in `seed_<s>/`. */
function seedFolder(base: string, seedIndex: number, seed: number | undefined): string {
  return seedIndex === 0 || seed === undefined ? base : join(base, `seed_${seed}`);
}

/** predictions/[seed_<s>/]<name>.<split>.npy of the seed at `seedIndex` (its value `seed`). */
export function predictionsPath(dir: string, name: string, split: ScoredSplit, seedIndex = 0, seed?: number): string {
  return join(seedFolder(join(dir, 'predictions'), seedIndex, seed), `${name}.${split}.npy`);
}

/** confusion/[seed_<s>/]<name>.<split>.json of the seed at `seedIndex` (its value `seed`). */
export function confusionPath(dir: string, name: string, split: ScoredSplit, seedIndex = 0, seed?: number): string {
  return join(seedFolder(join(dir, 'confusion'), seedIndex, seed), `${name}.${split}.json`);
}
