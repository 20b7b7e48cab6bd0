/**
 * Table I and Fig. 1 from a results folder: statistics of the clips a dataset's probes used (clips.csv:
 * durations and sample rates as extraction read them; split.csv: items per split). Not the datasets
 * stage's DatasetStats, which reads file headers before anything is extracted and reports unreadable
 * files: these are the clips that made it through extraction, with the split the probe used.
 */
import { median, sampleStd } from '../util/stats.js';
import type { StudyDataset } from './study.js';

export interface ClipStats {
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

/** A clip's length in seconds: `duration_s` as extraction read it, else end - start; NaN when unknown. */
function seconds(c: NonNullable<StudyDataset['clips']>[number]): number {
  const { start, end } = c.item;
  if (c.record.duration_s !== undefined && Number.isFinite(c.record.duration_s)) return c.record.duration_s;
  return start !== undefined && end !== undefined && end > start ? end - start : NaN;
}

export function clipStats(ds: StudyDataset): ClipStats | undefined {
  const clips = ds.clips;
  const split = ds.split;
  if (!clips && !split) return undefined;
  const ok = clips ? clips.filter((c) => c.record.status === '' || c.record.status.toLowerCase() === 'ok') : undefined;
  const lengthsMs = (ok ?? []).map((c) => seconds(c) * 1000).filter((v) => Number.isFinite(v) && v > 0);
  const known = ok !== undefined && ok.length > 0 && lengthsMs.length === ok.length;
  const rates = [
    ...new Set((ok ?? []).map((c) => c.record.sample_rate).filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0)),
  ].sort((a, b) => a - b);
  const labels = new Set([...(ok ?? []).map((c) => c.item.label), ...(ok ? [] : (split ?? [])).map((r) => r.label)]);
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
