/**
 * A read-only index over an ONNX graph for structural queries: who produces and who consumes each
 * tensor, which tensors are constants (initializers, Constant nodes and anything computed only from
 * them), initializer shapes, and the set of nodes lying on paths between two tensors.
 */
import type { GraphProto, NodeProto, TensorProto } from './proto.js';
import { toNumber } from './proto.js';

export class GraphIndex {
  readonly nodes: NodeProto[];
  readonly initializers = new Map<string, TensorProto>();
  readonly inputs: string[];
  readonly outputs: string[];
  private readonly producer = new Map<string, number>();
  private readonly consumerMap = new Map<string, number[]>();
  private readonly constCache = new Map<string, boolean>();

  constructor(readonly graph: GraphProto) {
    this.nodes = graph.node ?? [];
    for (const t of graph.initializer ?? []) if (t.name) this.initializers.set(t.name, t);
    this.inputs = (graph.input ?? []).map((v) => v.name ?? '').filter((n) => !this.initializers.has(n));
    this.outputs = (graph.output ?? []).map((v) => v.name ?? '');
    this.nodes.forEach((n, i) => {
      for (const o of n.output ?? []) if (o) this.producer.set(o, i);
      for (const x of n.input ?? []) {
        if (!x) continue;
        const list = this.consumerMap.get(x);
        if (list) list.push(i);
        else this.consumerMap.set(x, [i]);
      }
    });
  }

  /** Index of the node producing `tensor`, or -1 for graph inputs, initializers and unknown names. */
  producerOf(tensor: string): number {
    return this.producer.get(tensor) ?? -1;
  }

  /** Indices of the nodes reading `tensor`, in graph order. */
  consumers(tensor: string): number[] {
    return this.consumerMap.get(tensor) ?? [];
  }

  /** True for initializers, Constant outputs and tensors computed from constants only. */
  isConstant(tensor: string): boolean {
    const cached = this.constCache.get(tensor);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (this.initializers.has(tensor)) result = true;
    else {
      const p = this.producerOf(tensor);
      if (p < 0) result = false;
      else {
        const node = this.nodes[p];
        this.constCache.set(tensor, false); // guards against cycles in malformed graphs
        result =
          node.opType === 'Constant' ||
          ((node.input ?? []).filter(Boolean).length > 0 && (node.input ?? []).every((x) => !x || this.isConstant(x)));
      }
    }
    this.constCache.set(tensor, result);
    return result;
  }

  /** Dims of an initializer, or undefined when `tensor` is not one. */
  initializerDims(tensor: string): number[] | undefined {
    const t = this.initializers.get(tensor);
    return t ? (t.dims ?? []).map((d) => toNumber(d as number)) : undefined;
  }

  /**
   * The nodes on some path from tensor `from` to tensor `to` (both ends' producers excluded/included as
   * natural: the node producing `to` is included when `to` depends on `from`). Empty when `to` does not
   * depend on `from`.
   */
  between(from: string, to: string): Set<number> {
    const back = new Set<number>();
    const stack: number[] = [];
    let reaches = false;
    const start = this.producerOf(to);
    if (start < 0) return new Set();
    stack.push(start);
    back.add(start);
    while (stack.length) {
      const n = stack.pop()!;
      for (const x of this.nodes[n].input ?? []) {
        if (!x) continue;
        if (x === from) {
          reaches = true;
          continue;
        }
        if (this.isConstant(x)) continue;
        const p = this.producerOf(x);
        if (p >= 0 && !back.has(p)) {
          back.add(p);
          stack.push(p);
        }
      }
    }
    if (!reaches) return new Set();
    // keep only the nodes that are also reachable forward from `from`
    const fwd = new Set<number>();
    const queue = this.consumers(from).filter((c) => back.has(c));
    for (const c of queue) fwd.add(c);
    while (queue.length) {
      const n = queue.pop()!;
      for (const o of this.nodes[n].output ?? []) {
        for (const c of this.consumers(o)) {
          if (back.has(c) && !fwd.has(c)) {
            fwd.add(c);
            queue.push(c);
          }
        }
      }
    }
    return fwd;
  }

  /** The op types of a set of nodes. */
  opTypes(nodes: Iterable<number>): Set<string> {
    const s = new Set<string>();
    for (const n of nodes) s.add(this.nodes[n].opType ?? '');
    return s;
  }
}
