/**
 * The probe stage: the paper's MLP probe trained for many layers at once as ONNX graphs on
 * onnxruntime (graph/), the protocol (data, trainer, schedule), metrics, statistics, results files.
 */
export { buildStepGraph, buildEpochGraph, stateNames, type GraphDims } from './graph/train-graph.js';
export { buildEvalGraph } from './graph/eval-graph.js';
export { PARAM_NAMES, paramShapes, HIDDEN, LN_EPS, ADAM, type ParamName } from './graph/mlp.js';
export type { InputStage } from './graph/inputStage.js';
export { MIX, layerMix, mixWeights, weightedDims, buildWeightedStepGraph } from './graph/weightedGraph.js';
export * from './protocol.js';
export * from './tensors.js';
export * from './state.js';
export * from './init.js';
export * from './engine.js';
export * from './metrics.js';
export * from './schedule.js';
export * from './evaluate.js';
export * from './trainer.js';
export * from './features.js';
export * from './data.js';
export * from './plan.js';
export * from './tasks.js';
export * from './stackWorkers.js';
export * from './results.js';
export * from './stats.js';
export * from './compare.js';
export * from './options.js';
export * from './synthetic.js';
export * from './run.js';
export * from './weightedTrainer.js';
export * from './weighted.js';
export * from './weightedFiles.js';
