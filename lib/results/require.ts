/**
 * What scoring from a results folder needs (`fuse`, `compare`): its parts, each required, failing with
 * a `results` error that names the missing or unreadable file. The tolerant reader (read.ts) stays
 * the one reader; these only refuse what it left undefined.
 */
import { existsSync } from 'node:fs';
import type { ClipRow } from '../features/clipsCsv.js';
import { BioprobeError } from '../util/errors.js';
import { readNpy } from '../util/npy.js';
import { Warnings } from '../util/warnings.js';
import { predictionsPath, resultsPath, RESULTS_FILES, type ResultsPart, type ScoredSplit } from './layout.js';
import type { AsRead } from '../util/asRead.js';
import type { ResultsManifest } from './manifest.js';
import { loadResultsDir, type ResultsDir } from './read.js';
import type { SplitRows } from './rows.js';

/** A results folder with every part scoring needs. */
export interface ScoredResults extends ResultsDir {
  manifest: AsRead<ResultsManifest>;
  classes: string[];
  predictionRows: SplitRows;
  readonly clips: ClipRow[];
}

const HINT = 'point at the --out folder of `bioprobe probe` (or `fuse`)';

/** Open a results folder for scoring: results.csv, manifest.json, classes.json, rows.json and clips.csv must all be usable. */
export function openScoredResults(dir: string): ScoredResults {
  if (!existsSync(resultsPath(dir, 'results'))) missing(dir, 'results', []);
  const warnings = new Warnings();
  const r = loadResultsDir(dir, warnings);
  const rows = r.predictionRows;
  if (!r.manifest) missing(dir, 'manifest', warnings.list);
  if (!r.classes) missing(dir, 'classes', warnings.list);
  if (!rows || !Array.isArray(rows.val)) missing(dir, 'rows', warnings.list);
  if (!r.clips) missing(dir, 'clips', warnings.list);
  return r as ScoredResults;
}

function missing(dir: string, part: ResultsPart, warnings: readonly string[]): never {
  const file = resultsPath(dir, part);
  const why = warnings.find((w) => w.startsWith(file));
  throw new BioprobeError(
    'results',
    'not-results',
    why
      ? `not a usable results directory: ${RESULTS_FILES[part]} is unreadable (${why.slice(file.length + 2)})`
      : `not a results directory: ${RESULTS_FILES[part]} is missing`,
    { file: dir, hint: HINT },
  );
}

/** Label of every clip (clips.csv), by clip index. */
export function clipLabels(r: ScoredResults): string[] {
  const labels: string[] = [];
  for (const c of r.clips) labels[c.item.index] = c.item.label;
  return labels;
}

/**
 * Posteriors [n, C] of system `name` (layer_XX or a fusion variant) of one seed: the first (index 0, in
 * predictions/) by default, or the seed at `seedIndex` in the manifest's `seeds` (predictions/seed_<s>/).
 * Fails naming the file when it is missing (`no-predictions`) or its shape does not fit (`predictions-shape`).
 */
export function readPosteriors(r: ScoredResults, name: string, split: ScoredSplit, seedIndex = 0): Float32Array {
  const file = r.predictions(name, split, seedIndex);
  if (!file) {
    const seed = r.manifest.seeds?.[seedIndex];
    if (seedIndex > 0 && seed === undefined)
      throw new BioprobeError('results', 'no-predictions', `manifest.json lists no seed number ${seedIndex + 1}`, { file: r.dir });
    throw new BioprobeError('results', 'no-predictions', 'predictions file missing', {
      file: predictionsPath(r.dir, name, split, seedIndex, seed),
    });
  }
  const { data, shape } = readNpy(file);
  if (shape[1] !== r.classes.length || shape[0] !== r.predictionRows[split].length) {
    throw new BioprobeError(
      'results',
      'predictions-shape',
      `predictions have shape [${shape}], expected [${r.predictionRows[split].length}, ${r.classes.length}]`,
      { file },
    );
  }
  return data;
}
