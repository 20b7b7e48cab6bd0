/**
 * Finding every layer of a wav2vec2-family encoder in an ONNX graph by its structure, not node names:
 *
 *   conv stack -> feature projection P -> Add(P, posconv(P)) [-> LayerNorm] = encoder input E
 *   -> per transformer layer: Add(h, attention(h)) [-> LN], Add(h', ffn(h')) [-> LN] = layer output
 *
 * A "residual block" is an Add reading the current stream tensor s and a tensor computed from s. Its
 * branch (the nodes on paths from s to that tensor) tells its kind: a Conv means the positional
 * convolution, a Softmax (or a fused attention op) means self-attention, otherwise a feed-forward.
 * Post-LN models (all base models of the zoo) follow each Add with a LayerNorm that alone reads the sum;
 * pre-LN models continue from the sum itself; onnxruntime's fused SkipLayerNormalization counts as Add + LN. Graphs that already output `hidden_states.N` but whose
 * structure is not recognised fall back to those outputs.
 */
import { GraphIndex } from '../onnx/graph.js';
import type { GraphProto, NodeProto } from '../onnx/proto.js';
import { layerNormOf } from './layerNorm.js';

export type Layer0Tap = 'projection' | 'encoder-input';
export const LAYER0_TAPS: readonly Layer0Tap[] = ['projection', 'encoder-input'];

/** The tensors holding each layer's hidden states, [batch, frames, dim] each. */
export interface LayerTensors {
  /** Feature projection output (AVES's layer 0), before the positional convolution; absent when not found. */
  projection?: string;
  /** Input of the first transformer layer (HF hidden_states[0]). */
  encoderInput: string;
  /** Outputs of transformer layers 1..L. */
  layers: string[];
  /** Width read from LayerNorm weights when possible (checked by running the model anyway). */
  dim?: number;
  /** 'post-ln' (LayerNorm after each residual Add, base models) or 'pre-ln'. */
  norm: 'post-ln' | 'pre-ln';
  /** How the tensors were found ('layer-outputs': the graph already outputs layer_00..layer_L). */
  method: 'structure' | 'hidden-states-outputs' | 'layer-outputs';
}

type BlockKind = 'posconv' | 'attention' | 'ffn' | 'other';

interface Block {
  add: number;
  kind: BlockKind;
  size: number;
}

const ATTENTION_OPS = ['Softmax', 'Attention', 'MultiHeadAttention', 'GroupQueryAttention'];

function classify(ops: Set<string>): BlockKind {
  if (ops.has('Conv')) return 'posconv';
  if (ATTENTION_OPS.some((o) => ops.has(o))) return 'attention';
  if (ops.has('MatMul') || ops.has('Gemm')) return 'ffn';
  return 'other';
}

/** The two summed inputs of a residual node: Add, or onnxruntime's fused SkipLayerNormalization (Add + LN). */
function summands(n: NodeProto): [string, string] | undefined {
  const i = n.input ?? [];
  if (n.opType === 'Add' && i.length === 2) return [i[0], i[1]];
  if (n.opType === 'SkipLayerNormalization' && i.length >= 3) return [i[0], i[1]];
  return undefined;
}

/** `t` and the tensors that merely pass it on (Identity chains some exporters leave in). */
function aliases(g: GraphIndex, t: string): Set<string> {
  const out = new Set([t]);
  for (const x of out) {
    for (const c of g.consumers(x)) {
      const n = g.nodes[c];
      if (n.opType === 'Identity' && n.output?.[0]) out.add(n.output[0]);
    }
  }
  return out;
}

/** The residual block of node `c` with stream input `s`, when its other summand is computed from s. */
function blockAt(g: GraphIndex, c: number, s: string, alias: Set<string> = new Set([s])): Block | undefined {
  const pair = summands(g.nodes[c]);
  if (!pair || (!alias.has(pair[0]) && !alias.has(pair[1]))) return undefined;
  const other = alias.has(pair[0]) ? pair[1] : pair[0];
  if (!other || alias.has(other) || g.isConstant(other)) return undefined;
  const branch = g.between(s, other);
  if (branch.size === 0) return undefined;
  return { add: c, kind: classify(g.opTypes(branch)), size: branch.size };
}

/** Residual Adds reading stream tensor `s`: Add(s, f(s)) with f non-trivial, largest branch first. */
function residualBlocks(g: GraphIndex, s: string): Block[] {
  const out: Block[] = [];
  const alias = aliases(g, s);
  for (const a of alias) {
    for (const c of g.consumers(a)) {
      const b = blockAt(g, c, s, alias);
      if (b) out.push(b);
    }
  }
  return out.sort((a, b) => b.size - a.size);
}

/**
 * The stream tensor after a residual Add: its LayerNorm's output if that LN alone reads the sum (post-LN).
 * `allowLN` false keeps the raw sum: in a pre-LN model the last layer's sum is read only by the final
 * LayerNorm, which is not part of that layer.
 */
function advance(g: GraphIndex, add: number, allowLN = true): { stream: string; postLN: boolean; dim?: number } {
  const node = g.nodes[add];
  if (node.opType === 'SkipLayerNormalization') {
    const gamma = g.initializerDims(node.input?.[2] ?? '');
    return { stream: node.output?.[0] ?? '', postLN: true, dim: gamma?.[gamma.length - 1] };
  }
  let sum = node.output?.[0] ?? '';
  for (let next = g.consumers(sum); next.length === 1 && g.nodes[next[0]].opType === 'Identity'; next = g.consumers(sum)) {
    sum = g.nodes[next[0]].output?.[0] ?? sum;
  }
  const ln = layerNormOf(g, sum);
  if (allowLN && ln && g.consumers(sum).every((c) => ln.nodes.has(c))) return { stream: ln.output, postLN: true, dim: ln.dim };
  return { stream: sum, postLN: false, dim: ln?.dim }; // pre-LN: the LN reading the sum still tells the width
}

/** Follow attention/feed-forward residual blocks from the encoder input; one layer = attention + ffn. */
function walkLayers(g: GraphIndex, encoderInput: string): { layers: string[]; postLN: boolean; dim?: number } {
  const layers: string[] = [];
  let s = encoderInput;
  let attention = false;
  let postLN = false;
  let attentionPostLN = true;
  let dim: number | undefined;
  for (let guard = 0; guard < 10000; guard++) {
    const blocks = residualBlocks(g, s).filter((b) => b.kind === 'attention' || b.kind === 'ffn');
    if (blocks.length === 0) break;
    const b = blocks[0];
    // a feed-forward block is post-LN only if its layer's attention block was
    const next = advance(g, b.add, b.kind === 'attention' || attentionPostLN);
    if (b.kind === 'attention') {
      if (attention) break; // two attentions in a row: not the encoder we know
      attention = true;
      attentionPostLN = next.postLN;
    } else {
      if (!attention) break; // a feed-forward without attention: not a transformer layer
      attention = false;
      layers.push(next.stream);
      postLN = next.postLN;
      dim = next.dim ?? dim;
    }
    s = next.stream;
  }
  return { layers, postLN, dim };
}

/** Locate projection, encoder input and every layer output by structure; undefined when not found. */
export function findLayersByStructure(graph: GraphProto): LayerTensors | undefined {
  const g = new GraphIndex(graph);
  let best: LayerTensors | undefined;
  const consider = (found: LayerTensors) => {
    if (found.layers.length > 0 && (!best || found.layers.length > best.layers.length)) best = found;
  };
  // 1. the positional-convolution Add: Add(P, conv-branch(P))
  g.nodes.forEach((n, i) => {
    const pair = summands(n);
    if (!pair) return;
    for (const p of pair) {
      if (!p || g.isConstant(p)) continue;
      const block = blockAt(g, i, p);
      if (block?.kind !== 'posconv') continue;
      const enc = advance(g, i);
      const walk = walkLayers(g, enc.stream);
      consider({
        projection: p,
        encoderInput: enc.stream,
        layers: walk.layers,
        dim: walk.dim ?? enc.dim,
        norm: walk.postLN ? 'post-ln' : 'pre-ln',
        method: 'structure',
      });
    }
  });
  if (best) return best;
  // 2. no positional conv recognised: start at the first attention residual block
  for (const n of g.nodes) {
    for (const s of summands(n) ?? []) {
      if (!s || g.isConstant(s)) continue;
      if (!residualBlocks(g, s).some((b) => b.kind === 'attention')) continue;
      const walk = walkLayers(g, s);
      consider({ encoderInput: s, layers: walk.layers, dim: walk.dim, norm: walk.postLN ? 'post-ln' : 'pre-ln', method: 'structure' });
      if (best) return best;
    }
  }
  return undefined;
}

/** Graphs that already output hidden_states.0 .. hidden_states.L (HF exports with output_hidden_states). */
export function findHiddenStateOutputs(graph: GraphProto): LayerTensors | undefined {
  const byIndex = new Map<number, string>();
  for (const o of graph.output ?? []) {
    const m = /^(?:hidden_states|all_hidden_states)[._](\d+)$/.exec(o.name ?? '');
    if (m) byIndex.set(Number(m[1]), o.name!);
  }
  const n = byIndex.size;
  if (n < 2) return undefined;
  for (let i = 0; i < n; i++) if (!byIndex.has(i)) return undefined;
  return {
    encoderInput: byIndex.get(0)!,
    layers: Array.from({ length: n - 1 }, (_, i) => byIndex.get(i + 1)!),
    norm: 'post-ln',
    method: 'hidden-states-outputs',
  };
}

/**
 * Graphs whose outputs already are exactly `layer_00` .. `layer_L` (built from a checkpoint by
 * models/build, or tapped before): nothing to find. `norm` comes from the file's metadata when it says.
 */
export function findLayerOutputs(graph: GraphProto, norm: LayerTensors['norm'] = 'post-ln'): LayerTensors | undefined {
  const names = (graph.output ?? []).map((o) => o.name ?? '');
  if (names.length < 2 || !names.every((n, i) => n === `layer_${String(i).padStart(2, '0')}`)) return undefined;
  return { encoderInput: names[0], layers: names.slice(1), norm, method: 'layer-outputs' };
}

/** Layer outputs as they are, else structure, else declared hidden_states outputs. */
export function findLayers(graph: GraphProto, norm?: LayerTensors['norm']): LayerTensors | undefined {
  return findLayerOutputs(graph, norm) ?? findLayersByStructure(graph) ?? findHiddenStateOutputs(graph);
}
