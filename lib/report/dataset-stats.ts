/** Table I: per-dataset statistics from clips.csv (durations, sample rates) and the class list. */
import { median, sampleStd } from '../util/stats.js';
import type { StudyDataset } from './study.js';

export interface DatasetStats {
  samples: number;
  skipped: number;
  /** Total length in minutes, median and std of clip lengths in ms: undefined when durations are unknown. */
  minutes?: number;
  medianMs?: number;
  stdMs?: number;
  /** Distinct native sample rates in Hz (empty when unknown). */
  sampleRates: number[];
  classes?: number;
  /** Clip lengths in ms of the usable clips, for Fig. 1. */
  lengthsMs: number[];
  /** Items per split (train / val / test) from split.csv. */
  splitCounts?: Record<string, number>;
}

export function datasetStats(ds: StudyDataset): DatasetStats | undefined {
  const clips = ds.clips;
  const split = ds.split;
  if (!clips && !split) return undefined;
  const ok = clips ? clips.filter((c) => c.status === '' || c.status.toLowerCase() === 'ok') : undefined;
  const lengthsMs = (ok ?? []).map((c) => c.durationS * 1000).filter((v) => Number.isFinite(v) && v > 0);
  const known = ok !== undefined && ok.length > 0 && lengthsMs.length === ok.length;
  const rates = [...new Set((ok ?? []).map((c) => c.sampleRate).filter((v) => Number.isFinite(v) && v > 0))].sort((a, b) => a - b);
  const labels = new Set((ok ?? split ?? []).map((c) => c.label));
  let splitCounts: Record<string, number> | undefined;
  if (split) {
    splitCounts = {};
    for (const r of split) splitCounts[r.split] = (splitCounts[r.split] ?? 0) + 1;
  }
  return {
    samples: ok ? ok.length : split!.length,
    skipped: clips && ok ? clips.length - ok.length : 0,
    minutes: known ? lengthsMs.reduce((a, b) => a + b, 0) / 60000 : undefined,
    medianMs: known ? median(lengthsMs) : undefined,
    stdMs: known && lengthsMs.length > 1 ? sampleStd(lengthsMs) : undefined,
    sampleRates: rates,
    classes: ds.classes?.length ?? (labels.size > 0 ? labels.size : undefined),
    lengthsMs: known ? lengthsMs : [],
    splitCounts,
  };
}


