/**
 * What the runner needs from the other stages, as one injectable interface: the real implementation
 * (defaultStages.ts) calls lib/datasets, lib/models, lib/features, lib/probe, lib/fusion and lib/report;
 * tests inject their own to check planning and caching without running models.
 */
import type { ResamplerChoice } from '../audio/resampler.js';
import type { Dataset } from '../datasets/types.js';
import type { Experiment, ExperimentModel } from './load.js';
import type { CkaSettings, LabelSettings, ProbeSettings, SplitSettings } from './presets.js';

/** A model ready for extraction, with the fingerprint that keys its stages. */
export interface ResolvedModel {
  name: string;
  model: ExperimentModel;
  /** sha256 of the ONNX file, or a hash of a baseline's settings and implementation version. */
  fingerprint: string;
  /** The ONNX file extraction reads (absent for baselines). */
  path?: string;
  /** One line for logs and the report: what this model is. */
  describe: string;
}

export interface ReportOutput {
  html: string;
  pdf?: string;
  /** Why no PDF was written, when none was. */
  pdfNote?: string;
}

export interface Stages {
  /** Load a dataset; `classes` replaces its class map (every label must be in it). */
  loadDataset(spec: string, o: { cacheDir: string; classes?: string[] }): Promise<Dataset>;
  resolveModel(model: ExperimentModel, o: { cacheDir: string }): Promise<ResolvedModel>;
  /** Write the split file (INTERFACE.md: index,path,label,split) for `dataset`. */
  split(o: { dataset: Dataset; settings: SplitSettings; out: string }): Promise<void>;
  /** Write a features folder (INTERFACE.md) into `out`; may resume a started one. */
  extract(o: {
    model: ResolvedModel;
    dataset: Dataset;
    out: string;
    threads: number;
    device: 'cpu' | 'cuda';
    limit?: number;
    cacheDir: string;
    /** Resampling engine choice, and whether an inexact one is refused (the paper protocol). */
    resampler: ResamplerChoice;
    requireExactResampler: boolean;
  }): Promise<void>;
  /** Write a results folder (INTERFACE.md) into `out`. */
  probe(o: {
    features: string;
    split: string;
    out: string;
    settings: ProbeSettings;
    threads: number;
    device: 'cpu' | 'cuda';
    classes: string[];
  }): Promise<void>;
  /** Write the weighted probe's results folder (all layers, learned mix; layer `all-weighted`) into `out`. */
  weighted(o: {
    features: string;
    split: string;
    out: string;
    settings: ProbeSettings;
    device: 'cpu' | 'cuda';
    classes: string[];
  }): Promise<void>;
  /** Write per-class test recall by layer of the probe results folder `results` into `out`. */
  recall(o: { results: string; out: string }): Promise<void>;
  /** Write the label-efficiency curve of a model (its best validation layer in `results`) into `out`. */
  labels(o: {
    features: string;
    results: string;
    split: string;
    out: string;
    settings: ProbeSettings;
    labels: LabelSettings;
    threads: number;
    device: 'cpu' | 'cuda';
    classes: string[];
  }): Promise<void>;
  /** Write the layer similarity (cka.json, cka.csv) of one dataset's models' features into `out`. */
  cka(o: { features: { dir: string; name: string }[]; out: string; settings: CkaSettings; threads: number }): Promise<void>;
  /** Fuse the best layers of several results folders of one dataset into `out`. */
  fuse(o: { results: string[]; out: string }): Promise<void>;
  /** Render the report from results folders (models, fusions, weighted probes) and analysis folders into `out`. */
  report(o: { results: string[]; out: string; experiment: Experiment; models: ResolvedModel[] }): Promise<ReportOutput>;
}
