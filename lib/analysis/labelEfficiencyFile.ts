/**
 * Label efficiency's files (INTERFACE.md Extensions): `label_efficiency.csv`, one row per point and
 * seed (`model,dataset,layer,shots,seed,train_clips,val_uar,test_uar`; shots an integer k or `all`;
 * UAR as fractions, numbers as results/rows.ts resultNumber writes them), and `manifest.json`
 * (`format: bioprobe.labels/1`, `kind: label-efficiency`). The report reads both through
 * readLabelEfficiency.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultNumber } from '../results/rows.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.js';
import { csvNumber, formatCsv, readCsvTable, requireColumns } from '../util/csv.js';
import { BioprobeError } from '../util/errors.js';
import { meanStd, type Protocol } from '../probe/index.js';
import type { Shot } from './labelEfficiencySubsets.js';

export const LABELS_FORMAT = 'bioprobe.labels/1';
export const LABELS_CSV = 'label_efficiency.csv';
export const LABELS_MANIFEST = 'manifest.json';
export const LABEL_COLUMNS = ['model', 'dataset', 'layer', 'shots', 'seed', 'train_clips', 'val_uar', 'test_uar'] as const;

/** One row of label_efficiency.csv: a probe trained on `train_clips` clips (k per class, or the whole train split). */
export interface LabelEfficiencyRow {
  model: string;
  dataset: string;
  layer: number;
  shots: Shot;
  seed: number;
  /** Train clips actually used (a class with fewer than k contributes all it has). */
  train_clips: number;
  val_uar: number;
  test_uar: number;
}

/** manifest.json of a label-efficiency folder. */
export interface LabelEfficiencyManifest {
  format: typeof LABELS_FORMAT;
  kind: 'label-efficiency';
  model: string;
  dataset: string;
  layer: number;
  /** `best-val of <results dir>` or `--layer`. */
  layer_from: string;
  shots: Shot[];
  seeds: number[];
  protocol: Protocol;
  /** As a results manifest records it (probe/runFiles.ts splitRecord). */
  split: { file: string } | { rule: string; seed: number; ratios: number[]; over: string };
  /** Usable clips of each split (train: the whole train split, the `all` point). */
  counts: { train: number; val: number; test: number };
  /** Where the `all` rows come from: the results folder's own rows for the layer, or trained here. */
  all_from: 'results' | 'retrained';
  seconds: number;
  versions: Record<string, string>;
  created: string;
}

/** Write label_efficiency.csv (rows in the given order) and manifest.json into `dir`, atomically each. */
export function writeLabelEfficiency(dir: string, rows: readonly LabelEfficiencyRow[], manifest: LabelEfficiencyManifest): void {
  writeFileAtomic(join(dir, LABELS_CSV), formatCsv(LABEL_COLUMNS, rows, resultNumber));
  writeJsonAtomic(join(dir, LABELS_MANIFEST), manifest);
}

/** A label-efficiency folder as read: the typed rows and the manifest (undefined when absent). */
export interface LabelEfficiencyRead {
  dir: string;
  rows: LabelEfficiencyRow[];
  manifest?: LabelEfficiencyManifest;
}

/** Read a label-efficiency folder; throws (kind `results`) naming the file and line of a bad cell. */
export function readLabelEfficiency(dir: string): LabelEfficiencyRead {
  const file = join(dir, LABELS_CSV);
  const table = readCsvTable(file, { kind: 'results' });
  requireColumns(table, LABEL_COLUMNS, 'a folder written by `bioprobe analyze label-efficiency`');
  const rows = table.rows.map(({ line, cells }): LabelEfficiencyRow => {
    const num = (col: string, integer = false): number => {
      const v = csvNumber(cells[col]);
      if (v === undefined || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
        throw new BioprobeError(
          'results',
          'bad-cell',
          `line ${line}: ${col} must be ${integer ? 'an integer' : 'a number'}, got "${cells[col]}"`,
          { file },
        );
      }
      return v;
    };
    const shots: Shot = cells.shots === 'all' ? 'all' : num('shots', true);
    return {
      model: cells.model,
      dataset: cells.dataset,
      layer: num('layer', true),
      shots,
      seed: num('seed', true),
      train_clips: num('train_clips', true),
      val_uar: num('val_uar'),
      test_uar: num('test_uar'),
    };
  });
  const mfile = join(dir, LABELS_MANIFEST);
  let manifest: LabelEfficiencyManifest | undefined;
  if (existsSync(mfile)) {
    try {
      manifest = JSON.parse(readFileSync(mfile, 'utf8')) as LabelEfficiencyManifest;
    } catch (err) {
      throw new BioprobeError('results', 'bad-manifest', `unreadable manifest.json: ${(err as Error).message}`, { file: mfile });
    }
    if (manifest.format !== LABELS_FORMAT)
      throw new BioprobeError('results', 'bad-manifest', `format is ${JSON.stringify(manifest.format)}, expected "${LABELS_FORMAT}"`, {
        file: mfile,
      });
  }
  return { dir, rows, manifest };
}

/** One point of the curve over seeds (a line with a seed band in a figure). */
export interface LabelEfficiencyPoint {
  model: string;
  layer: number;
  shots: Shot;
  /** Mean over seeds of the clips trained on. */
  train_clips: number;
  seeds: number;
  /** Test UAR: mean, sample std (0 for one seed), lowest and highest seed. */
  test_uar_mean: number;
  test_uar_std: number;
  test_uar_min: number;
  test_uar_max: number;
  val_uar_mean: number;
}

/** The curve per (model, layer, shots), in the rows' order of first appearance: what the report and notebooks plot. */
export function labelEfficiencyCurve(rows: readonly LabelEfficiencyRow[]): LabelEfficiencyPoint[] {
  const groups = new Map<string, LabelEfficiencyRow[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.model, r.layer, r.shots]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const t = g.map((r) => r.test_uar);
    const test = meanStd(t);
    return {
      model: g[0].model,
      layer: g[0].layer,
      shots: g[0].shots,
      train_clips: meanStd(g.map((r) => r.train_clips)).mean,
      seeds: g.length,
      test_uar_mean: test.mean,
      test_uar_std: test.std,
      test_uar_min: Math.min(...t),
      test_uar_max: Math.max(...t),
      val_uar_mean: meanStd(g.map((r) => r.val_uar)).mean,
    };
  });
}
