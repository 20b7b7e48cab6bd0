/**
 * bioprobe's library: one folder per stage of the data flow (see docs/ARCHITECTURE.md).
 * Notebooks and user scripts import from here (the built package, dist/index.js).
 */
export * from './util/errors.js';
export * from './util/npy.js';
export { VERSION } from './util/version.js';
export { defaultCacheDir } from './util/cache.js';
export { canonicalJson, hashOf, sha256, sha256File } from './util/hash.js';
export { readCsvTable, requireColumns, csvCell, csvLine, formatCsv, type CsvTable, type CsvRow, type CsvValue } from './util/csv.js';
export { MT19937, torchRandperm } from './util/random.js';
export { Warnings } from './util/warnings.js';
export * from './datasets/index.js';
export * from './baselines/index.js';
export * from './experiment/index.js';
export * from './report/index.js';
export * from './audio/index.js';
export * from './features/index.js';
export * from './runtime/index.js';
export * from './models/index.js';
export * from './checkpoint/index.js';
export * from './probe/index.js';
export * from './results/index.js';
export * from './notebook/index.js';
export * from './fusion/index.js';
export * from './analysis/index.js';
