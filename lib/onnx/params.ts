/**
 * Parameter count of an ONNX model computed from its weights: the elements of every floating-point
 * initializer (and of non-scalar floating-point Constant nodes, where some exporters put weights).
 * Integer tensors (shapes, indices) and scalars (eps, 0.5, sqrt 2) are not parameters.
 */
import { DataType, toNumber, type GraphProto, type TensorProto } from './proto.js';

const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);

function elements(t: TensorProto): number {
  return (t.dims ?? []).reduce<number>((p, d) => p * toNumber(d as number), 1);
}

/** Count of floating-point weights in a graph (initializers + non-scalar float Constant nodes). */
export function countParameters(graph: GraphProto): number {
  let total = 0;
  for (const t of graph.initializer ?? []) {
    if (FLOAT_TYPES.has(t.dataType ?? 0)) total += elements(t);
  }
  for (const n of graph.node ?? []) {
    if (n.opType !== 'Constant') continue;
    for (const a of n.attribute ?? []) {
      const t = a.t;
      if (a.name === 'value' && t && FLOAT_TYPES.has(t.dataType ?? 0) && elements(t) > 1) total += elements(t);
    }
  }
  return total;
}

/**
 * The dtypes weights are stored in (to tell fp32 from fp16/quantized files): floating-point and 8/4-bit
 * integer initializers; int32/int64 tensors (shapes, indices) are not weights.
 */
export function weightTypes(graph: GraphProto): string[] {
  const names: Record<number, string> = {
    1: 'float32',
    10: 'float16',
    11: 'float64',
    16: 'bfloat16',
    3: 'int8',
    2: 'uint8',
    21: 'uint4',
    22: 'int4',
  };
  const seen = new Set<string>();
  for (const t of graph.initializer ?? []) {
    const name = names[t.dataType ?? 0];
    if (name && elements(t) > 1) seen.add(name);
  }
  return [...seen].sort();
}
