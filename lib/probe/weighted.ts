/**
 * The weighted probe as a run (docs/PROTOCOL.md, "All layers, learned mix"): features directory ->
 * one probe per seed on the softmax-weighted sum of the chosen layers' standardised pooled vectors,
 * scored as `bioprobe probe` scores a layer, and the learned layer weights. With `out` it writes a
 * results folder in `bioprobe probe`'s conventions under the name `all-weighted` (weightedFiles.ts).
 *
 * Memory: every chosen layer's standardised rows of all three parts are held at once (the mix needs
 * all layers of a batch): layers x usable clips x D x 4 bytes, loaded once by data.ts loadStack (one
 * layer file at a time, in chunks, standardised in place) and fed to onnxruntime without a copy; the
 * training graph gathers one batch [layers, 16, D] at a time, evaluation builds the [n, D] mix only.
 * Seeds run one after the other on one onnxruntime thread (engine.ts SESSION_THREADS), in this thread.
 */
import { SESSION_THREADS, type ProbeSessionOptions } from './engine.js';
import { loadStack, partition, probeClasses } from './data.js';
import { openFeatures } from './features.js';
import type { Protocol } from './protocol.js';
import { resolveLayers, resolveSplit, withResultsLock } from './runFiles.js';
import { bootstrapUar, meanStd } from './stats.js';
import { trainWeighted } from './weightedTrainer.js';
import { WEIGHTED_NAME, writeWeightedResults, type WeightedProbeResult, type WeightedSeed } from './weightedFiles.js';

export { WEIGHTED_NAME, type WeightedProbeResult, type WeightedSeed };

export interface WeightedProbeOptions {
  features: string;
  /** A split file (INTERFACE.md); default: the paper's split (seed 42, 70:20:10) over clips.csv. */
  split?: string;
  /** The class map (output i = class i); default: the features' classes.json, else the labels in order. */
  classes?: string[];
  /** Layers to mix (default: every layer of the features, layer 0 included). */
  layers?: number[];
  seed: number;
  seeds: number;
  protocol: Protocol;
  device?: ProbeSessionOptions['device'];
  /** A results folder to write (locked for the run); none: results are only returned. */
  out?: string;
  /** Bootstrap resamples for the summary interval (default 1000). */
  resamples?: number;
  onProgress?: (message: string, kind: 'run' | 'epoch') => void;
}

/** Train the weighted probe for each seed (see the file comment); write `o.out` when given. */
export async function runWeightedProbe(o: WeightedProbeOptions): Promise<WeightedProbeResult> {
  if (!o.out) return weightedRun(o);
  return withResultsLock(
    o.out,
    (line) => o.onProgress?.(line, 'run'),
    () => weightedRun(o),
  );
}

async function weightedRun(o: WeightedProbeOptions): Promise<WeightedProbeResult> {
  const t0 = Date.now();
  const log = o.onProgress ?? (() => {});
  const fs = openFeatures(o.features);
  const split = resolveSplit(o.split, fs);
  const p = partition(fs, split, probeClasses(fs, o.classes));
  const layers = resolveLayers(o.layers, fs);
  const nRows = p.train.length + p.val.length + p.test.length;
  const featureBytes = layers.length * nRows * fs.dim * 4;
  const seeds = Array.from({ length: o.seeds }, (_, k) => o.seed + k);
  log(
    `${fs.model} on ${fs.dataset}: weighted probe over layers ${layers.join(',')}, ${p.train.length}/${p.val.length}/${p.test.length} train/val/test clips, ${p.classes.length} classes, seeds ${seeds.join(',')}; ${(featureBytes / 2 ** 20).toFixed(0)} MiB of standardised rows`,
    'run',
  );
  const stack = loadStack(fs, p, layers);
  const runs: WeightedSeed[] = [];
  for (const seed of seeds) {
    const t = Date.now();
    const r = await trainWeighted(stack, {
      seed,
      protocol: o.protocol,
      device: o.device,
      onEpoch: (epoch, [rec]) => log(`  weighted seed ${seed} epoch ${epoch}: val UAR ${rec!.valUar.toFixed(3)}`, 'epoch'),
    });
    runs.push({ ...r, seed, seconds: (Date.now() - t) / 1000 });
    log(
      `  weighted seed ${seed}: test UAR ${r.test.uar.toFixed(4)} after ${r.epochs} epochs, ${((Date.now() - t) / 1000).toFixed(1)} s; weights ${r.weights.map((w) => w.toFixed(3)).join(' ')}`,
      'run',
    );
  }
  const yTest = Int32Array.from(p.test, (i) => p.y[i]);
  const test = meanStd(runs.map((r) => r.test.uar));
  const ci = bootstrapUar(
    runs.map((r) => r.test.pred),
    yTest,
    p.classes.length,
    { resamples: o.resamples ?? 1000, seed: o.seed, uarClasses: o.protocol.uarClasses },
  );
  const per = layers.map((_, l) => meanStd(runs.map((r) => r.weights[l])));
  const result: WeightedProbeResult = {
    name: WEIGHTED_NAME,
    model: fs.model,
    dataset: fs.dataset,
    layers,
    classes: p.classes,
    rows: { val: Array.from(p.val), test: Array.from(p.test) },
    seeds: runs,
    weights: { mean: per.map((s) => s.mean), std: per.map((s) => s.std) },
    summary: {
      seeds: seeds.length,
      test_uar_mean: test.mean,
      test_uar_std: test.std,
      test_uar_ci_low: ci.low,
      test_uar_ci_high: ci.high,
      val_uar_mean: meanStd(runs.map((r) => r.val.uar)).mean,
    },
    featureBytes,
    out: o.out,
    seconds: 0,
  };
  result.seconds = (Date.now() - t0) / 1000;
  if (o.out)
    writeWeightedResults(o.out, result, {
      fs,
      split,
      p,
      protocol: o.protocol,
      device: o.device ?? 'cpu',
      sessionThreads: SESSION_THREADS,
      splitFile: o.split,
      classesGiven: !!o.classes,
    });
  return result;
}
