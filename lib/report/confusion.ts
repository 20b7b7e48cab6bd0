/**
 * Fig. 5: the confusion matrix of a dataset's fusion on the test split (or, without a fusion, of the
 * best model's selected layer), from predictions/*.test.npy, split.csv and classes.json.
 */
import { resultName, uarClassesOf, uarFromConfusion, type ResultsDir, type UarClasses } from '../results/index.js';
import { describeError } from '../util/errors.js';
import { readNpy } from '../util/npy.js';
import type { Warnings } from '../util/warnings.js';
import { layerLabel, layerPhrase } from './format.js';
import type { StudyDataset } from './study.js';

export interface Confusion {
  classes: string[];
  /** counts[true][predicted] */
  counts: number[][];
  /** What produced the predictions, e.g. "fusion" or "HuBERT, layer 3". */
  source: string;
  isFusion: boolean;
  /** UAR in percent recomputed from the matrix (results/metrics.ts, over the class set the folder was scored with). */
  uar: number;
  n: number;
}

export function datasetConfusion(ds: StudyDataset, warnings: Warnings): Confusion | undefined {
  if (ds.fusion) {
    const single = (name: string) => ds.results.find((r) => r.model.name === name)?.model.singleLayer ?? false;
    const members = ds.fusion.members?.map((m) => (single(m.model) ? m.model : `${m.model} (${layerLabel(m.layer)})`)).join(' + ');
    const c = fromDir(ds.fusion.source, 'fusion', members ? `fusion of ${members}` : 'fusion', true, warnings);
    if (c) return c;
  }
  const best = [...ds.results].filter((r) => r.selected).sort((a, b) => b.selected!.test.mean - a.selected!.test.mean)[0];
  if (!best) return undefined;
  const l = best.selected!.layer;
  const name = [resultName(l), `layer_${l}`].find((n) => best.source.predictions(n, 'test'));
  if (!name) return undefined;
  const where = layerPhrase(l, best.model.singleLayer);
  return fromDir(best.source, name, where ? `${best.model.name}, ${where}` : best.model.name, false, warnings);
}

function fromDir(dir: ResultsDir, name: string, source: string, isFusion: boolean, warnings: Warnings): Confusion | undefined {
  const file = dir.predictions(name, 'test');
  if (!file || !dir.classes || (!dir.split && !dir.clips)) return undefined;
  let pred: { data: Float32Array; shape: number[] };
  try {
    pred = readNpy(file);
  } catch (err) {
    warnings.add(`${describeError(err)}; its confusion matrix is left out`);
    return undefined;
  }
  const classes = dir.classes;
  const [n, C] = pred.shape;
  if (pred.shape.length !== 2 || C !== classes.length) {
    warnings.add(`${file}: shape [${pred.shape}] does not match ${classes.length} classes; its confusion matrix is left out`);
    return undefined;
  }
  const test = testLabels(dir, n);
  if (test.length !== n) {
    warnings.add(`${file}: ${n} rows but split.csv has ${test.length} test items; its confusion matrix is left out`);
    return undefined;
  }
  const counts = classes.map(() => new Array<number>(C).fill(0));
  let used = 0;
  for (let i = 0; i < n; i++) {
    const t = classIndex(test[i], classes);
    if (t < 0) continue;
    let arg = 0;
    for (let j = 1; j < C; j++) if (pred.data[i * C + j] > pred.data[i * C + arg]) arg = j;
    counts[t][arg]++;
    used++;
  }
  if (used === 0) return undefined;
  return { classes, counts, source, isFusion, uar: uarOf(counts, uarClassesOf(dir)), n: used };
}

/**
 * The true label of each predictions row: through rows.json (clip index per row) when the probe wrote
 * it, else the test items of split.csv in order, without skipped clips when that makes the counts agree.
 */
function testLabels(dir: ResultsDir, n: number): string[] {
  const byIndex = new Map<number, string>();
  for (const r of dir.split ?? dir.clips?.map((c) => c.item) ?? []) byIndex.set(r.index, r.label);
  const rows = dir.predictionRows?.test;
  if (rows && rows.length === n && rows.every((i) => byIndex.has(i))) return rows.map((i) => byIndex.get(i)!);
  let test = (dir.split ?? []).filter((r) => r.split === 'test');
  if (test.length !== n && dir.clips) {
    const ok = new Set(dir.clips.filter((c) => c.record.status.toLowerCase() === 'ok').map((c) => c.item.index));
    test = test.filter((r) => ok.has(r.index));
  }
  return test.map((r) => r.label);
}

function classIndex(label: string, classes: string[]): number {
  const i = classes.indexOf(label);
  if (i >= 0) return i;
  return /^\d+$/.test(label) && Number(label) < classes.length ? Number(label) : -1;
}

/** UAR in percent of a confusion matrix [true][predicted], as results.csv scores it (results/metrics.ts). */
export function uarOf(counts: number[][], classes: UarClasses = 'present'): number {
  return 100 * uarFromConfusion(counts.flat(), counts.length, classes);
}
