/**
 * The datasets stage: dataset specs -> items in a documented order (docs/DATASETS.md), the built-in
 * synthetic dataset, the paper's split (bit-exact with torch.randperm) with stratified and grouped
 * variants, split files, class index maps (the paper's per dataset) and Table I statistics (file lengths from
 * the audio stage's header reader).
 */
export * from './types.js';
export { loadDataset, parseSpec, DATASET_SCHEMES, type LoadDatasetOptions } from './load.js';
export { loadCsvDataset } from './csv.js';
export { loadFolderDataset } from './folder.js';
export { loadWatkinsDataset } from './watkins.js';
export { loadImvDataset, IMV_DROPPED_CALLTYPES, IMV_MAX_CALLTYPE, type ImvLabel } from './imv.js';
export { loadAbzalievDataset, ABZALIEV_DROPPED_CALLTYPES } from './abzaliev.js';
export { AUDIO_EXTENSIONS, isAudioFile } from './paths.js';
export {
  CLASSES_FILE,
  CLASSES_OPTION_HELP,
  checkClassList,
  classesOf,
  compareLabels,
  defaultClasses,
  parseClassesOption,
  readClassesFile,
  withClasses,
  writeClassesFile,
} from './classes.js';
export { ABZALIEV_CLASSES, IMV_CALLER_CLASSES, IMV_CALLTYPE_CLASSES, WATKINS_CLASSES } from './paperClasses.js';
export { paperFileSpan } from './fileSpan.js';
export {
  loadSyntheticDataset,
  materialiseSynthetic,
  syntheticDir,
  SYNTHETIC_MAX_N,
} from './synthetic/materialise.js';
export {
  planItem as syntheticPlan,
  renderItem as syntheticRender,
  SYNTHETIC_VERSION,
  SYNTHETIC_DEFAULT_N,
  SYNTHETIC_LABELS,
  SYNTHETIC_SAMPLE_RATES,
  type SyntheticPlan,
} from './synthetic/generate.js';
export {
  paperSplit,
  stratifiedSplit,
  groupedSplit,
  splitSizes,
  splitCounts,
  SPLIT_NAMES,
  type SplitName,
  type SplitOptions,
} from './split.js';
export {
  formatSplitCsv,
  writeSplitCsv,
  readSplitCsv,
  splitForDataset,
  checkSplitRows,
  type SplitRow,
  type SplitTarget,
} from './splitFile.js';
export { datasetStats, decodeLength, formatStats, naturalCompare, type DatasetStats, type LengthProbe } from './stats.js';
