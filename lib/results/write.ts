/**
 * The writers of a results folder (probe and fuse write through these only): the CSV files in the
 * results' number format, each system's posteriors and confusion counts per split and seed, rows.json,
 * fusion.json, manifest.json, and parts copied from an input folder.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatCsv } from '../util/csv.js';
import { writeNpy } from '../util/npy.js';
import { confusionPath, predictionsPath, resultsPath, type ResultsPart, type ScoredSplit } from './layout.js';
import type { ResultsManifest } from './manifest.js';
import {
  HISTORY_COLUMNS,
  LAYER_WEIGHT_COLUMNS,
  RESULT_COLUMNS,
  SUMMARY_COLUMNS,
  resultNumber,
  type FusionRecord,
  type HistoryRow,
  type LayerWeightRow,
  type ResultRow,
  type SplitRows,
  type SummaryRow,
} from './rows.js';

export function writeResultsCsv(dir: string, rows: readonly ResultRow[]): void {
  writeFileSync(resultsPath(dir, 'results'), formatCsv(RESULT_COLUMNS, rows, resultNumber));
}

export function writeSummaryCsv(dir: string, rows: readonly SummaryRow[]): void {
  writeFileSync(resultsPath(dir, 'summary'), formatCsv(SUMMARY_COLUMNS, rows, resultNumber));
}

export function writeHistoryCsv(dir: string, rows: readonly HistoryRow[]): void {
  writeFileSync(resultsPath(dir, 'history'), formatCsv(HISTORY_COLUMNS, rows, resultNumber));
}

export function writeLayerWeightsCsv(dir: string, rows: readonly LayerWeightRow[]): void {
  writeFileSync(resultsPath(dir, 'layerWeights'), formatCsv(LAYER_WEIGHT_COLUMNS, rows, resultNumber));
}

/** Write the posteriors [n, C] and the confusion counts (rows = true class) of one system (`name`) for one split and seed. */
export function writeSplitOutputs(
  dir: string,
  name: string,
  split: ScoredSplit,
  seedIndex: number,
  seed: number,
  posteriors: Float32Array,
  C: number,
  confusion: Int32Array,
  classes: readonly string[],
): void {
  const pfile = predictionsPath(dir, name, split, seedIndex, seed);
  const cfile = confusionPath(dir, name, split, seedIndex, seed);
  mkdirSync(dirname(pfile), { recursive: true });
  mkdirSync(dirname(cfile), { recursive: true });
  writeNpy(pfile, posteriors, [posteriors.length / C, C]);
  const matrix = Array.from({ length: C }, (_, r) => Array.from(confusion.subarray(r * C, (r + 1) * C)));
  writeFileSync(cfile, JSON.stringify({ classes, rows: 'true class', columns: 'predicted class', matrix }) + '\n');
}

export function writePredictionRows(dir: string, rows: SplitRows): void {
  writeFileSync(resultsPath(dir, 'rows'), JSON.stringify({ val: Array.from(rows.val), test: Array.from(rows.test) }) + '\n');
}

/** fusion.json: the records as given (`fuse` passes its outcomes: members, scores, seeds). */
export function writeFusionJson(dir: string, records: readonly FusionRecord[]): void {
  writeFileSync(resultsPath(dir, 'fusion'), JSON.stringify(records, null, 2) + '\n');
}

export function writeResultsManifest(dir: string, manifest: ResultsManifest): void {
  writeFileSync(resultsPath(dir, 'manifest'), JSON.stringify(manifest, null, 2) + '\n');
}

/** Copy parts of the folder `from` (a results or features folder) into the results folder `dir`. */
export function copyParts(from: string, dir: string, parts: readonly ResultsPart[]): void {
  for (const p of parts) copyFileSync(resultsPath(from, p), resultsPath(dir, p));
}
