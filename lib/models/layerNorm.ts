/**
 * LayerNorm recognition in ONNX graphs: a single LayerNormalization op (opset >= 17 exports) or the
 * decomposition older opsets produce (ReduceMean, Sub, Pow, ReduceMean, Add eps, Sqrt, Div, Mul gamma,
 * Add beta; also the x * rsqrt(var) form). Used to follow the residual stream of post-LN transformers.
 */
import type { GraphIndex } from '../onnx/graph.js';

export interface LayerNormMatch {
  /** The normalised (and scaled/shifted) output tensor. */
  output: string;
  /** Every node of the LayerNorm, to tell whether the input is used by anything else. */
  nodes: Set<number>;
  /** Width from the gamma initializer, when it is one. */
  dim?: number;
}

function lastDim(g: GraphIndex, tensor: string | null | undefined): number | undefined {
  if (!tensor) return undefined;
  const dims = g.initializerDims(tensor);
  return dims && dims.length > 0 ? dims[dims.length - 1] : undefined;
}

/** The LayerNorm applied to `tensor`, if one reads it as its normalised input. */
export function layerNormOf(g: GraphIndex, tensor: string): LayerNormMatch | undefined {
  const consumers = g.consumers(tensor);
  for (const c of consumers) {
    const n = g.nodes[c];
    if (n.opType === 'LayerNormalization' && n.input?.[0] === tensor && n.output?.[0]) {
      return { output: n.output[0], nodes: new Set([c]), dim: lastDim(g, n.input?.[1]) };
    }
  }
  for (const rm of consumers) {
    const mean = g.nodes[rm];
    if (mean.opType !== 'ReduceMean' || mean.input?.[0] !== tensor) continue;
    const sub = consumers.find(
      (c) => g.nodes[c].opType === 'Sub' && g.nodes[c].input?.[0] === tensor && g.nodes[c].input?.[1] === mean.output?.[0],
    );
    if (sub === undefined) continue;
    const centred = g.nodes[sub].output?.[0] ?? '';
    // the normalising step: centred / sqrt(var + eps), or centred * rsqrt(...)
    const norm = g.consumers(centred).find((c) => {
      const n = g.nodes[c];
      if (n.input?.[0] !== centred && n.input?.[1] !== centred) return false;
      if (n.opType === 'Div') return n.input?.[0] === centred;
      return (
        n.opType === 'Mul' &&
        n.input?.[0] !== n.input?.[1] &&
        !g.isConstant(n.input?.[0] === centred ? (n.input?.[1] ?? '') : (n.input?.[0] ?? ''))
      );
    });
    if (norm === undefined) continue;
    const nodes = new Set([rm, sub, norm]);
    let out = g.nodes[norm].output?.[0] ?? '';
    let dim: number | undefined;
    // affine tail: Mul by gamma then Add beta (constants), each the sole reader of the previous tensor
    for (;;) {
      const next = g.consumers(out);
      if (next.length !== 1) break;
      const n = g.nodes[next[0]];
      if (n.opType !== 'Mul' && n.opType !== 'Add') break;
      const other = n.input?.[0] === out ? n.input?.[1] : n.input?.[0];
      if (!other || !g.isConstant(other)) break;
      if (n.opType === 'Mul') dim = lastDim(g, other) ?? dim;
      nodes.add(next[0]);
      out = n.output?.[0] ?? '';
    }
    return { output: out, nodes, dim };
  }
  return undefined;
}
