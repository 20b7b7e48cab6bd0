/**
 * A small ONNX graph builder for the probe's training and evaluation graphs (protobuf via onnx-proto).
 * Nodes get unique names from one counter shared with sub-graphs (Loop bodies), and constants live in
 * the root graph's initializers so that sub-graphs reach them as outer-scope values.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type INode = onnxProto.onnx.INodeProto;
type ITensor = onnxProto.onnx.ITensorProto;
type IValueInfo = onnxProto.onnx.IValueInfoProto;
type IAttr = onnxProto.onnx.IAttributeProto;
type IGraph = onnxProto.onnx.IGraphProto;

/** Element types the probe graphs use. */
export type Elem = 'float32' | 'float64' | 'int64' | 'bool';
const ELEM_CODE: Record<Elem, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float64: onnx.TensorProto.DataType.DOUBLE,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** An attribute value, tagged by kind (ONNX needs to know int vs float). */
export type Attr = { i: number } | { f: number } | { ints: number[] } | { g: IGraph };

/** A dimension: a fixed size, a symbolic name, or unknown (null). */
export type Dim = number | string | null;

function valueInfo(name: string, elem: Elem, dims?: Dim[]): IValueInfo {
  const shape = dims === undefined ? undefined : {
    dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})),
  };
  return { name, type: { tensorType: { elemType: ELEM_CODE[elem], shape } } };
}

function toAttr(name: string, a: Attr): IAttr {
  const T = onnx.AttributeProto.AttributeType;
  if ('i' in a) return { name, type: T.INT, i: a.i };
  if ('f' in a) return { name, type: T.FLOAT, f: a.f };
  if ('ints' in a) return { name, type: T.INTS, ints: a.ints };
  return { name, type: T.GRAPH, g: a.g };
}

interface Shared { counter: number; initializers: ITensor[] }

export class GraphBuilder {
  readonly nodes: INode[] = [];
  readonly inputs: IValueInfo[] = [];
  readonly outputs: IValueInfo[] = [];
  private readonly shared: Shared;

  /** `float` is the element type of the model's real-valued tensors (float32, or float64 for checks). */
  constructor(readonly float: 'float32' | 'float64' = 'float32', shared?: Shared) {
    this.shared = shared ?? { counter: 0, initializers: [] };
  }

  /** A builder for a sub-graph (Loop body) sharing names and constants with this one. */
  child(): GraphBuilder {
    return new GraphBuilder(this.float, this.shared);
  }

  /** A fresh unique tensor name. */
  fresh(hint = 't'): string {
    return `${hint}_${this.shared.counter++}`;
  }

  input(name: string, elem: Elem, dims?: Dim[]): string {
    this.inputs.push(valueInfo(name, elem, dims));
    return name;
  }

  /**
   * Declare `value` a graph output named `name`. A value made by a node of this graph and not yet an
   * output is renamed in place (an Identity would copy the tensor: 10 MB per step for W1's state);
   * otherwise (a graph input, an outer-scope value, an output already) an Identity node is added.
   */
  output(value: string, name: string, elem: Elem, dims?: Dim[]): string {
    const producer = this.nodes.find((n) => n.output?.includes(value));
    const taken = this.outputs.some((o) => o.name === value);
    if (value !== name && producer && !taken) {
      producer.output = producer.output!.map((o) => (o === value ? name : o));
      for (const n of this.nodes) n.input = n.input?.map((i) => (i === value ? name : i));
    } else if (value !== name) {
      this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: this.fresh('n') });
    }
    this.outputs.push(valueInfo(name, elem, dims));
    return name;
  }

  /** Add a node with one output; returns the output name. */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, hint?: string): string {
    return this.opN(opType, inputs, 1, attrs, hint)[0];
  }

  /** Add a node with `nOut` outputs. */
  opN(opType: string, inputs: string[], nOut: number, attrs: Record<string, Attr> = {}, hint?: string): string[] {
    const outs = Array.from({ length: nOut }, () => this.fresh(hint ?? opType.toLowerCase()));
    this.nodes.push({
      opType, input: inputs, output: outs, name: this.fresh('n'),
      attribute: Object.entries(attrs).map(([k, v]) => toAttr(k, v)),
    });
    return outs;
  }

  /** A real-valued constant of the builder's float type. */
  constF(values: number | number[], dims: number[] = []): string {
    const v = typeof values === 'number' ? [values] : values;
    const name = this.fresh('c');
    const t: ITensor = { name, dims, dataType: ELEM_CODE[this.float] };
    if (this.float === 'float32') t.floatData = v; else t.doubleData = v;
    this.shared.initializers.push(t);
    return name;
  }

  /** An int64 constant. */
  constI(values: number | number[], dims: number[] = []): string {
    const v = typeof values === 'number' ? [values] : values;
    const name = this.fresh('c');
    this.shared.initializers.push({ name, dims, dataType: ELEM_CODE.int64, int64Data: v });
    return name;
  }

  /** The graph proto (a root graph carries the shared initializers). */
  graph(name: string, root = true): IGraph {
    return {
      name, node: this.nodes, input: this.inputs, output: this.outputs,
      initializer: root ? this.shared.initializers : [],
    };
  }

  /** Serialise as a model (opset 17: ReduceMean still takes `axes` as an attribute). */
  model(name: string): Uint8Array {
    const m = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'bioprobe',
      opsetImport: [{ domain: '', version: 17 }],
      graph: this.graph(name, true),
    });
    return onnx.ModelProto.encode(m).finish();
  }

  // ---- thin helpers for the ops used most ----
  add(a: string, b: string): string { return this.op('Add', [a, b]); }
  sub(a: string, b: string): string { return this.op('Sub', [a, b]); }
  mul(a: string, b: string): string { return this.op('Mul', [a, b]); }
  div(a: string, b: string): string { return this.op('Div', [a, b]); }
  matmul(a: string, b: string): string { return this.op('MatMul', [a, b]); }
  /** Swap the last two axes of a rank-3 tensor. */
  t3(a: string): string { return this.op('Transpose', [a], { perm: { ints: [0, 2, 1] } }); }
  /** Mean over `axes`, dims kept (opset 17 attribute form). */
  mean(a: string, axes: number[], keep = 1): string { return this.op('ReduceMean', [a], { axes: { ints: axes }, keepdims: { i: keep } }); }
  /** Sum over `axes` (opset 13+ input form). */
  sum(a: string, axes: number[], keep = 1): string { return this.op('ReduceSum', [a, this.constI(axes, [axes.length])], { keepdims: { i: keep } }); }
}
