/**
 * Label efficiency (issue 14 part 3; docs/PROTOCOL.md, "Label efficiency"): test UAR against the
 * number of labelled train clips per class, for one layer of one model. Features directory (+ a probe
 * results folder) -> `label_efficiency.csv` and `manifest.json` (labelEfficiencyFile.ts).
 *
 * Per seed the train clips of each class are put in a seeded order and the k-shot subset is the first
 * k of every class (nested, stratified: labelEfficiencySubsets.ts); each (k, seed) point is one probe
 * trained under the protocol on its subset and scored on the unchanged val and test splits
 * (labelEfficiencyPoints.ts). The `all` point is the results folder's own rows for the layer (same
 * protocol, seeds and split: no retraining), or trained here with `retrainAll`.
 * The layer's standardised rows are loaded once per thread (probe/data.ts loadStack); points run one
 * after the other on one onnxruntime thread each (engine.ts SESSION_THREADS), in this thread or on
 * `threads` worker threads (labelEfficiencyWorkers.ts), with the same numbers either way.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { partition, probeClasses } from '../probe/data.js';
import { SESSION_THREADS } from '../probe/engine.js';
import { openFeatures } from '../probe/features.js';
import { probeRunKey } from '../probe/checkpoint.js';
import { resolveLayers, resolveSplit, splitRecord, withResultsLock } from '../probe/runFiles.js';
import type { Protocol } from '../probe/index.js';
import type { Device } from '../runtime/device.js';
import { UsageError } from '../util/errors.js';
import { VERSION } from '../util/version.js';
import {
  LABELS_FORMAT,
  LABELS_MANIFEST,
  writeLabelEfficiency,
  type LabelEfficiencyManifest,
  type LabelEfficiencyRow,
} from './labelEfficiencyFile.js';
import { PointStore, type PointRecord } from './labelEfficiencyPoints.js';
import { runPoints, type PointContext } from './labelEfficiencyWorkers.js';
import { allRowsFromResults, checkResultsMatch, curveSettings } from './labelEfficiencySource.js';
import { DEFAULT_SHOTS, checkShots, type Shot } from './labelEfficiencySubsets.js';

export interface LabelEfficiencyOptions {
  features: string;
  /** The output folder (locked for the run; reruns with the same settings reuse its finished points). */
  out: string;
  /** A `bioprobe probe` results folder: its best validation layer, protocol, seeds, split and `all` rows. */
  results?: string;
  /** The layer (instead of the results' best validation layer). */
  layer?: number;
  /** Default 1,2,4,8,16,32,all. */
  shots?: readonly Shot[];
  /** First seed and count (default: the results folder's seeds, else 0, 1, 2). */
  seed?: number;
  seeds?: number;
  /** A split file (default: the results folder's split.csv, else the paper's split). */
  split?: string;
  /** Train the `all` point here instead of reusing the results folder's rows. */
  retrainAll?: boolean;
  /** Default: the results folder's protocol, else probe DEFAULT_PROTOCOL. */
  protocol?: Protocol;
  /** Points trained in parallel, one worker thread each (default 1: in this thread); results do not depend on it. */
  threads?: number;
  device?: Device;
  onProgress?: (line: string) => void;
}

export interface LabelEfficiencyResult {
  out: string;
  rows: LabelEfficiencyRow[];
  manifest: LabelEfficiencyManifest;
  trained: number;
  reused: number;
}

/** Run the curve into `o.out` (see the file comment), holding the folder's lock throughout. */
export async function runLabelEfficiency(o: LabelEfficiencyOptions): Promise<LabelEfficiencyResult> {
  checkOut(o.out, o.results);
  return withResultsLock(o.out, o.onProgress, () => curveInto(o));
}

/** Refuse an output folder that holds another kind of folder's manifest (a results or features folder, say): its files would be overwritten. */
function checkOut(out: string, results?: string): void {
  if (results !== undefined && resolve(out) === resolve(results))
    throw new UsageError('--out must not be the --results folder: its manifest.json would be overwritten', {
      hint: 'write the curve into a folder of its own',
    });
  const m = join(out, LABELS_MANIFEST);
  if (!existsSync(m)) return;
  let format: unknown;
  try {
    format = (JSON.parse(readFileSync(m, 'utf8')) as { format?: unknown }).format;
  } catch {
    format = undefined;
  }
  if (format !== LABELS_FORMAT)
    throw new UsageError(
      `--out ${out} holds a manifest.json that is not a label-efficiency one (format ${JSON.stringify(format)}); refusing to overwrite it`,
      { hint: 'write the curve into a folder of its own' },
    );
}

async function curveInto(o: LabelEfficiencyOptions): Promise<LabelEfficiencyResult> {
  const t0 = Date.now();
  const log = o.onProgress ?? (() => {});
  const shots = checkShots('shots', o.shots ?? DEFAULT_SHOTS);
  const fs = openFeatures(o.features);
  const s = curveSettings(o);
  const [layer] = resolveLayers([s.layer], fs);
  const split = resolveSplit(s.splitFile, fs);
  const p = partition(fs, split, s.results?.classes ?? probeClasses(fs));
  if (s.results) checkResultsMatch(s.results, fs, p);
  const reuseAll = shots.includes('all') && !o.retrainAll;
  const allRows = reuseAll ? allRowsFromResults(s, o.protocol !== undefined) : [];
  const device = o.device ?? 'cpu';
  const versions = { bioprobe: VERSION, onnxruntime: ort.env.versions?.common ?? 'unknown', node: process.versions.node };
  const store = PointStore.open(
    o.out,
    probeRunKey({
      features: fs,
      split,
      classes: p.classes,
      layers: [layer],
      stacks: [[layer]],
      seeds: [],
      protocol: s.protocol,
      device,
      sessionThreads: SESSION_THREADS,
      versions: { ...versions, format: LABELS_FORMAT },
    }),
  );
  const trainedShots = shots.filter((k) => k !== 'all' || !reuseAll);
  const todo = trainedShots.flatMap((k) => s.seeds.map((seed) => ({ k, seed }))).filter(({ k, seed }) => !store.get(k, seed));
  log(
    `${fs.model} on ${fs.dataset}, layer ${layer} (${s.layerFrom}): ${p.train.length}/${p.val.length}/${p.test.length} train/val/test clips, ${p.classes.length} classes, shots ${shots.join(',')}, seeds ${s.seeds.join(',')}; ${todo.length} point(s) to train${reuseAll ? ', "all" from the results folder' : ''}`,
  );
  const ctx: PointContext = { features: o.features, split, classes: p.classes, layer, protocol: s.protocol, device: o.device };
  await runPoints(ctx, todo, o.threads ?? 1, (rec, seconds) => {
    store.save(rec);
    log(
      `  shots ${rec.shots} seed ${rec.seed}: ${rec.train_clips} train clips, val UAR ${rec.val_uar.toFixed(4)}, test UAR ${rec.test_uar.toFixed(4)} after ${rec.epochs} epochs, ${seconds.toFixed(1)} s`,
    );
  });
  const rows: LabelEfficiencyRow[] = [];
  for (const k of shots) {
    for (const seed of s.seeds) {
      const base = { model: fs.model, dataset: fs.dataset, layer };
      if (k === 'all' && reuseAll) {
        const a = allRows.find((r) => r.seed === seed)!;
        rows.push({ ...base, shots: 'all', seed, train_clips: p.train.length, val_uar: a.val_uar, test_uar: a.test_uar });
      } else {
        const r: PointRecord = store.get(k, seed)!;
        rows.push({ ...base, shots: k, seed, train_clips: r.train_clips, val_uar: r.val_uar, test_uar: r.test_uar });
      }
    }
  }
  const manifest: LabelEfficiencyManifest = {
    format: LABELS_FORMAT,
    kind: 'label-efficiency',
    model: fs.model,
    dataset: fs.dataset,
    layer,
    layer_from: s.layerFrom,
    shots,
    seeds: s.seeds,
    protocol: s.protocol,
    split: splitRecord(s.splitFile),
    counts: { train: p.train.length, val: p.val.length, test: p.test.length },
    all_from: o.retrainAll ? 'retrained' : 'results',
    seconds: (Date.now() - t0) / 1000,
    versions,
    created: new Date().toISOString(),
  };
  writeLabelEfficiency(o.out, rows, manifest);
  return { out: o.out, rows, manifest, trained: todo.length, reused: reuseAll ? s.seeds.length : 0 };
}
