/**
 * Table I of the paper for any dataset: samples, total minutes, sample rate(s), classes, median and std
 * of item length (ms), plus class counts. Lengths come from file headers (the audio stage's
 * readAudioHeader, which agrees with its decoder) or, for segments, from end - start; files whose header
 * cannot tell are counted with their reason (and the audio error code), never silently lost.
 */
import { BioprobeError, describeError } from '../util/errors.js';
import { quantileSorted, sampleStd } from '../util/stats.js';
import { classesOf, compareLabels } from './classes.js';
import { readAudio } from '../audio/decode.js';
import { readAudioHeader } from '../audio/header.js';
import type { Dataset, SkippedRow } from './types.js';

export interface DatasetStats {
  spec: string;
  name: string;
  samples: number;
  /** Classes in the dataset's class map (Table I's n_c: the paper's maps count classes without items). */
  classes: number;
  /** Classes with at least one item. */
  classesPresent: number;
  /** Items per class, in class-map order (0 for a class without items). */
  classCounts: Record<string, number>;
  /** Items whose length is known, and the figures over them. */
  measured: number;
  totalMinutes: number;
  medianMs: number | null;
  /** Sample standard deviation (N-1), as pandas' std(). */
  stdMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  /** Items per file sample rate (Hz); unknown rates are not listed. */
  sampleRates: Record<string, number>;
  files: number;
  /** Items whose length or sample rate could not be read, by reason (one example file each); `code` is the AudioError's (docs/AUDIO.md) when the file could not be read. */
  unreadable: { reason: string; code?: string; count: number; example: string }[];
  unreadableItems: number;
  /** Segments whose end lies past the end of their file (a sign of a mismatched labels file). */
  segmentsPastEnd: number;
  notes: string[];
  /** Source rows the loader left out as unusable, with reasons. */
  skipped: SkippedRow[];
}

/** Fallback for files whose header does not give a length (MPEG audio: a bare MP3, MP3 in WAV). */
export type LengthProbe = (path: string) => Promise<{ sampleRate: number; frames: number }>;

/** The default LengthProbe: decode the file with the audio stage's decoder (the length extraction will see). */
export const decodeLength: LengthProbe = async (path) => {
  const a = await readAudio(path);
  return { sampleRate: a.sampleRate, frames: a.samples.length };
};

interface FileInfo {
  sampleRate?: number;
  seconds?: number;
  reason?: string;
  code?: string;
}

async function fileInfo(path: string, probe?: LengthProbe): Promise<FileInfo> {
  try {
    const h = readAudioHeader(path);
    if (h.frames !== undefined) return { sampleRate: h.sampleRate, seconds: h.frames / h.sampleRate };
    if (probe) {
      const p = await probe(path);
      return { sampleRate: p.sampleRate, seconds: p.frames / p.sampleRate };
    }
    return { sampleRate: h.sampleRate || undefined, reason: h.note ?? 'length unknown from the header' };
  } catch (err) {
    return { reason: describeError(err).replace(path + ': ', ''), code: err instanceof BioprobeError ? err.code : undefined };
  }
}

/** Table I for `ds`. `probe` gives the lengths headers cannot tell (default: decode those files; false: headers only, the rest reported unreadable). */
export async function datasetStats(ds: Dataset, opts: { probe?: LengthProbe | false } = {}): Promise<DatasetStats> {
  const probe = opts.probe === false ? undefined : (opts.probe ?? decodeLength);
  const infos = new Map<string, FileInfo>();
  for (const it of ds.items) if (!infos.has(it.path)) infos.set(it.path, await fileInfo(it.path, probe));
  const lengths: number[] = [];
  const rates = new Map<number, number>();
  const classCounts = new Map<string, number>();
  const problems = new Map<string, { code?: string; count: number; example: string }>();
  let unreadableItems = 0;
  let pastEnd = 0;
  for (const it of ds.items) {
    classCounts.set(it.label, (classCounts.get(it.label) ?? 0) + 1);
    const info = infos.get(it.path)!;
    if (info.sampleRate !== undefined) rates.set(info.sampleRate, (rates.get(info.sampleRate) ?? 0) + 1);
    const end = it.end ?? info.seconds;
    if (it.end !== undefined && info.seconds !== undefined && it.end > info.seconds + 1e-3) pastEnd++;
    if (info.reason !== undefined) {
      unreadableItems++;
      const p = problems.get(info.reason) ?? { code: info.code, count: 0, example: it.path };
      p.count++;
      problems.set(info.reason, p);
    }
    if (end !== undefined) lengths.push(Math.max(0, end - (it.start ?? 0)) * 1000);
  }
  lengths.sort((a, b) => a - b);
  const n = lengths.length;
  const total = lengths.reduce((s, x) => s + x, 0);
  const map = classesOf(ds);
  const keys = [...map, ...[...classCounts.keys()].filter((k) => !map.includes(k)).sort(compareLabels)];
  return {
    spec: ds.spec,
    name: ds.name,
    samples: ds.items.length,
    classes: keys.length,
    classesPresent: classCounts.size,
    classCounts: Object.fromEntries(keys.map((k) => [k, classCounts.get(k) ?? 0])),
    measured: n,
    totalMinutes: total / 60000,
    medianMs: n ? quantileSorted(lengths, 0.5) : null,
    stdMs: n > 1 ? sampleStd(lengths) : null,
    minMs: n ? lengths[0] : null,
    maxMs: n ? lengths[n - 1] : null,
    sampleRates: Object.fromEntries([...rates.entries()].sort((a, b) => a[0] - b[0]).map(([r, c]) => [String(r), c])),
    files: infos.size,
    unreadable: [...problems.entries()].map(([reason, p]) => ({ reason, ...p })).sort((a, b) => b.count - a.count),
    unreadableItems,
    segmentsPastEnd: pastEnd,
    notes: ds.notes ?? [],
    skipped: ds.skipped ?? [],
  };
}

/** Numbers by value, other labels by code units ("2" before "10"): the class order of classes.ts. */
export const naturalCompare = compareLabels;

/** Skipped rows listed in full by formatStats (the rest are counted; `--json` has them all). */
const SKIPPED_SHOWN = 10;

/** Human-readable stats: Table I's row, then class counts and any problems. */
export function formatStats(s: DatasetStats): string {
  const f = (x: number | null, d = 0) => (x === null ? 'n/a' : x.toFixed(d));
  const rates = Object.entries(s.sampleRates);
  const rateText =
    rates.length === 0
      ? 'unknown'
      : rates.length === 1
        ? `${rates[0][0]} Hz`
        : `${rates.length} rates, ${rates[0][0]}-${rates[rates.length - 1][0]} Hz`;
  const lines = [
    `dataset        ${s.name} (${s.spec})`,
    `samples        ${s.samples} (${s.files} files)`,
    `total minutes  ${f(s.totalMinutes, 1)}${s.measured < s.samples ? ` (over ${s.measured} items of known length)` : ''}`,
    `sample rate    ${rateText}`,
    `classes        ${s.classes}${s.classesPresent < s.classes ? ` (${s.classesPresent} with items)` : ''}`,
    `median length  ${f(s.medianMs)} ms`,
    `std length     ${f(s.stdMs)} ms`,
    `min/max length ${f(s.minMs)} / ${f(s.maxMs)} ms`,
  ];
  if (rates.length > 1) lines.push('', 'sample rates (Hz: items)', ...rates.map(([r, c]) => `  ${r.padStart(6)}  ${c}`));
  const width = Math.max(5, ...Object.keys(s.classCounts).map((k) => k.length));
  lines.push('', 'class counts', ...Object.entries(s.classCounts).map(([k, c]) => `  ${k.padEnd(width)}  ${c}`));
  lines.push('', `unreadable     ${s.unreadableItems} item(s)`);
  for (const u of s.unreadable) lines.push(`  ${u.count} x ${u.reason} (e.g. ${u.example})`);
  if (s.segmentsPastEnd > 0) lines.push(`segments past the end of their file: ${s.segmentsPastEnd}`);
  for (const n of s.notes) lines.push(`note: ${n}`);
  if (s.skipped.length > 0) {
    lines.push('', `skipped rows   ${s.skipped.length}`);
    for (const r of s.skipped.slice(0, SKIPPED_SHOWN)) lines.push(`  ${r.file}${r.line ? ` line ${r.line}` : ''}: ${r.reason}`);
    if (s.skipped.length > SKIPPED_SHOWN) lines.push(`  ... and ${s.skipped.length - SKIPPED_SHOWN} more (--json lists them all)`);
  }
  return lines.join('\n') + '\n';
}
