/**
 * The one reader of results folders (probe's and fuse's, or other tools' with INTERFACE.md's minimum).
 * Tolerant: only results.csv is required; every other part may be absent or unreadable, which is a
 * warning and leaves that part undefined. clips.csv and split.csv can hold 100k rows and every model's
 * folder carries a copy: they are parsed on first use. Readers that need a part (fuse, compare) ask
 * through require.ts, which fails naming the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readClassesFile } from '../datasets/classes.js';
import { readSplitCsv, type SplitRow } from '../datasets/splitFile.js';
import { readClipsCsv, type ClipRow } from '../features/clipsCsv.js';
import { csvNumber, readCsvTable, requireColumns } from '../util/csv.js';
import { BioprobeError, describeError } from '../util/errors.js';
import { Warnings } from '../util/warnings.js';
import { predictionsPath, resultsPath, type ScoredSplit } from './layout.js';
import type { AsRead } from '../util/asRead.js';
import type { ResultsManifest } from './manifest.js';
import {
  LAYER_WEIGHT_COLUMNS,
  RESULT_COLUMNS_REQUIRED,
  type FusionRecord,
  type LayerWeightRow,
  type ResultRow,
  type SplitRows,
} from './rows.js';

/** A results folder as read. Optional parts are undefined when their files are absent or unusable (with a warning). */
export interface ResultsDir {
  dir: string;
  /** results.csv; UAR and accuracy as fractions (a file in percent, as other tools write, is scaled). */
  results: ResultRow[];
  manifest?: AsRead<ResultsManifest>;
  classes?: string[];
  /** rows.json: the clip index of each posteriors row, per split. */
  predictionRows?: Partial<SplitRows>;
  /** split.csv (parsed on first use). */
  readonly split?: SplitRow[];
  /** clips.csv, copied from the features (parsed on first use). */
  readonly clips?: ClipRow[];
  /** summary.csv: the 95 % bootstrap interval (over test clips) of test UAR, as fractions, by layer ("3", "fusion"). */
  intervals?: Map<string, { lo: number; hi: number }>;
  /** fusion.json (written by `fuse`): the members of each fusion variant. */
  fusion?: FusionRecord[];
  /** layer_weights.csv (the weighted probe's learned mix, every epoch); rows with a non-numeric cell are left out. */
  layerWeights?: LayerWeightRow[];
  /** Path of predictions/[seed_<s>/]<name>.<split>.npy of the seed at `seedIndex` (default the first), when it exists. */
  predictions(name: string, split: ScoredSplit, seedIndex?: number): string | undefined;
}

/** Read one results folder. Throws only when results.csv itself is unusable; everything else is a warning. */
export function loadResultsDir(dir: string, warnings: Warnings = new Warnings()): ResultsDir {
  const { results, scale } = readResults(resultsPath(dir, 'results'), warnings);
  const manifest = readJson<AsRead<ResultsManifest>>(
    resultsPath(dir, 'manifest'),
    warnings,
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  );
  const classes = optional(warnings, () => readClassesFile(dir));
  const predictionRows = readJson<Partial<SplitRows>>(
    resultsPath(dir, 'rows'),
    warnings,
    (v) => typeof v === 'object' && v !== null && Array.isArray((v as { test?: unknown }).test),
  );
  const seeds = Array.isArray(manifest?.seeds) ? manifest!.seeds : [];
  const loaded: ResultsDir = {
    dir,
    results,
    manifest,
    classes,
    predictionRows,
    intervals: readIntervals(resultsPath(dir, 'summary'), scale, warnings),
    fusion: readFusion(resultsPath(dir, 'fusion'), warnings),
    layerWeights: readLayerWeights(resultsPath(dir, 'layerWeights'), warnings),
    predictions(name, split, seedIndex = 0) {
      if (seedIndex > 0 && seeds[seedIndex] === undefined) return undefined; // a seed the manifest does not list
      const p = predictionsPath(dir, name, split, seedIndex, seeds[seedIndex]);
      return existsSync(p) ? p : undefined;
    },
  };
  lazy(loaded, 'split', () =>
    existsSync(resultsPath(dir, 'split')) ? optional(warnings, () => readSplitCsv(resultsPath(dir, 'split'))) : undefined,
  );
  lazy(loaded, 'clips', () =>
    existsSync(resultsPath(dir, 'clips'))
      ? optional(warnings, () => readClipsCsv(resultsPath(dir, 'clips'), { required: ['label'] }))
      : undefined,
  );
  return loaded;
}

/** Define `obj[key]` as computed on first read, then fixed. */
function lazy<K extends 'split' | 'clips'>(obj: ResultsDir, key: K, compute: () => ResultsDir[K]): void {
  let value: ResultsDir[K];
  let done = false;
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get() {
      if (!done) {
        value = compute();
        done = true;
      }
      return value;
    },
  });
}

/** A cell as a number; NaN when empty or not a number. */
function num(cell: string | undefined): number {
  const v = csvNumber(cell?.trim());
  return v !== undefined && Number.isFinite(v) ? v : NaN;
}

/** A cell as a number when it holds one, else undefined (optional columns). */
function maybe(cell: string | undefined): number | undefined {
  const v = num(cell);
  return Number.isNaN(v) ? undefined : v;
}

function readResults(file: string, warnings: Warnings): { results: ResultRow[]; scale: number } {
  const table = readCsvTable(file, { kind: 'results', skipMalformedRows: true });
  requireColumns(table, RESULT_COLUMNS_REQUIRED, 'see INTERFACE.md for the file format');
  if (table.skipped.length > 0)
    warnings.add(
      `${file}: ${table.skipped.length} row(s) with more cells than columns were left out (line ${table.skipped[0].line}: ${table.skipped[0].reason})`,
    );
  const results: ResultRow[] = [];
  let dropped = 0;
  for (const { cells: r } of table.rows) {
    const uar = num(r.uar);
    if (!Number.isFinite(uar)) {
      dropped++;
      continue;
    }
    const row: ResultRow = {
      model: r.model,
      dataset: r.dataset,
      layer: /^\d+$/.test(r.layer) ? Number(r.layer) : r.layer,
      seed: /^-?\d+$/.test(r.seed) ? Number(r.seed) : r.seed,
      split: r.split.toLowerCase(),
      uar,
      accuracy: num(r.accuracy),
    };
    for (const k of ['epochs', 'best_epoch', 'selected_epoch', 'loss', 'n'] as const) {
      const v = maybe(r[k]);
      if (v !== undefined) row[k] = v;
    }
    if (r.select) row.select = r.select;
    results.push(row);
  }
  if (dropped > 0) warnings.add(`${file}: ${dropped} row(s) without a numeric uar were left out`);
  if (results.length === 0) throw new BioprobeError('results', 'results-no-rows', 'results.csv has no usable rows', { file });
  // INTERFACE.md's UAR is a fraction; other tools may write percent: such a file is scaled to fractions.
  const fraction = results.every((r) => r.uar <= 1 && (Number.isNaN(r.accuracy) || r.accuracy <= 1));
  if (!fraction)
    for (const r of results) {
      r.uar /= 100;
      r.accuracy /= 100;
    }
  return { results, scale: fraction ? 1 : 0.01 };
}

/** summary.csv (written by `probe`): the 95 % bootstrap interval of test UAR per layer, in results.csv's scale. */
function readIntervals(file: string, scale: number, warnings: Warnings): ResultsDir['intervals'] {
  if (!existsSync(file)) return undefined;
  const table = optional(warnings, () => {
    const t = readCsvTable(file, { kind: 'results' });
    requireColumns(t, ['layer', 'test_uar_ci_low', 'test_uar_ci_high']);
    return t;
  });
  const ok = table?.rows
    .map(({ cells: r }) => ({ layer: r.layer, lo: num(r.test_uar_ci_low) * scale, hi: num(r.test_uar_ci_high) * scale }))
    .filter((r) => Number.isFinite(r.lo) && Number.isFinite(r.hi) && r.lo <= r.hi);
  return ok && ok.length > 0 ? new Map(ok.map((r) => [r.layer, { lo: r.lo, hi: r.hi }])) : undefined;
}

/** fusion.json: the variants with their members (entries or members that are not well-formed are left out). */
function readFusion(file: string, warnings: Warnings): FusionRecord[] | undefined {
  type Entry = { variant?: unknown; members?: { model?: unknown; layer?: unknown }[] };
  const entries = readJson<Entry[]>(file, warnings, (v) => Array.isArray(v));
  const out = (entries ?? [])
    .filter((e) => typeof e?.variant === 'string' && Array.isArray(e.members))
    .map((e) => ({
      variant: String(e.variant),
      members: e
        .members!.filter((m) => typeof m?.model === 'string' && Number.isInteger(m.layer))
        .map((m) => ({ model: String(m.model), layer: Number(m.layer) })),
    }));
  return out.length > 0 ? out : undefined;
}

/** layer_weights.csv: all columns numeric (INTERFACE.md Extensions). */
function readLayerWeights(file: string, warnings: Warnings): LayerWeightRow[] | undefined {
  if (!existsSync(file)) return undefined;
  const table = optional(warnings, () => {
    const t = readCsvTable(file, { kind: 'results' });
    requireColumns(t, LAYER_WEIGHT_COLUMNS);
    return t;
  });
  const rows = table?.rows
    .map(({ cells }) => Object.fromEntries(LAYER_WEIGHT_COLUMNS.map((c) => [c, num(cells[c])])) as LayerWeightRow)
    .filter((r) => LAYER_WEIGHT_COLUMNS.every((c) => Number.isFinite(r[c])));
  if (table && rows!.length < table.rows.length)
    warnings.add(`${file}: ${table.rows.length - rows!.length} row(s) with a non-numeric cell were left out`);
  return rows && rows.length > 0 ? rows : undefined;
}

function readJson<T>(file: string, warnings: Warnings, ok: (v: unknown) => boolean): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!ok(v)) {
      warnings.add(`${file}: unexpected content, ignored`);
      return undefined;
    }
    return v as T;
  } catch (err) {
    warnings.add(`${file}: not valid JSON, ignored (${(err as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

/** `read()`, or undefined with a warning when it throws. */
function optional<T>(warnings: Warnings, read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    warnings.add(`${describeError(err)}; ignored`);
    return undefined;
  }
}
