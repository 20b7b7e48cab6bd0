/**
 * Load results directories (INTERFACE.md "Results directory" plus the optional extensions the report
 * uses: manifest.json, clips.csv, classes.json, predictions/). Only results.csv is required; every
 * other file may be absent or unreadable, which is recorded as a warning and left out of the report.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { num, readCsv } from './csv.js';
import { describeError } from '../util/errors.js';
import { reportError, Warnings } from './errors.js';
import type { ClipRow, ResultRow, ResultsDir, ResultsManifest, SplitRow } from './types.js';

const RESULT_COLUMNS = ['model', 'dataset', 'layer', 'seed', 'split', 'uar'] as const;

/** Expand each argument to the results directories it holds (itself, or those below it, sorted). */
export function discoverResultsDirs(paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw reportError('results-missing', 'no such results directory', p);
    if (!statSync(abs).isDirectory()) throw reportError('results-not-dir', 'not a directory', p, 'pass the folder that holds results.csv');
    const below = walk(abs, 3);
    if (below.length === 0) throw reportError('results-empty', 'no results.csv in this directory or below it', p, 'run `bioprobe probe` first');
    for (const d of below) if (!found.includes(d)) found.push(d);
  }
  return found;
}

function walk(dir: string, depth: number): string[] {
  if (existsSync(join(dir, 'results.csv'))) return [dir];
  if (depth === 0) return [];
  const subs = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return subs.flatMap((s) => walk(join(dir, s), depth - 1));
}

/** Read one results directory. Throws only when results.csv itself is unusable. */
export function loadResultsDir(dir: string, warnings: Warnings = new Warnings()): ResultsDir {
  const { rows, scale } = readResults(join(dir, 'results.csv'), warnings);
  const manifest = readJson<ResultsManifest>(join(dir, 'manifest.json'), warnings, (v) => typeof v === 'object' && v !== null && !Array.isArray(v));
  const classesRaw = readJson<unknown>(join(dir, 'classes.json'), warnings, (v) => Array.isArray(v) || Array.isArray((v as { classes?: unknown })?.classes));
  const classes = classesRaw === undefined ? undefined
    : (Array.isArray(classesRaw) ? classesRaw : (classesRaw as { classes: unknown[] }).classes).map((c) => String(c));
  // split.csv and clips.csv can hold 100k rows and every model's directory carries a copy: they are
  // parsed on first use only (the study reads one copy per dataset).
  const readSplit = () => optionalCsv(join(dir, 'split.csv'), ['index', 'label', 'split'], warnings, (r): SplitRow => ({
    index: num(r.index), path: r.path ?? '', label: r.label ?? '', split: (r.split ?? '').toLowerCase(),
  }));
  const readClips = () => optionalCsv(join(dir, 'clips.csv'), ['label'], warnings, (r): ClipRow => {
    const start = num(r.start);
    const end = num(r.end);
    const given = num(r.duration_s);
    return {
      index: num(r.index), path: r.path ?? '', label: r.label ?? '', status: r.status ?? 'ok',
      durationS: Number.isFinite(given) ? given : (end > start ? end - start : NaN),
      sampleRate: num(r.sample_rate),
    };
  });
  const predictionRows = readJson<{ val?: number[]; test?: number[] }>(join(dir, 'rows.json'), warnings,
    (v) => typeof v === 'object' && v !== null && Array.isArray((v as { test?: unknown }).test));
  const intervals = readIntervals(join(dir, 'summary.csv'), scale, warnings);
  const fusionMembers = readFusionMembers(join(dir, 'fusion.json'), warnings);
  const predDir = join(dir, 'predictions');
  const loaded: ResultsDir = {
    dir, rows, manifest, classes, predictionRows, intervals, fusionMembers,
    predictions(name: string, splitName: string) {
      const p = join(predDir, `${name}.${splitName}.npy`);
      return existsSync(p) ? p : undefined;
    },
  };
  lazy(loaded, 'split', readSplit);
  lazy(loaded, 'clips', readClips);
  return loaded;
}

/** Define `obj[key]` as computed on first read, then fixed. */
function lazy<K extends 'split' | 'clips'>(obj: ResultsDir, key: K, compute: () => ResultsDir[K]): void {
  let value: ResultsDir[K];
  let done = false;
  Object.defineProperty(obj, key, {
    enumerable: true, configurable: true,
    get() {
      if (!done) { value = compute(); done = true; }
      return value;
    },
  });
}

function readResults(file: string, warnings: Warnings): { rows: ResultRow[]; scale: number } {
  const records = readCsv(file, RESULT_COLUMNS);
  const rows: ResultRow[] = [];
  let skipped = 0;
  for (const r of records) {
    const uar = num(r.uar);
    if (!Number.isFinite(uar)) { skipped++; continue; }
    const layer = r.layer ?? '';
    const li = /^\d+$/.test(layer) ? Number(layer) : null;
    rows.push({
      model: r.model, dataset: r.dataset, layer, layerIndex: li, seed: r.seed ?? '',
      split: (r.split ?? '').toLowerCase(), uar, accuracy: num(r.accuracy), epochs: num(r.epochs),
    });
  }
  if (skipped > 0) warnings.add(`${file}: ${skipped} row(s) without a numeric uar were left out`);
  if (rows.length === 0) throw reportError('results-no-rows', 'results.csv has no usable rows', file);
  // UAR may be stored as a fraction (0..1) or in percent; the report always shows percent.
  const fraction = rows.every((r) => r.uar <= 1 && (Number.isNaN(r.accuracy) || r.accuracy <= 1));
  if (fraction) for (const r of rows) { r.uar *= 100; r.accuracy *= 100; }
  return { rows, scale: fraction ? 100 : 1 };
}

/** summary.csv (written by `probe`): the 95 % bootstrap interval of test UAR per layer, when present. */
function readIntervals(file: string, scale: number, warnings: Warnings): Map<string, { lo: number; hi: number }> | undefined {
  const records = optionalCsv(file, ['layer', 'test_uar_ci_low', 'test_uar_ci_high'], warnings, (r) => ({ layer: r.layer, lo: num(r.test_uar_ci_low) * scale, hi: num(r.test_uar_ci_high) * scale }));
  const ok = records?.filter((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi) && r.lo <= r.hi);
  return ok && ok.length > 0 ? new Map(ok.map((r) => [r.layer, { lo: r.lo, hi: r.hi }])) : undefined;
}

/** fusion.json: [{ variant, members: [{ model, layer }] }] -> variant -> members. */
function readFusionMembers(file: string, warnings: Warnings): Map<string, { model: string; layer: number }[]> | undefined {
  type Entry = { variant?: unknown; members?: { model?: unknown; layer?: unknown }[] };
  const entries = readJson<Entry[]>(file, warnings, (v) => Array.isArray(v));
  if (!entries) return undefined;
  const out = new Map<string, { model: string; layer: number }[]>();
  for (const e of entries) {
    if (typeof e?.variant !== 'string' || !Array.isArray(e.members)) continue;
    out.set(e.variant, e.members.filter((m) => typeof m?.model === 'string' && Number.isInteger(m.layer)).map((m) => ({ model: String(m.model), layer: Number(m.layer) })));
  }
  return out.size > 0 ? out : undefined;
}

function readJson<T>(file: string, warnings: Warnings, ok: (v: unknown) => boolean): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!ok(v)) { warnings.add(`${file}: unexpected content, ignored`); return undefined; }
    return v as T;
  } catch (err) {
    warnings.add(`${file}: not valid JSON, ignored (${(err as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

function optionalCsv<T>(file: string, required: string[], warnings: Warnings, map: (r: Record<string, string>) => T): T[] | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readCsv(file, required).map(map);
  } catch (err) {
    warnings.add(`${describeError(err)}; ignored`);
    return undefined;
  }
}
