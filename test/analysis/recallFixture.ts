/**
 * A probe results folder built from tools/make_class_recall_reference.py's fixture (scikit-learn's
 * per-class recall of the same predictions is the expectation): results.csv with the fixture's val
 * UARs, manifest.json with the seeds, classes.json, and each layer's and seed's test posteriors and
 * confusion counts written by results/'s own writer (one-hot posteriors of the fixture's predictions).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultName, writeResultsCsv, writeSplitOutputs, type ResultRow } from '../../lib/results/index.js';

export interface RecallReference {
  classes: string[];
  layers: number[];
  seeds: number[];
  y_true: number[];
  predictions: Record<string, number[]>;
  val_uar: Record<string, number>;
  threshold: number;
  expected: {
    cells: { layer: number; class: string; mean: number | null; std: number | null; n: number }[];
    best_layer: number;
    class_order: string[];
    unseparated: { class: string; best_recall: number; best_layer: number }[];
  };
}

export const RECALL_REFERENCE: RecallReference = JSON.parse(
  readFileSync(new URL('../fixtures/analysis/recall/reference.json', import.meta.url), 'utf8'),
);

/** Write the fixture's results folder into `dir` as model `model` of dataset `dataset`. */
export function writeRecallResults(dir: string, model = 'hubert-base', dataset = 'folder:/data/demo'): string {
  const ref = RECALL_REFERENCE;
  const C = ref.classes.length;
  mkdirSync(dir, { recursive: true });
  const rows: ResultRow[] = [];
  for (const layer of ref.layers) {
    ref.seeds.forEach((seed, k) => {
      const pred = ref.predictions[`${layer}/${seed}`];
      const post = new Float32Array(pred.length * C);
      const conf = new Int32Array(C * C);
      pred.forEach((p, i) => {
        post[i * C + p] = 1;
        conf[ref.y_true[i] * C + p]++;
      });
      writeSplitOutputs(dir, resultName(layer), 'test', k, seed, post, C, conf, ref.classes);
      rows.push({ model, dataset, layer, seed, split: 'val', uar: ref.val_uar[`${layer}/${seed}`], accuracy: NaN });
      rows.push({ model, dataset, layer, seed, split: 'test', uar: 0.5, accuracy: NaN });
    });
  }
  writeResultsCsv(dir, rows);
  writeFileSync(join(dir, 'classes.json'), JSON.stringify(ref.classes) + '\n');
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ format: 'bioprobe.results/1', kind: 'probe', model, dataset, seeds: ref.seeds, classes: C, protocol: {} }) + '\n',
  );
  return dir;
}
