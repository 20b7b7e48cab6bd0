/**
 * The rows of a results folder's CSV and JSON files, and their columns: one type per file, used by its
 * writers (probe, fuse) and its one reader (read.ts). UAR and accuracy are fractions (0-1) in the files.
 */

/** results.csv: INTERFACE.md's columns first (`model,dataset,layer,seed,split,uar,accuracy,epochs`), then bioprobe's. */
export const RESULT_COLUMNS = [
  'model',
  'dataset',
  'layer',
  'seed',
  'split',
  'uar',
  'accuracy',
  'epochs',
  'best_epoch',
  'selected_epoch',
  'select',
  'loss',
  'n',
] as const;

/** The columns a results.csv must have to be read at all (other tools' files may have only these). */
export const RESULT_COLUMNS_REQUIRED = ['model', 'dataset', 'layer', 'seed', 'split', 'uar'] as const;

/** Fusion variants `fuse` writes as the layer of its rows (PROTOCOL.md): chosen on validation, and the paper's test-chosen one. */
export const FUSION_VARIANTS = ['fusion', 'fusion-test-chosen'] as const;

/** One row of results.csv (a layer or fusion variant, a seed, a split). */
export interface ResultRow {
  model: string;
  dataset: string;
  /** A probe's layer index, or a fusion variant (FUSION_VARIANTS; other tools: any name). */
  layer: number | string;
  /** The probe seed; '' when a file gives none. */
  seed: number | string;
  /** `val` or `test`. */
  split: string;
  /** UAR as a fraction. */
  uar: number;
  /** Accuracy as a fraction; NaN when a file has none. */
  accuracy: number;
  /** Epochs trained (absent for fusion rows and files without the column). */
  epochs?: number;
  best_epoch?: number;
  selected_epoch?: number;
  /** Which weights were scored (`best-val`, `last`) or how the fused layers were chosen. */
  select?: string;
  loss?: number;
  /** Clips scored. */
  n?: number;
}

/** The layer index of a row; null for a fusion variant or any other non-numeric layer. */
export function layerIndex(row: ResultRow): number | null {
  return typeof row.layer === 'number' ? row.layer : null;
}

/** summary.csv: per layer over seeds, test UAR's mean, std and 95 % bootstrap interval over test clips. */
export const SUMMARY_COLUMNS = [
  'model',
  'dataset',
  'layer',
  'seeds',
  'test_uar_mean',
  'test_uar_std',
  'test_uar_ci_low',
  'test_uar_ci_high',
  'val_uar_mean',
] as const;
export type SummaryRow = { model: string; dataset: string; layer: number | string } & Record<
  Exclude<(typeof SUMMARY_COLUMNS)[number], 'model' | 'dataset' | 'layer'>,
  number
>;

/** history.csv: per layer, seed and epoch. */
export const HISTORY_COLUMNS = ['layer', 'seed', 'epoch', 'train_loss', 'val_loss', 'val_uar', 'lr'] as const;
export type HistoryRow = { layer: number | string } & Record<Exclude<(typeof HISTORY_COLUMNS)[number], 'layer'>, number>;

/** layer_weights.csv (the weighted probe): per seed, epoch and mixed layer, softmax(w) and w; `selected` 1 on the scored epoch's rows. */
export const LAYER_WEIGHT_COLUMNS = ['layer', 'seed', 'epoch', 'selected', 'weight', 'logit'] as const;
export type LayerWeightRow = Record<(typeof LAYER_WEIGHT_COLUMNS)[number], number>;

/** rows.json: the clip index (row of clips.csv) of each posteriors row, per scored split. */
export interface SplitRows {
  val: number[];
  test: number[];
}

/** fusion.json: one entry per variant, the fused members (model id, layer) first; `fuse` adds its scores. */
export interface FusionRecord {
  variant: string;
  members: { model: string; layer: number }[];
}

/** How results files write numbers: integers as they are, others to 6 significant digits (toPrecision). */
export function resultNumber<T>(v: T): T | string {
  return typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(6) : v;
}
