/**
 * Per-class recall by layer (INTERFACE.md Extensions, `bioprobe.recall/1`): from a probe's results
 * folder, each class's test recall at every layer, mean and sample std over the seeds, from the
 * confusion counts the probe wrote (confusion/layer_XX.test.json and confusion/seed_<s>/...).
 * Classes are ordered by their recall at the best layer (highest mean validation UAR, as `bestLayer`).
 * A class "no layer separates" is one with test clips whose mean test recall stays below `threshold`
 * (default 0.5: fewer than half its test clips right) at every layer; chance is 1/C.
 */
import { bestLayer } from '../probe/index.js';
import { layerIndex, loadResultsDir, manifestSeeds, readConfusion, resultName, seedCount, type ResultsDir } from '../results/index.js';
import { BioprobeError } from '../util/errors.js';
import { mean, sampleStd } from '../util/stats.js';
import { Warnings } from '../util/warnings.js';

export const RECALL_FORMAT = 'bioprobe.recall/1';
/** Default recall a class must reach at some layer to count as separated. */
export const DEFAULT_RECALL_THRESHOLD = 0.5;

/** One class at one layer: mean and sample std (N-1; 0 for one seed) of test recall over `seeds` seeds; `n` its test clips. */
export interface ClassRecallCell {
  layer: number;
  class: string;
  mean: number;
  std: number;
  seeds: number;
  n: number;
}

/** A class no layer separates: its highest mean test recall over layers, and where. */
export interface Unseparated {
  class: string;
  n: number;
  best_recall: number;
  best_layer: number;
}

export interface ClassRecall {
  model: string;
  dataset: string;
  /** The results folder read. */
  results: string;
  layers: number[];
  seeds: number[];
  /** Layer with the highest mean UAR on `best_layer_by` (val; test only when the folder has no val rows). */
  best_layer: number;
  best_layer_by: 'val' | 'test';
  /** Classes by descending mean test recall at the best layer (classes without test clips last). */
  class_order: string[];
  threshold: number;
  /** 1 / number of classes: the recall of guessing uniformly. */
  chance: number;
  cells: ClassRecallCell[];
  unseparated: Unseparated[];
}

export interface ClassRecallOptions {
  threshold?: number;
  warnings?: Warnings;
}

/** Per-class test recall of every layer of a probe's results folder (path or loaded). */
export function classRecall(results: string | ResultsDir, opts: ClassRecallOptions = {}): ClassRecall {
  const threshold = opts.threshold ?? DEFAULT_RECALL_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new BioprobeError('usage', 'recall-threshold', `threshold ${threshold} is not in (0, 1]`);
  const warnings = opts.warnings ?? new Warnings();
  const r = typeof results === 'string' ? loadResultsDir(results, warnings) : results;
  const layers = [...new Set(r.results.map(layerIndex).filter((l): l is number => l !== null))].sort((a, b) => a - b);
  if (layers.length === 0)
    throw new BioprobeError(
      'results',
      'no-layers',
      'results.csv has no per-layer rows (a fusion or weighted probe has no layers to compare)',
      { file: r.dir },
    );
  const seeds = manifestSeeds(r);
  const K = seedCount(r);

  let classes: string[] | undefined;
  const perLayer = new Map<number, { recalls: number[][]; n: number[] }>();
  for (const layer of layers) {
    const recalls: number[][] = [];
    let n: number[] | undefined;
    for (let k = 0; k < K; k++) {
      const c = readConfusion(r.dir, resultName(layer), 'test', k, seeds[k]);
      if (!c) {
        warnings.add(`${r.dir}: no test confusion counts of ${resultName(layer)}${K > 1 ? ` for seed ${seeds[k] ?? k}` : ''}; left out`);
        continue;
      }
      classes ??= c.classes;
      if (c.classes.join('\u0000') !== classes.join('\u0000'))
        throw new BioprobeError('results', 'confusion-classes', "its classes differ from the other confusion files'", { file: c.file });
      const rowSums = c.matrix.map((row) => row.reduce((a, b) => a + b, 0));
      if (n && rowSums.some((s, i) => s !== n![i]))
        throw new BioprobeError('results', 'confusion-counts', "test clips per class differ from the other seeds' or layers'", {
          file: c.file,
        });
      n = rowSums;
      recalls.push(c.matrix.map((row, i) => (rowSums[i] > 0 ? row[i] / rowSums[i] : NaN)));
    }
    if (n) perLayer.set(layer, { recalls, n });
  }
  if (!classes || perLayer.size === 0) {
    throw new BioprobeError('results', 'no-confusion', 'no confusion/layer_XX.test.json files', {
      file: r.dir,
      hint: 'class recall needs a results folder written by `bioprobe probe`',
    });
  }
  if (r.classes && r.classes.join('\u0000') !== classes.join('\u0000'))
    warnings.add(`${r.dir}: classes.json and the confusion files list different classes; the confusion files' are used`);

  const cells: ClassRecallCell[] = [];
  for (const [layer, { recalls, n }] of perLayer) {
    classes.forEach((cls, i) => {
      const v = recalls.map((s) => s[i]).filter((x) => !Number.isNaN(x));
      cells.push({
        layer,
        class: cls,
        mean: v.length ? mean(v) : NaN,
        std: v.length > 1 ? sampleStd(v) : v.length ? 0 : NaN,
        seeds: v.length,
        n: n[i],
      });
    });
  }
  const used = [...perLayer.keys()];
  const by: 'val' | 'test' = r.results.some((x) => x.split === 'val' && layerIndex(x) !== null) ? 'val' : 'test';
  const best = bestLayer(r, by).layer;
  const at = (layer: number, cls: string) => cells.find((c) => c.layer === layer && c.class === cls)!;
  const bestLayerUsed = perLayer.has(best) ? best : used[0];
  const order = classes
    .map((c, i) => ({ c, i, v: at(bestLayerUsed, c).mean }))
    .sort((a, b) => (Number.isNaN(a.v) ? 1 : 0) - (Number.isNaN(b.v) ? 1 : 0) || b.v - a.v || a.i - b.i)
    .map((e) => e.c);
  const unseparated: Unseparated[] = [];
  for (const cls of order) {
    const own = cells.filter((c) => c.class === cls && !Number.isNaN(c.mean));
    if (own.length === 0) continue; // no test clips: nothing to separate
    const top = own.reduce((a, b) => (b.mean > a.mean ? b : a));
    if (top.mean < threshold) unseparated.push({ class: cls, n: top.n, best_recall: top.mean, best_layer: top.layer });
  }
  return {
    model: String(r.manifest?.model ?? r.results[0].model),
    dataset: String(r.manifest?.dataset ?? r.results[0].dataset),
    results: r.dir,
    layers: used,
    seeds: seeds.length ? seeds.slice(0, K) : [...new Set(r.results.map((x) => Number(x.seed)))],
    best_layer: bestLayerUsed,
    best_layer_by: by,
    class_order: order,
    threshold,
    chance: 1 / classes.length,
    cells,
    unseparated,
  };
}
