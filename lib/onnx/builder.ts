/**
 * The one ONNX graph writer: every graph bioprobe makes (the probe's training and evaluation graphs,
 * doctor's provider check, graphs built from checkpoints) is written through this builder and
 * serialised by onnx-proto (lib/onnx/proto.ts). Nodes get unique names from one counter shared with
 * sub-graphs (Loop bodies), and constants live in the root graph's initializers so that sub-graphs
 * reach them as outer-scope values. Models over 2 GB keep their weights in an external data file
 * (modelWithExternalData). Reading and byte-level rewriting of existing files are in proto.ts and splice.ts.
 */
import { DataType, onnx, type AttributeProto, type GraphProto, type NodeProto, type TensorProto, type ValueInfoProto } from './proto.js';

/** Element types of graph inputs, outputs and constants. */
export type Elem = 'float32' | 'float64' | 'float16' | 'int64' | 'int32' | 'bool';
const ELEM_CODE: Record<Elem, number> = {
  float32: DataType.FLOAT,
  float64: DataType.DOUBLE,
  float16: DataType.FLOAT16,
  int64: DataType.INT64,
  int32: DataType.INT32,
  bool: DataType.BOOL,
};

/** An attribute value, tagged by kind (ONNX needs to know int vs float). */
export type Attr =
  | { i: number }
  | { f: number }
  | { ints: number[] }
  | { floats: number[] }
  | { s: string }
  | { g: GraphProto }
  | { t: TensorProto };

/** A dimension: a fixed size, a symbolic name, or unknown (null). */
export type Dim = number | string | null;

/** Typed arrays an initializer can be made from (stored as raw little-endian bytes). */
export type InitData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint16Array | Uint8Array;

/** Options of a serialised model. */
export interface ModelOptions {
  /** Default-domain opset (default 17: ReduceMean still takes `axes` as an attribute). */
  opset?: number;
  /** Extra operator domains, e.g. `{ 'com.microsoft': 1 }` for onnxruntime's contrib ops. */
  domains?: Record<string, number>;
  producer?: string;
  /** Metadata key/values stored in the model (provenance). */
  metadata?: Record<string, string>;
}

function valueInfo(name: string, elem: Elem, dims?: Dim[]): ValueInfoProto {
  const shape =
    dims === undefined
      ? undefined
      : {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})),
        };
  return { name, type: { tensorType: { elemType: ELEM_CODE[elem], shape } } };
}

function toAttr(name: string, a: Attr): AttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('i' in a) return { name, type: T.INT, i: a.i };
  if ('f' in a) return { name, type: T.FLOAT, f: a.f };
  if ('ints' in a) return { name, type: T.INTS, ints: a.ints };
  if ('floats' in a) return { name, type: T.FLOATS, floats: a.floats };
  if ('s' in a) return { name, type: T.STRING, s: new TextEncoder().encode(a.s) };
  if ('t' in a) return { name, type: T.TENSOR, t: a.t };
  return { name, type: T.GRAPH, g: a.g };
}

/** The element type of a typed array, as an ONNX data type (Uint16Array is float16 bits, Uint8Array bool). */
function dataTypeOf(data: InitData): number {
  if (data instanceof Float32Array) return DataType.FLOAT;
  if (data instanceof Float64Array) return DataType.DOUBLE;
  if (data instanceof Int32Array) return DataType.INT32;
  if (data instanceof BigInt64Array) return DataType.INT64;
  if (data instanceof Uint16Array) return DataType.FLOAT16;
  return DataType.BOOL;
}

/** A tensor proto holding `data` as raw bytes (little-endian, as ONNX requires; so is every host Node runs on). */
export function rawTensor(name: string, data: InitData, dims: readonly number[]): TensorProto {
  const count = dims.reduce((p, d) => p * d, 1);
  if (count !== data.length) throw new Error(`initializer ${name}: ${data.length} values for shape [${dims.join(', ')}]`);
  return { name, dims: [...dims], dataType: dataTypeOf(data), rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

interface Shared {
  counter: number;
  initializers: TensorProto[];
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  private readonly shared: Shared;

  /** `float` is the element type of the graph's real-valued constants (float32, or float64 for checks). */
  constructor(
    readonly float: 'float32' | 'float64' = 'float32',
    shared?: Shared,
  ) {
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
   * output is renamed in place (an Identity would copy the tensor: 10 MB per step for the probe's W1
   * state); otherwise (a graph input, an outer-scope value, an output already) an Identity is added.
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
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, hint?: string, domain?: string): string {
    return this.opN(opType, inputs, 1, attrs, hint, domain)[0];
  }

  /** Add a node with `nOut` outputs (an empty input name is an omitted optional input). */
  opN(opType: string, inputs: string[], nOut: number, attrs: Record<string, Attr> = {}, hint?: string, domain?: string): string[] {
    const outs = Array.from({ length: nOut }, () => this.fresh(hint ?? opType.toLowerCase()));
    this.nodes.push({
      opType,
      input: inputs,
      output: outs,
      name: this.fresh('n'),
      domain: domain ?? '',
      attribute: Object.entries(attrs).map(([k, v]) => toAttr(k, v)),
    });
    return outs;
  }

  /** A named initializer from a typed array (weights: stored raw, no per-value encoding). */
  initializer(name: string, data: InitData, dims: readonly number[]): string {
    this.shared.initializers.push(rawTensor(name, data, dims));
    return name;
  }

  /** A real-valued constant of the builder's float type. */
  constF(values: number | number[], dims: number[] = []): string {
    const v = typeof values === 'number' ? [values] : values;
    const name = this.fresh('c');
    const t: TensorProto = { name, dims, dataType: ELEM_CODE[this.float] };
    if (this.float === 'float32') t.floatData = v;
    else t.doubleData = v;
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
  graph(name: string, root = true): GraphProto {
    return {
      name,
      node: this.nodes,
      input: this.inputs,
      output: this.outputs,
      initializer: root ? this.shared.initializers : [],
    };
  }

  /** Serialise as a model. */
  model(name: string, opts: ModelOptions = {}): Uint8Array {
    return onnx.ModelProto.encode(this.modelProto(name, opts, this.graph(name, true))).finish();
  }

  /**
   * Serialise with the weights in an external data file (models over protobuf's 2 GB limit): every raw
   * initializer of at least `minBytes` is written to `location` (relative to the .onnx file's folder)
   * at a 64-byte aligned offset, in order. Returns the model and the data file's contents as the list of
   * chunks to write one after the other (never concatenated: they may exceed what one buffer holds).
   */
  modelWithExternalData(
    name: string,
    location: string,
    opts: ModelOptions = {},
    minBytes = 1024,
  ): { model: Uint8Array; data: Uint8Array[] } {
    const graph = this.graph(name, true);
    const data: Uint8Array[] = [];
    let offset = 0;
    graph.initializer = (graph.initializer ?? []).map((t) => {
      const raw = t.rawData;
      if (!raw || raw.byteLength < minBytes) return t;
      const pad = (64 - (offset % 64)) % 64;
      if (pad) data.push(new Uint8Array(pad));
      offset += pad;
      data.push(raw);
      const ext = {
        ...t,
        rawData: undefined,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: location },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(raw.byteLength) },
        ],
      };
      offset += raw.byteLength;
      return ext;
    });
    return { model: onnx.ModelProto.encode(this.modelProto(name, opts, graph)).finish(), data };
  }

  private modelProto(_name: string, opts: ModelOptions, graph: GraphProto) {
    const domains = Object.entries(opts.domains ?? {}).map(([domain, version]) => ({ domain, version }));
    return onnx.ModelProto.create({
      irVersion: 8,
      producerName: opts.producer ?? 'bioprobe',
      opsetImport: [{ domain: '', version: opts.opset ?? 17 }, ...domains],
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph,
    });
  }

  // ---- thin helpers for the ops used most ----
  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.op('Div', [a, b]);
  }
  matmul(a: string, b: string): string {
    return this.op('MatMul', [a, b]);
  }
  /** Swap the last two axes of a rank-3 tensor. */
  t3(a: string): string {
    return this.op('Transpose', [a], { perm: { ints: [0, 2, 1] } });
  }
  /** Mean over `axes`, dims kept (opset 17 attribute form). */
  mean(a: string, axes: number[], keep = 1): string {
    return this.op('ReduceMean', [a], { axes: { ints: axes }, keepdims: { i: keep } });
  }
  /** Sum over `axes` (opset 13+ input form). */
  sum(a: string, axes: number[], keep = 1): string {
    return this.op('ReduceSum', [a, this.constI(axes, [axes.length])], { keepdims: { i: keep } });
  }
}
