/**
 * Evaluation graph: the stacked probes' forward pass on a whole split, returning log-posteriors.
 * Inputs: p_* (parameters, [L, ...]) and X [L, N, D]; output: logp [L, N, C] (LogSoftmax of the logits).
 * With an input stage (inputStage.ts) its parameter p_<name> is an input too and X is what the stage
 * takes (the weighted probe: [layers, N, D]).
 * Losses, posteriors and metrics are computed from logp in JavaScript (lib/probe/evaluate.ts).
 */
import { GraphBuilder } from '../../onnx/builder.js';
import { PARAM_NAMES, forward, paramShapes, type Params } from './mlp.js';
import type { GraphDims } from './trainGraph.js';

export function buildEvalGraph(dims: GraphDims): Uint8Array {
  const f = dims.float ?? 'float32';
  const b = new GraphBuilder(f);
  const shapes = paramShapes(dims.D, dims.C);
  const p = Object.fromEntries(PARAM_NAMES.map((n) => [n, b.input(`p_${n}`, f, ['L', ...shapes[n]])])) as Params;
  const stage = dims.stage;
  const param = stage && b.input(`p_${stage.name}`, f, ['L', ...stage.shape]);
  const X = b.input('X', f, [stage ? 'layers' : 'L', 'N', dims.D]);
  const { logits } = forward(b, p, stage ? stage.apply(b, X, param!).input : X);
  b.output(b.op('LogSoftmax', [logits], { axis: { i: -1 } }), 'logp', f, ['L', 'N', dims.C]);
  return b.model('probe_eval');
}
