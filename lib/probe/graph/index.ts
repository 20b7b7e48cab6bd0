/** ONNX graphs of the probe: builder, MLP fragments, training (step, epoch Loop) and evaluation. */
export * from '../../onnx/builder.js';
export * from './mlp.js';
export * from './trainGraph.js';
export * from './w1Update.js';
export * from './evalGraph.js';
