/**
 * results/: the one contract of a results folder (INTERFACE.md "Results directory" and Extensions):
 * file names and paths (layout.ts), rows and columns (rows.ts), the scores in them (metrics.ts:
 * UAR and accuracy with torchmetrics' semantics), the manifest (manifest.ts), the
 * writers (write.ts, used by probe and fuse), the one tolerant reader (read.ts, used by fuse, compare,
 * report and notebooks) and what scoring requires of a folder (require.ts).
 */
export {
  RESULTS_FORMAT,
  RESULTS_FILES,
  resultsPath,
  resultName,
  predictionsPath,
  confusionPath,
  type ResultsPart,
  type ScoredSplit,
} from './layout.js';
export {
  RESULT_COLUMNS,
  FUSION_VARIANTS,
  SUMMARY_COLUMNS,
  HISTORY_COLUMNS,
  LAYER_WEIGHT_COLUMNS,
  layerIndex,
  type ResultRow,
  type SummaryRow,
  type HistoryRow,
  type LayerWeightRow,
  type SplitRows,
  type FusionRecord,
} from './rows.js';
export { manifestSeeds, seedCount, uarClassesOf, commonUarClasses, type ResultsManifest } from './manifest.js';
export { UAR_CLASSES, accuracy, argmaxRows, confusionMatrix, uar, uarFromConfusion, type UarClasses } from './metrics.js';
export {
  writeResultsCsv,
  writeSummaryCsv,
  writeHistoryCsv,
  writeLayerWeightsCsv,
  writeSplitOutputs,
  writePredictionRows,
  writeFusionJson,
  writeResultsManifest,
  copyParts,
} from './write.js';
export { loadResultsDir, type ResultsDir } from './read.js';
export { discoverResultsDirs } from './discover.js';
export { readConfusion, type ConfusionCounts } from './confusion.js';
export { openScoredResults, clipLabels, readPosteriors, type ScoredResults } from './require.js';
