/**
 * models/: every layer out of wav2vec2-family ONNX models.
 * - tapModel: rewrite a graph so layer_00..layer_L are outputs (found by structure), cached by sha256
 * - openLayerModel -> LayerModel.embed(samples): all layers of one clip in one forward pass
 * - zoo, pullModel: the paper's seven models and offline-first downloads
 * - inspectModel: inputs, outputs, parameters and detected layers of an ONNX file
 * - randomizeWeights: the random-weights control (each weight tensor's values shuffled, seeded)
 */
export { findLayers, findLayersByStructure, findHiddenStateOutputs, LAYER0_TAPS } from './detect.js';
export type { Layer0Tap, LayerTensors } from './detect.js';
export { tapModel, layerName, TAP_VERSION } from './tap.js';
export type { TapOptions, TappedModel } from './tap.js';
export { openLayerModel, MIN_SAMPLES } from './layerModel.js';
export type { LayerModel, LayerStates, OpenOptions } from './layerModel.js';
export { zoo } from './zoo.js';
export type { ZooEntry, OnnxSource } from './zoo.js';
export { Registry } from './registry.js';
export { pullModel, placedPath, readPullRecord } from './pull.js';
export type { PullOptions, PulledModel } from './pull.js';
export { inspectModel, formatInspection } from './inspect.js';
export type { Inspection, TensorDesc } from './inspect.js';
export { countParameters } from '../onnx/params.js';
export { randomizeWeights } from './randomize.js';
export type { RandomizeOptions, RandomizedModel } from './randomize.js';
