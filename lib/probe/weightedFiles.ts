/**
 * The weighted probe's results folder, in `bioprobe probe`'s conventions (docs/PROTOCOL.md, "Results
 * directory") so that readers of probe results take it as they are: results.csv, summary.csv and
 * history.csv with `layer` = `all-weighted` (a name, not a layer number: readers that pick the best
 * layer skip it), predictions/all-weighted.<val|test>.npy and confusion/all-weighted.<val|test>.json
 * (later seeds under seed_<s>/), classes.json, rows.json, split.csv, clips.csv, and manifest.json
 * (`kind: weighted-probe`). Its own file: layer_weights.csv, tidy, one row per seed, epoch and mixed
 * layer with softmax(w) (`weight`) and w (`logit`) after that epoch; `selected` is 1 on the rows of the
 * epoch whose weights scored val and test (the learned mix to plot), 0 on the others (its trajectory).
 */
import * as ort from 'onnxruntime-node';
import type { SplitName } from '../datasets/split.js';
import type { Device } from '../runtime/device.js';
import { VERSION } from '../util/version.js';
import type { Partition } from './data.js';
import type { FeatureSet } from './features.js';
import type { Protocol } from './protocol.js';
import {
  RESULTS_FILES,
  RESULTS_FORMAT,
  writeHistoryCsv,
  writeLayerWeightsCsv,
  writeResultsCsv,
  writeResultsManifest,
  writeSplitOutputs,
  writeSummaryCsv,
  type HistoryRow,
  type LayerWeightRow,
  type ResultRow,
} from '../results/index.js';
import { splitRecord, writeClipFiles } from './runFiles.js';
import type { WeightedOutcome } from './weightedTrainer.js';

/** The name of the weighted probe in results (results.csv `layer`, predictions/<name>.<split>.npy): not a layer number. */
export const WEIGHTED_NAME = 'all-weighted';

/** One seed's weighted probe: the outcome (scores, posteriors, history, softmax weights per layer) and its time. */
export interface WeightedSeed extends WeightedOutcome {
  seed: number;
  seconds: number;
}

export interface WeightedProbeResult {
  name: typeof WEIGHTED_NAME;
  model: string;
  dataset: string;
  /** The mixed layers; `weights` arrays follow this order. */
  layers: number[];
  classes: string[];
  /** Clip indices of the val and test posterior rows. */
  rows: { val: number[]; test: number[] };
  seeds: WeightedSeed[];
  /** softmax(w) per layer over seeds: mean and sample std (0 for one seed). */
  weights: { mean: number[]; std: number[] };
  /** Over seeds: test UAR mean, sample std and 95 % bootstrap interval (as summary.csv), mean val UAR. */
  summary: {
    seeds: number;
    test_uar_mean: number;
    test_uar_std: number;
    test_uar_ci_low: number;
    test_uar_ci_high: number;
    val_uar_mean: number;
  };
  /** Bytes of standardised rows held (layers x clips x D x 4). */
  featureBytes: number;
  out?: string;
  seconds: number;
}

export const LAYER_WEIGHTS_FILE = RESULTS_FILES.layerWeights;

export interface WeightedRunContext {
  fs: FeatureSet;
  split: readonly SplitName[];
  p: Partition;
  protocol: Protocol;
  device: Device;
  sessionThreads: number;
  /** The split file given, if any (else the paper's split). */
  splitFile?: string;
  classesGiven: boolean;
}

/** Write every file of the weighted probe's results folder `out` (see the file comment). */
export function writeWeightedResults(out: string, r: WeightedProbeResult, c: WeightedRunContext): void {
  const { fs, p, protocol } = c;
  const C = p.classes.length;
  const rows: ResultRow[] = [];
  const history: HistoryRow[] = [];
  const weights: LayerWeightRow[] = [];
  r.seeds.forEach((s, si) => {
    for (const split of ['val', 'test'] as const) {
      const sc = s[split];
      writeSplitOutputs(out, r.name, split, si, s.seed, sc.posteriors, C, sc.confusion, p.classes);
      rows.push({
        model: fs.model,
        dataset: fs.dataset,
        layer: r.name,
        seed: s.seed,
        split,
        uar: sc.uar,
        accuracy: sc.accuracy,
        epochs: s.epochs,
        best_epoch: s.bestEpoch,
        selected_epoch: s.selectedEpoch,
        select: protocol.select,
        loss: sc.loss,
        n: sc.pred.length,
      });
    }
    for (const h of s.history)
      history.push({
        layer: r.name,
        seed: s.seed,
        epoch: h.epoch,
        train_loss: h.trainLoss,
        val_loss: h.valLoss,
        val_uar: h.valUar,
        lr: h.lr,
      });
    for (const h of s.history) {
      r.layers.forEach((layer, l) =>
        weights.push({
          layer,
          seed: s.seed,
          epoch: h.epoch,
          selected: h.epoch === s.selectedEpoch ? 1 : 0,
          weight: h.weights[l],
          logit: h.logits[l],
        }),
      );
    }
  });
  writeResultsCsv(out, rows);
  writeSummaryCsv(out, [{ model: fs.model, dataset: fs.dataset, layer: r.name, ...r.summary }]);
  writeHistoryCsv(out, history);
  writeLayerWeightsCsv(out, weights);
  writeClipFiles(out, fs, c.split, p);
  const nRows = p.train.length + p.val.length + p.test.length;
  writeResultsManifest(out, {
    format: RESULTS_FORMAT,
    kind: 'weighted-probe',
    name: r.name,
    model: fs.model,
    dataset: fs.dataset,
    created: new Date().toISOString(),
    probe:
      "softmax(w)-weighted sum of the layers' standardised pooled vectors, then the paper's MLP; w starts at 0 (uniform) and trains with the MLP (docs/PROTOCOL.md)",
    protocol,
    seeds: r.seeds.map((s) => s.seed),
    layers: r.layers,
    layer_weights: { file: LAYER_WEIGHTS_FILE, mean: r.weights.mean, std: r.weights.std },
    classes: C,
    classes_from: c.classesGiven ? '--classes' : fs.classes ? 'features classes.json' : 'labels of the ok clips',
    split: splitRecord(c.splitFile),
    counts: { train: p.train.length, val: p.val.length, test: p.test.length, excluded: fs.count - nRows },
    device: c.device,
    threads_per_worker: c.sessionThreads,
    feature_bytes: r.featureBytes,
    seconds: r.seconds,
    versions: { bioprobe: VERSION, onnxruntime: ort.env.versions?.common ?? 'unknown', node: process.versions.node },
    features: fs.manifest,
  });
}
