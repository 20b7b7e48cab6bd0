/**
 * The probe stage: the paper's MLP probe trained for many layers at once as ONNX graphs on onnxruntime
 * (graph/), the protocol (data, trainer, schedule), statistics (scores: results/metrics.ts). What other stages and users
 * need is listed here, nothing more; the rest stays inside the stage.
 */
// Running a probe (CLI `probe`, experiment): the run, its settings, the layer-list option.
export { runProbe, DEFAULT_MEMORY_BUDGET, type ProbeRunOptions, type ProbeRunSummary } from './run.js';
export { DEFAULT_PROTOCOL, PAPER_PROTOCOL, SELECTIONS, type Protocol, type Selection } from './protocol.js';
export { parseLayers } from './options.js';
// The weighted probe: one probe over a learned softmax mix of every layer (results folder 'all-weighted', layer_weights.csv).
export { runWeightedProbe, WEIGHTED_NAME, type WeightedProbeOptions, type WeightedProbeResult } from './weighted.js';
export { LAYER_WEIGHTS_FILE } from './weightedFiles.js';
// A features folder as the probe reads it (INTERFACE.md's minimum; users checking a folder by hand).
export { openFeatures, type FeatureSet } from './features.js';
// Two results folders side by side (CLI `compare`; fusion chooses each model's best layer with bestLayer).
export { compareResults, bestLayer, checkAligned, targets, type Comparison, type LayerChoice } from './compare.js';
// Statistics over seeds and test clips (summary.csv, `compare`; users).
export { bootstrapUar, pairedBootstrap, mcnemar, meanStd, type BootstrapOptions, type Interval, type PairedResult } from './stats.js';
// Synthetic features folders with a known answer (tests, benchmarks, demos without models).
export { writeSyntheticFeatures, type SyntheticOptions } from './synthetic.js';
