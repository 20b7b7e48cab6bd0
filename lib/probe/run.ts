/**
 * `bioprobe probe`: features directory -> results directory. Phases: open the features; split (a split
 * file, or the paper's split over every clip of clips.csv, then non-ok clips dropped); plan layer stacks
 * and workers (plan.ts); skip the (stack, seed) runs an interrupted run into the same folder already
 * finished (checkpoint.ts); per stack load the standardised rows once and train every seed; write
 * predictions, confusion matrices, results.csv, summary.csv (seed statistics, bootstrap intervals),
 * history.csv, split.csv, classes.json, rows.json, clips.csv (copied) and manifest.json.
 */
import * as ort from 'onnxruntime-node';
import type { SplitName } from '../datasets/split.js';
import {
  RESULTS_FORMAT,
  resultName,
  writeHistoryCsv,
  writeResultsCsv,
  writeResultsManifest,
  writeSplitOutputs,
  writeSummaryCsv,
  type HistoryRow,
  type ResultRow,
  type SummaryRow,
} from '../results/index.js';
import { VERSION } from '../util/version.js';
import { partition, probeClasses } from './data.js';
import { planWork } from './plan.js';
import { runTasks } from './stackWorkers.js';
import type { StackTask, TaskContext } from './tasks.js';
import { Checkpoint, probeRunKey, type SeedRecord } from './checkpoint.js';
import { openFeatures } from './features.js';
import { resolveLayers, resolveSplit, splitRecord, withResultsLock, writeClipFiles } from './runFiles.js';
import type { Protocol } from './protocol.js';
import type { Device as ProbeDevice } from '../runtime/device.js';
import { bootstrapUar, meanStd } from './stats.js';
import type { EpochRecord } from './trainer.js';

export interface ProbeRunOptions {
  features: string;
  out: string;
  /** A split file (INTERFACE.md); default: the paper's split (seed 42, 70:20:10) over clips.csv. */
  split?: string;
  /** The class map (output i = class i); default: the features' classes.json, else the labels in order. */
  classes?: string[];
  layers?: number[];
  seed: number;
  seeds: number;
  protocol: Protocol;
  /** CPU threads in all (default: every core): stacks trained at once, one thread each (plan.ts); results do not depend on it. */
  threads?: number;
  device?: ProbeDevice;
  /** Bytes the stacked feature buffers may use at once, over all workers (stack size follows). */
  memoryBudget?: number;
  /** Most layers per stack (one graph); default from the feature size and device (plan.ts). */
  stack?: number;
  /** Bootstrap resamples for summary intervals. */
  resamples?: number;
  /** Progress lines: 'epoch' lines are frequent (one per epoch and stack), 'run' lines are a few per stack. */
  onProgress?: (message: string, kind: 'run' | 'epoch') => void;
}

export interface ProbeRunSummary {
  out: string;
  results: ResultRow[];
  summary: SummaryRow[];
  seconds: number;
}

export const DEFAULT_MEMORY_BUDGET = 4 * 1024 ** 3;

/**
 * Run the probe into `o.out`, holding the folder's lock (util/lock.ts) throughout: a second run into
 * the same folder is refused naming this one's pid; a lock left by a killed run is taken over.
 */
export async function runProbe(o: ProbeRunOptions): Promise<ProbeRunSummary> {
  return withResultsLock(
    o.out,
    (line) => o.onProgress?.(line, 'run'),
    () => probeInto(o),
  );
}

async function probeInto(o: ProbeRunOptions): Promise<ProbeRunSummary> {
  const t0 = Date.now();
  const fs = openFeatures(o.features);
  const split: SplitName[] = resolveSplit(o.split, fs);
  const p = partition(fs, split, probeClasses(fs, o.classes));
  const C = p.classes.length;
  const layers = resolveLayers(o.layers, fs);
  const nRows = p.train.length + p.val.length + p.test.length;
  const plan = planWork({
    layers,
    rowsPerLayer: nRows,
    D: fs.dim,
    budget: o.memoryBudget ?? DEFAULT_MEMORY_BUDGET,
    device: o.device ?? 'cpu',
    threads: o.threads,
    stack: o.stack,
  });
  const { stacks } = plan;
  const seeds = Array.from({ length: o.seeds }, (_, k) => o.seed + k);
  const rows: ResultRow[] = [];
  const history: HistoryRow[] = [];
  // per layer, by seed index (seeds may finish in any order, or come from a checkpoint)
  const testPreds = new Map<number, Int32Array[]>();
  const valUars = new Map<number, number[]>();
  const yTest = Int32Array.from(p.test, (i) => p.y[i]);
  const log = o.onProgress ?? (() => {});
  const take = (r: SeedRecord) => {
    rows.push(...r.rows);
    history.push(...r.history);
    r.layers.forEach((layer, k) => {
      if (!testPreds.has(layer)) {
        testPreds.set(layer, []);
        valUars.set(layer, []);
      }
      testPreds.get(layer)![r.seedIndex] = Int32Array.from(r.testPreds[k]);
      valUars.get(layer)![r.seedIndex] = r.valUars[k];
    });
  };
  const versions = { bioprobe: VERSION, onnxruntime: ort.env.versions?.common ?? 'unknown', node: process.versions.node };
  const checkpoint = Checkpoint.open(
    o.out,
    probeRunKey({
      features: fs,
      split,
      classes: p.classes,
      layers,
      stacks,
      seeds,
      protocol: o.protocol,
      device: o.device ?? 'cpu',
      sessionThreads: plan.threadsPerWorker,
      versions: { ...versions, format: RESULTS_FORMAT },
    }),
  );
  const tasks: StackTask[] = [];
  stacks.forEach((stack, id) => {
    const todo = seeds
      .map((seed, index) => ({ index, seed }))
      .filter(({ index }) => {
        const done = checkpoint.get(id, index);
        if (done) take(done);
        return !done;
      });
    if (todo.length > 0) tasks.push({ id, layers: stack, seeds: todo });
  });
  log(
    `${fs.model} on ${fs.dataset}: ${p.train.length}/${p.val.length}/${p.test.length} train/val/test clips, ${C} classes, layers ${layers.join(',')} in ${stacks.length} stack(s) on ${plan.workers} worker(s) x ${plan.threadsPerWorker} thread(s), seeds ${seeds.join(',')}`,
    'run',
  );
  if (checkpoint.size > 0)
    log(`  resuming: ${checkpoint.size} of ${stacks.length * seeds.length} stack-seed runs already done in ${o.out}`, 'run');
  const ctx: TaskContext = { features: o.features, split, classes: p.classes, protocol: o.protocol, session: { device: o.device } };
  await runTasks(
    ctx,
    tasks,
    plan.workers,
    {
      onEpoch: (task, seed, epoch, vu) =>
        log(
          `  layers ${task.layers.join(',')} seed ${seed} epoch ${epoch}: val UAR ${vu.map((u) => (u === null ? '-' : u.toFixed(3))).join(' ')}`,
          'epoch',
        ),
      onSeed: ({ task, seedIndex: si, seed, outcomes, seconds }) => {
        const stack = stacks[task];
        const record: SeedRecord = { task, seedIndex: si, seed, layers: stack, rows: [], history: [], testPreds: [], valUars: [] };
        outcomes.forEach((oc, k) => {
          const layer = stack[k];
          for (const split of ['val', 'test'] as const) {
            const s = oc[split];
            writeSplitOutputs(o.out, resultName(layer), split, si, seed, s.posteriors, C, s.confusion, p.classes);
            record.rows.push({
              model: fs.model,
              dataset: fs.dataset,
              layer,
              seed,
              split,
              uar: s.uar,
              accuracy: s.accuracy,
              epochs: oc.epochs,
              best_epoch: oc.bestEpoch,
              selected_epoch: oc.selectedEpoch,
              select: o.protocol.select,
              loss: s.loss,
              n: s.pred.length,
            });
          }
          record.testPreds.push(Array.from(oc.test.pred));
          record.valUars.push(oc.val.uar);
          oc.history.forEach((h: EpochRecord) =>
            record.history.push({ layer, seed, epoch: h.epoch, train_loss: h.trainLoss, val_loss: h.valLoss, val_uar: h.valUar, lr: h.lr }),
          );
        });
        checkpoint.save(record);
        take(record);
        log(`  layers ${stack.join(',')} seed ${seed}: ${seconds.toFixed(1)} s`, 'run');
      },
    },
    { fs, p },
  );
  rows.sort(
    (a, b) => Number(a.seed) - Number(b.seed) || Number(a.layer) - Number(b.layer) || String(a.split).localeCompare(String(b.split)),
  );
  const summary = layers.map((layer): SummaryRow => {
    const tu = rows.filter((r) => r.layer === layer && r.split === 'test').map((r) => Number(r.uar));
    const { mean, std } = meanStd(tu);
    const ci = bootstrapUar(testPreds.get(layer)!, yTest, C, {
      resamples: o.resamples ?? 1000,
      seed: o.seed,
      uarClasses: o.protocol.uarClasses,
    });
    return {
      model: fs.model,
      dataset: fs.dataset,
      layer,
      seeds: seeds.length,
      test_uar_mean: mean,
      test_uar_std: std,
      test_uar_ci_low: ci.low,
      test_uar_ci_high: ci.high,
      val_uar_mean: meanStd(valUars.get(layer)!).mean,
    };
  });
  writeResultsCsv(o.out, rows);
  writeSummaryCsv(o.out, summary);
  // stacks finish in any order on several workers: files list rows by layer, seed, epoch
  history.sort((a, b) => Number(a.layer) - Number(b.layer) || a.seed - b.seed || a.epoch - b.epoch);
  writeHistoryCsv(o.out, history);
  writeClipFiles(o.out, fs, split, p);
  const seconds = (Date.now() - t0) / 1000;
  writeResultsManifest(o.out, {
    format: RESULTS_FORMAT,
    kind: 'probe',
    model: fs.model,
    dataset: fs.dataset,
    created: new Date().toISOString(),
    protocol: o.protocol,
    seeds,
    layers,
    stacks,
    workers: plan.workers,
    threads_per_worker: plan.threadsPerWorker,
    classes: C,
    classes_from: o.classes ? '--classes' : fs.classes ? 'features classes.json' : 'labels of the ok clips',
    split: splitRecord(o.split),
    counts: { train: p.train.length, val: p.val.length, test: p.test.length, excluded: fs.count - nRows },
    device: o.device ?? 'cpu',
    threads: o.threads ?? 0,
    seconds,
    versions,
    features: fs.manifest,
  });
  checkpoint.finish();
  return { out: o.out, results: rows, summary, seconds };
}
