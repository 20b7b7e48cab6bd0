/**
 * analysis/: comparisons made from features folders after extraction, above features/ and below
 * report/. Per-class recall by layer from a probe's confusion counts (classRecall.ts, `bioprobe.recall/1`).
 * Layer similarity by linear CKA (Kornblith et al. 2019) between every pair of layers
 * across the models of a dataset, exact or low-rank with a guaranteed interval (docs/ANALYSIS.md), and
 * its file `cka.json` (INTERFACE.md Extensions). Label efficiency: test UAR against labelled train
 * clips per class for one layer (nested stratified subsets, several seeds; docs/PROTOCOL.md) and its
 * files `label_efficiency.csv` + `manifest.json`.
 */
export {
  layerSimilarity,
  ckaMatrix,
  lowRankCost,
  CKA_FORMAT,
  type LayerSimilarity,
  type LayerSimilarityOptions,
  type CkaPair,
  type CkaModel,
  type CkaMode,
  type CkaMethod,
  type FeaturesInput,
  type LowRankRecord,
} from './similarity.js';
export { writeCka, readCka, ckaToJson, ckaCsv, writeCkaCsv, CKA_FILE, CKA_CSV } from './file.js';
export { openFeatureFolder, arraySource, checkSameClips, type LayerSource, type ClipKey } from './sources.js';
export { layerApprox, pairInterval, type LayerApprox, type LayerTerms, type Bounded } from './bounds.js';
export type { LayerRank } from './lowrank.js';
export type { BoundKind } from './lowrankLayer.js';
export { runLabelEfficiency, type LabelEfficiencyOptions, type LabelEfficiencyResult } from './labelEfficiency.js';
export {
  readLabelEfficiency,
  writeLabelEfficiency,
  labelEfficiencyCurve,
  LABELS_FORMAT,
  LABELS_CSV,
  LABELS_MANIFEST,
  LABEL_COLUMNS,
  type LabelEfficiencyRow,
  type LabelEfficiencyPoint,
  type LabelEfficiencyManifest,
  type LabelEfficiencyRead,
} from './labelEfficiencyFile.js';
export { DEFAULT_SHOTS, parseShots, classOrders, shotSubset, type Shot } from './labelEfficiencySubsets.js';
export {
  classRecall,
  RECALL_FORMAT,
  DEFAULT_RECALL_THRESHOLD,
  type ClassRecall,
  type ClassRecallCell,
  type ClassRecallOptions,
  type Unseparated,
} from './classRecall.js';
export { writeClassRecall, readClassRecall, CLASS_RECALL_CSV, CLASS_RECALL_KIND, CLASS_RECALL_COLUMNS } from './classRecallFile.js';
