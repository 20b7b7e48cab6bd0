/**
 * Evaluation graph: the stacked probes' forward pass on a whole split, returning log-posteriors.
 * Inputs: p_* (parameters, [L, ...]) and X [L, N, D]; output: logp [L, N, C] (LogSoftmax of the logits).
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
  const X = b.input('X', f, ['L', 'N', dims.D]);
  const { logits } = forward(b, p, X);
  b.output(b.op('LogSoftmax', [logits], { axis: { i: -1 } }), 'logp', f, ['L', 'N', dims.C]);
  return b.model('probe_eval');
}
