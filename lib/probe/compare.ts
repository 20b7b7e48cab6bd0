/**
 * Comparing two results directories on the same test clips: each side's best layer (highest mean
 * validation UAR over seeds; ties to the lower layer), then a paired bootstrap of the difference of
 * seed-mean test UARs (every seed of both sides scored on each draw of clips) and McNemar's exact test
 * on the first seed's predictions (per-clip correctness needs one prediction per clip).
 */
import {
  clipLabels,
  commonUarClasses,
  layerIndex,
  openScoredResults,
  readPosteriors,
  resultName,
  seedCount,
  type ResultsDir,
  type ScoredResults,
} from '../results/index.js';
import { BioprobeError } from '../util/errors.js';
import { argmaxRows } from '../results/metrics.js';
import { mcnemar, pairedBootstrap, type PairedResult } from './stats.js';

export interface LayerChoice {
  model: string;
  layer: number;
  valUar: number;
  testUar: number;
}

/** The layer with the highest mean UAR on `by` (val: honest; test: the paper's Table III, leaks). */
export function bestLayer(r: ResultsDir, by: 'val' | 'test'): LayerChoice {
  const layers = new Map<number, { val: number[]; test: number[] }>();
  for (const row of r.results) {
    const l = layerIndex(row);
    if (l === null || (row.split !== 'val' && row.split !== 'test')) continue;
    const e = layers.get(l) ?? { val: [], test: [] };
    e[row.split].push(row.uar);
    layers.set(l, e);
  }
  if (layers.size === 0) throw new BioprobeError('probe', 'no-layers', 'results.csv has no per-layer rows', { file: r.dir });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  let best: LayerChoice | undefined;
  for (const [layer, e] of [...layers].sort((a, b) => a[0] - b[0])) {
    const c = { model: String(r.manifest?.model ?? ''), layer, valUar: mean(e.val), testUar: mean(e.test) };
    if (!best || (by === 'val' ? c.valUar > best.valUar : c.testUar > best.testUar)) best = c;
  }
  return best!;
}

/** Check two results directories score the same clips with the same classes. */
export function checkAligned(a: ScoredResults, b: ScoredResults): void {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (!same(a.classes, b.classes)) throw new BioprobeError('probe', 'classes-differ', `classes differ from ${a.dir}'s`, { file: b.dir });
  const hint = 'run both probes with the same --split file on features of the same dataset';
  const rows = (r: ScoredResults) => ({ val: r.predictionRows.val, test: r.predictionRows.test });
  if (!same(rows(a), rows(b)))
    throw new BioprobeError('probe', 'split-differs', `val/test clips differ from ${a.dir}'s`, { file: b.dir, hint });
  const [la, lb] = [clipLabels(a), clipLabels(b)];
  for (const i of [...a.predictionRows.val, ...a.predictionRows.test]) {
    if (la[i] !== lb[i])
      throw new BioprobeError('probe', 'labels-differ', `clip ${i} is labelled "${lb[i]}" here but "${la[i]}" in ${a.dir}`, {
        file: b.dir,
        hint,
      });
  }
}

/** Test predictions (class ids) of a layer, of the seed at `seedIndex` (default the first). */
export function testPredictions(r: ScoredResults, layer: number, seedIndex = 0): Int32Array {
  const C = r.classes.length;
  return argmaxRows(readPosteriors(r, resultName(layer), 'test', seedIndex), r.predictionRows.test.length, C);
}

export interface Comparison {
  a: LayerChoice;
  b: LayerChoice;
  clips: number;
  /** Seeds whose predictions enter the bootstrap, per side. */
  seeds: { a: number; b: number };
  bootstrap: PairedResult;
  /** On the first seed of each side. */
  mcnemar: { b: number; c: number; p: number };
}

export function compareResults(dirA: string, dirB: string, opts: { resamples?: number; seed?: number } = {}): Comparison {
  const A = openScoredResults(dirA);
  const B = openScoredResults(dirB);
  checkAligned(A, B);
  const y = targets(A);
  const a = bestLayer(A, 'val');
  const b = bestLayer(B, 'val');
  const pa = Array.from({ length: seedCount(A) }, (_, k) => testPredictions(A, a.layer, k));
  const pb = Array.from({ length: seedCount(B) }, (_, k) => testPredictions(B, b.layer, k));
  return {
    a,
    b,
    clips: y.length,
    seeds: { a: pa.length, b: pb.length },
    bootstrap: pairedBootstrap(pa, pb, y, A.classes.length, { ...opts, uarClasses: commonUarClasses([A, B]) }),
    mcnemar: mcnemar(pa[0], pb[0], y),
  };
}

/** Class ids of the split's clips, from the copied clips.csv labels via rows.json. */
export function targets(r: ScoredResults, split: 'val' | 'test' = 'test'): Int32Array {
  const labels = clipLabels(r);
  const cls = new Map(r.classes.map((c, i) => [c, i]));
  return Int32Array.from(r.predictionRows[split], (i) => {
    const k = cls.get(labels[i]);
    if (k === undefined)
      throw new BioprobeError('probe', 'label-unknown', `clip ${i} has label "${labels[i]}" not in classes.json`, { file: r.dir });
    return k;
  });
}
