/**
 * What every probe results folder shares, whichever probe wrote it (`bioprobe probe`: run.ts; the
 * weighted probe: weighted.ts): the run's split (a split file checked row by row, or the paper's split
 * over every row of clips.csv) and layers, the folder's lock for the whole run, and the files about its clips
 * (classes.json, rows.json, split.csv, clips.csv copied from the features), written through results/.
 */
import { mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { writeClassesFile } from '../datasets/classes.js';
import { paperSplit, type SplitName } from '../datasets/split.js';
import { checkSplitRows, readSplitCsv, writeSplitCsv } from '../datasets/splitFile.js';
import { copyParts, resultsPath, writePredictionRows, type ResultsManifest } from '../results/index.js';
import { BioprobeError } from '../util/errors.js';
import { DirLock } from '../util/lock.js';
import type { Partition } from './data.js';
import type { FeatureSet } from './features.js';

/** The split of a run: `file`'s names after checking it against the features' clips.csv (path, label, segment), else the paper's. */
export function resolveSplit(file: string | undefined, fs: FeatureSet): SplitName[] {
  if (!file) return paperSplit(fs.count, { seed: 42 });
  const rows = readSplitCsv(file);
  checkSplitRows(
    rows,
    fs.clips.map((c) => c.item),
    file,
    `the features' clips.csv (${fs.dir})`,
  );
  return rows.map((r) => r.split);
}

/** The layers a run probes: `given` (each checked against the features), else every layer. */
export function resolveLayers(given: readonly number[] | undefined, fs: FeatureSet): number[] {
  const layers = given ? [...given] : Array.from({ length: fs.layers }, (_, l) => l);
  for (const l of layers)
    if (!Number.isInteger(l) || l < 0 || l >= fs.layers)
      throw new BioprobeError('usage', 'bad-layer', `layer ${l} is out of range: the features have layers 0-${fs.layers - 1}`);
  return layers;
}

/** How a results manifest records the split. */
export function splitRecord(file: string | undefined): NonNullable<ResultsManifest['split']> {
  return file ? { file } : { rule: 'paper', seed: 42, ratios: [70, 20, 10], over: 'all clips.csv rows; non-ok clips then dropped' };
}

/**
 * Run `body` holding `out`'s lock (util/lock.ts) throughout: a second run into the same folder is
 * refused naming this one's pid; a lock left by a killed run is taken over (with `notice`).
 */
export async function withResultsLock<T>(out: string, notice: ((line: string) => void) | undefined, body: () => Promise<T>): Promise<T> {
  const made = mkdirSync(out, { recursive: true });
  const lock = DirLock.acquire(out, { kind: 'probe', what: 'results folder', notice });
  try {
    return await body();
  } finally {
    lock.release();
    if (made !== undefined && readdirSync(out).length === 0) rmdirSync(out); // a run refused at once leaves no empty folder
  }
}

/** classes.json, rows.json (clip indices of the posterior rows), split.csv (every clip) and clips.csv (copied). */
export function writeClipFiles(out: string, fs: FeatureSet, split: readonly SplitName[], p: Partition): void {
  writeClassesFile(out, p.classes);
  writePredictionRows(out, { val: Array.from(p.val), test: Array.from(p.test) });
  writeSplitCsv(resultsPath(out, 'split'), { items: fs.clips.map((c) => c.item) }, split);
  copyParts(fs.dir, out, ['clips']);
}
