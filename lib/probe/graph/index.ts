/** ONNX graphs of the probe: builder, MLP fragments, training (step, epoch Loop) and evaluation. */
export * from '../../onnx/builder.js';
export * from './mlp.js';
export * from './train-graph.js';
export * from './w1-update.js';
export * from './eval-graph.js';
