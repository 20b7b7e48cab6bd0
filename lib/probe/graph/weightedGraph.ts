/**
 * The weighted probe's layer mix as an input stage (inputStage.ts) of the probe graphs: the MLP's
 * input is sum_l softmax(w)_l x_l over the layers' standardised rows, w in R^layers learned with the
 * MLP (docs/PROTOCOL.md, "All layers, learned mix"). The training Loop, the MLP, its backward pass
 * and Adam are the layer probe's (train-graph.ts): w is state `mix`, per probe [1, layers], packed with
 * the small parameters, so its Adam is theirs and the scheduler's lr applies to it too.
 *
 * Rows come in as X [layers, N, D] (the layer probe's stacked layout, lib/probe/data.ts loadStack).
 * The mix is one MatMul of the weights [P, 1, layers] with the rows viewed as [layers, B*D] (a Reshape
 * of a graph input or a gathered batch is a view in onnxruntime: evaluating a split builds only the
 * [P, N*D] mix, never a copy of all layers). P probes of one graph share the rows (the runs here use one).
 * Backward: dL/da_l = <x_l, dL/dmix> (one MatMul), then the softmax's
 * dL/dw = a * (dL/da - sum_l a_l dL/da_l).
 */
import type { GraphBuilder } from '../../onnx/builder.js';
import type { InputStage } from './inputStage.js';
import { buildStepGraph, type GraphDims } from './trainGraph.js';

/** The stage's state name: p_mix (the weights w before the softmax), m_mix, v_mix. */
export const MIX = 'mix';

/** The softmax-weighted mix of `layers` layers as an input stage. */
export function layerMix(layers: number): InputStage {
  if (!Number.isInteger(layers) || layers < 1) throw new Error(`a layer mix needs at least one layer, got ${layers}`);
  return {
    name: MIX,
    shape: [1, layers],
    apply(b: GraphBuilder, x: string, w: string) {
      const a = b.op('Softmax', [w], { axis: { i: -1 } }); // [P, 1, layers]
      const flat = b.op('Reshape', [x, b.constI([layers, -1], [2])]); // [layers, B*D]
      const mixed = b.matmul(a, flat); // [P, 1, B*D]
      const shape = b.op('Concat', [b.constI([-1], [1]), b.op('Slice', [b.op('Shape', [x]), b.constI([1], [1]), b.constI([3], [1])])], {
        axis: { i: 0 },
      });
      const input = b.op('Reshape', [mixed, shape]); // [P, B, D]
      const backward = (dInput: string): string => {
        const column = b.op('Reshape', [dInput, b.constI([0, -1, 1], [3])]); // [P, B*D, 1]
        const da = b.op('Reshape', [b.matmul(flat, column), b.constI([0, 1, layers], [3])]); // [P, 1, layers]
        const inner = b.sum(b.mul(a, da), [-1]); // [P, 1, 1]
        return b.mul(a, b.sub(da, inner));
      };
      return { input, backward };
    },
  };
}

/** Graph dimensions of a weighted probe over `layers` layers (one W1 chunk: the stage needs it). */
export function weightedDims<T extends Omit<GraphDims, 'stage' | 'w1Rows'>>(layers: number, dims: T): T & { stage: InputStage } {
  return { ...dims, stage: layerMix(layers) };
}

/** The weighted probe's single-step graph (parity tests): train-graph.ts's with the layer mix. Engines pass the stage in their dims. */
export function buildWeightedStepGraph(layers: number, dims: Omit<GraphDims, 'stage' | 'w1Rows'>): Uint8Array {
  return buildStepGraph(weightedDims(layers, dims));
}

/** The mix weights softmax(w) of raw weights w (float64; what results report). */
export function mixWeights(w: ArrayLike<number>): number[] {
  const v = Array.from(w);
  const top = Math.max(...v);
  const e = v.map((x) => Math.exp(x - top));
  const s = e.reduce((p, x) => p + x, 0);
  return e.map((x) => x / s);
}
