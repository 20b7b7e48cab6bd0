/**
 * models/: every layer out of wav2vec2-family models, from ONNX exports or original checkpoints.
 * - tapModel: rewrite an ONNX graph so layer_00..layer_L are outputs (found by structure), cached by sha256
 * - buildModel (build/): write that graph from a checkpoint (lib/checkpoint), cached by its files' sha256
 * - layerGraph: either, by what the source is; openLayerModel -> LayerModel.embed(samples): all layers, one pass
 * - zoo, pullCheckpoint, pullModel: the paper's seven models (and extras), offline-first downloads
 * - inspectModel / inspectCheckpoint: what an ONNX file or a checkpoint holds
 * - randomizeWeights: the random-weights control (each weight tensor's values shuffled, seeded)
 */
export { findLayers, findLayersByStructure, findHiddenStateOutputs, findLayerOutputs, LAYER0_TAPS } from './detect.js';
export type { Layer0Tap, LayerTensors } from './detect.js';
export { tapModel, layerName, TAP_VERSION } from './tap.js';
export type { TapOptions, TappedModel } from './tap.js';
export { openLayerModel, MIN_SAMPLES } from './layerModel.js';
export type { LayerModel, LayerStates, OpenOptions } from './layerModel.js';
export { zoo } from './zoo.js';
export type { ZooEntry, OnnxSource, CheckpointSource } from './zoo.js';
export { buildModel, BUILD_VERSION } from './build/build.js';
export type { BuildOptions, BuiltModel } from './build/build.js';
export { encoderGraph } from './build/encoder.js';
export { FUSED as FUSED_OPS, PLAIN as PLAIN_OPS, type Fusion } from './build/emit.js';
export { relativeBucket } from './build/relativePosition.js';
export { fingerprint, fingerprintPath, type CheckpointFingerprint } from './build/fingerprint.js';
export { inspectCheckpoint, formatCheckpointInspection, type CheckpointInspection } from './build/inspect.js';
export { layerGraph, isCheckpointPath, type LayerGraphOptions } from './source.js';
export { pullCheckpoint, readCheckpointRecord, checkpointSource, HF_WEIGHTS } from './checkpointPull.js';
export type { CheckpointPullOptions, PulledCheckpoint } from './checkpointPull.js';
export { Registry } from './registry.js';
export { pullModel, placedPath, readPullRecord } from './pull.js';
export type { PullOptions, PulledModel } from './pull.js';
export { inspectModel, formatInspection } from './inspect.js';
export type { Inspection, TensorDesc } from './inspect.js';
export { countParameters } from '../onnx/params.js';
export { randomizeWeights } from './randomize.js';
export type { RandomizeOptions, RandomizedModel } from './randomize.js';
