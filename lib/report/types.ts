/**
 * What the report reads: results directories (INTERFACE.md, "Results directory") and the manifests
 * they carry. Everything beyond INTERFACE.md's minimum is optional, and the report leaves out what a
 * run did not produce.
 */

/** `features.modelInfo`: what the model zoo knows about a model (all optional). */
export interface ModelInfo {
  id?: string;
  /** Display name (e.g. from an experiment file). */
  name?: string;
  file?: string;
  sha256?: string;
  family?: string;
  params?: number;
  layers?: number;
  width?: number;
  layer0?: string;
  pretraining?: string;
  /** 'PT speech' | 'PT+FT' | 'PT animal' | 'baseline' | ... */
  type?: string;
  randomInit?: boolean;
  [key: string]: unknown;
}

/** The features manifest (`bioprobe.features/1`), copied verbatim into the results manifest. */
export interface FeaturesManifest {
  format?: string;
  model?: string;
  dataset?: string;
  layers?: number;
  dim?: number;
  count?: number;
  modelInfo?: ModelInfo;
  preprocessing?: Record<string, unknown>;
  versions?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The results manifest (`bioprobe.results/1`). */
export interface ResultsManifest {
  format?: string;
  model?: string;
  dataset?: string;
  seeds?: number[];
  protocol?: Record<string, unknown>;
  versions?: Record<string, unknown>;
  features?: FeaturesManifest;
  [key: string]: unknown;
}

/** One row of results.csv. `layerIndex` is null for non-numeric layers such as `fusion`. */
export interface ResultRow {
  model: string;
  dataset: string;
  layer: string;
  layerIndex: number | null;
  seed: string;
  split: string;
  /** UAR in percent (results.csv may hold fractions; they are scaled on load). */
  uar: number;
  /** Accuracy in percent, NaN when absent. */
  accuracy: number;
  epochs: number;
}

/** One row of split.csv. */
export interface SplitRow {
  index: number;
  path: string;
  label: string;
  split: string;
}

/** One row of clips.csv (optional columns NaN / undefined when absent). */
export interface ClipRow {
  index: number;
  path: string;
  label: string;
  status: string;
  /** Clip length in seconds: `duration_s`, else end - start; NaN when unknown. */
  durationS: number;
  /** Native sample rate in Hz, NaN when unknown. */
  sampleRate: number;
}

/** A results directory as loaded from disk. Optional parts are undefined when the files are absent. */
export interface ResultsDir {
  dir: string;
  rows: ResultRow[];
  manifest?: ResultsManifest;
  classes?: string[];
  split?: SplitRow[];
  clips?: ClipRow[];
  /** summary.csv: 95 % bootstrap interval (over test clips) of test UAR in percent, by layer ("3", "fusion"). */
  intervals?: Map<string, { lo: number; hi: number }>;
  /** fusion.json (written by `fuse`): the members (model id, layer) of each fusion variant. */
  fusionMembers?: Map<string, { model: string; layer: number }[]>;
  /** rows.json: the clip index of each predictions row, per split. */
  predictionRows?: { val?: number[]; test?: number[] };
  /** Path of predictions/<name>.<split>.npy when it exists (name `layer_03` or `fusion`). */
  predictions(name: string, split: string): string | undefined;
}
