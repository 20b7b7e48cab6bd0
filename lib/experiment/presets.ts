/**
 * Protocol presets (SPEC.md). `paper` is what the paper's code did; `default` is bioprobe's cleaner
 * protocol. An experiment file's explicit fields override its preset's values.
 */

export type ProtocolName = 'paper' | 'default';

export interface SplitSettings {
  seed: number;
  ratios: [number, number, number];
  stratified: boolean;
}

export interface ProbeSettings {
  seed: number;
  seeds: number;
  /** `last`: evaluate the final weights (the paper's code); `best-val`: the best-validation weights. */
  select: 'best-val' | 'last';
  /** UAR over the classes present (torchmetrics >= 1.0) or over all C (torchmetrics 0.11, the paper's environment). */
  uarClasses: 'present' | 'all';
  /** Layer list (`0-12`); undefined = every layer the features have. */
  layers?: string;
}

/** Label efficiency settings (lib/analysis, docs/PROTOCOL.md "Label efficiency"). */
export interface LabelSettings {
  /** Training clips per class; `all` = the whole training part (taken from the probe's own results). */
  shots: (number | 'all')[];
  /** Seeds per point (each picks the nested subsets and the probe's init). */
  seeds: number;
}

/** Layer similarity settings (lib/analysis, docs/ANALYSIS.md). */
export interface CkaSettings {
  mode: 'auto' | 'exact' | 'lowrank';
  standardize: boolean;
}

/** Which analyses beyond the paper a run makes (false: skipped). */
export interface AnalysesSettings {
  recall: boolean;
  weighted: boolean;
  labels: LabelSettings | false;
  cka: CkaSettings | false;
}

export const DEFAULT_LABELS: LabelSettings = { shots: [1, 2, 4, 8, 16, 32, 'all'], seeds: 3 };
export const DEFAULT_CKA: CkaSettings = { mode: 'auto', standardize: false };

interface ExtractSettings {
  /** Refuse an inexact resampler (the paper's clips were resampled by libsoxr HQ through librosa). */
  exactResampler: boolean;
}

export interface Preset {
  name: ProtocolName;
  summary: string;
  split: SplitSettings;
  probe: ProbeSettings;
  extract: ExtractSettings;
}

export const PRESETS: Readonly<Record<ProtocolName, Preset>> = Object.freeze({
  paper: {
    name: 'paper',
    summary:
      "the paper's code: clips resampled by libsoxr HQ (as librosa), random 70:20:10 split (seed 42), probe seed 12345, test scored with the final weights, each model's layer-0 tap as in the paper",
    split: { seed: 42, ratios: [70, 20, 10], stratified: false },
    probe: { seed: 12345, seeds: 1, select: 'last', uarClasses: 'all' },
    extract: { exactResampler: true },
  },
  default: {
    name: 'default',
    summary: 'bioprobe default: random 70:20:10 split (seed 42), probe seed 12345, test scored with the best-validation weights',
    split: { seed: 42, ratios: [70, 20, 10], stratified: false },
    probe: { seed: 12345, seeds: 1, select: 'best-val', uarClasses: 'present' },
    extract: { exactResampler: false },
  },
});
