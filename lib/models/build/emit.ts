/**
 * The building blocks of an encoder graph written from canonical weights: weights as initializers
 * (linear weights transposed once, at build time, into MatMul's [in, out] layout), linear layers,
 * LayerNorm, exact (erf) GELU, and the onnxruntime contrib ops that fuse them. Which fused ops are used
 * is a `Fusion` setting so that every one can be checked against the plain-op graph (docs/MODELS.md
 * "Fused operators": each kept op holds transformers' numbers to ~1e-6); the plain graph uses only
 * standard ONNX ops.
 */
import type { CanonicalWeights } from '../../checkpoint/canonical.js';
import type { GraphBuilder } from '../../onnx/builder.js';

export const MS_DOMAIN = 'com.microsoft';

/** onnxruntime contrib ops the builder may use (all off: standard ONNX ops only). */
export interface Fusion {
  /** com.microsoft Attention: QKV projection, scaled dot product, attention bias and softmax in one op. */
  attention: boolean;
  /** com.microsoft SkipLayerNormalization: residual add (+ bias) and LayerNorm in one op. */
  skipLayerNorm: boolean;
  /** com.microsoft BiasGelu / Gelu: bias add and exact erf GELU (never FastGelu's tanh approximation). */
  gelu: boolean;
}

/**
 * The default. SkipLayerNormalization holds the numbers but is left out: onnxruntime 1.30's CPU kernel
 * took ~0.3 ms per HuBERT-base residual step where Sum + LayerNormalization take ~0.05 ms, 5-8 % of a
 * forward pass (docs/BENCHMARKS.md "Built graph, profiled").
 */
export const FUSED: Fusion = { attention: true, skipLayerNorm: false, gelu: true };
export const PLAIN: Fusion = { attention: false, skipLayerNorm: false, gelu: false };

/** [rows, cols] row-major -> [cols, rows]. */
export function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    for (let c0 = 0; c0 < cols; c0 += B) {
      const r1 = Math.min(rows, r0 + B);
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = w[r * cols + c];
    }
  }
  return out;
}

/** Writes nodes for one encoder into `g`, reading tensors from `w` by canonical name. */
export class Emitter {
  private readonly made = new Set<string>();

  constructor(
    readonly g: GraphBuilder,
    readonly w: CanonicalWeights,
    readonly fuse: Fusion,
  ) {}

  /** An initializer made once per name. */
  private once(name: string, make: () => { data: Float32Array; dims: number[] }): string {
    if (this.made.has(name)) return name;
    this.made.add(name);
    const { data, dims } = make();
    return this.g.initializer(name, data, dims);
  }

  /** A canonical tensor as stored (name kept as the initializer's name). */
  weight(name: string): string {
    return this.once(name, () => ({ data: this.w.float32(name), dims: this.w.shapes.get(name)! }));
  }

  /** A Conv1d weight [out, in, k] as a 2-d one, [out, in, 1, k] (same bytes). */
  weight2d(name: string): string {
    const [out, inp, k] = this.w.shapes.get(name)!;
    return this.once(name, () => ({ data: this.w.float32(name), dims: [out, inp, 1, k] }));
  }

  /** A canonical tensor under other dims, same bytes (a Conv1d weight [C, 1, k] as [C, k], a bias [C] as [C, 1]). */
  weightAs(name: string, dims: number[]): string {
    return this.once(`${name}.${dims.join('x')}`, () => ({ data: this.w.float32(name), dims }));
  }

  /** A canonical tensor read as [rows, cols], transposed to [cols, rows] (a Conv1d weight [C, 1, k] as MatMul's [k, C]). */
  weightViewT(name: string, rows: number, cols: number): string {
    return this.once(`${name}.T`, () => ({ data: transpose2d(this.w.float32(name), rows, cols), dims: [cols, rows] }));
  }

  /** A Linear's weight [out, in] as MatMul's [in, out]. */
  weightT(name: string): string {
    const [out, inp] = this.w.shapes.get(name)!;
    return this.once(`${name}.T`, () => ({ data: transpose2d(this.w.float32(name), out, inp), dims: [inp, out] }));
  }

  /** Several Linear weights side by side, [in, out1 + out2 + ...] (one MatMul for all of them). */
  packedWeightT(name: string, parts: string[]): string {
    const shapes = parts.map((p) => this.w.shapes.get(p)!);
    const inp = shapes[0][1];
    const total = shapes.reduce((s, [o]) => s + o, 0);
    const out = new Float32Array(inp * total);
    let col = 0;
    parts.forEach((p, k) => {
      const [o] = shapes[k];
      const t = transpose2d(this.w.float32(p), o, inp); // [inp, o]
      for (let r = 0; r < inp; r++) out.set(t.subarray(r * o, r * o + o), r * total + col);
      col += o;
    });
    return this.g.initializer(name, out, [inp, total]);
  }

  /** Biases side by side. */
  packedBias(name: string, parts: string[]): string {
    const data = parts.map((p) => this.w.float32(p));
    const out = new Float32Array(data.reduce((s, d) => s + d.length, 0));
    let at = 0;
    for (const d of data) {
      out.set(d, at);
      at += d.length;
    }
    return this.g.initializer(name, out, [out.length]);
  }

  /** x @ W^T (no bias). */
  matmul(x: string, prefix: string, hint?: string): string {
    return this.g.op('MatMul', [x, this.weightT(`${prefix}.weight`)], {}, hint);
  }

  /** nn.Linear: x @ W^T + b. */
  linear(x: string, prefix: string, hint?: string): string {
    return this.g.op('Add', [this.matmul(x, prefix, hint), this.weight(`${prefix}.bias`)], {}, hint);
  }

  /** nn.LayerNorm over the last axis. */
  layerNorm(x: string, prefix: string, eps: number, hint?: string): string {
    return this.g.op(
      'LayerNormalization',
      [x, this.weight(`${prefix}.weight`), this.weight(`${prefix}.bias`)],
      { axis: { i: -1 }, epsilon: { f: eps } },
      hint,
    );
  }

  /** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)). */
  gelu(x: string, hint?: string): string {
    if (this.fuse.gelu) return this.g.op('Gelu', [x], {}, hint, MS_DOMAIN);
    const g = this.g;
    const erf = g.op('Erf', [g.op('Div', [x, g.constF(Math.SQRT2)])]);
    return g.op('Mul', [g.op('Mul', [x, g.op('Add', [erf, g.constF(1)])]), g.constF(0.5)], {}, hint);
  }

  /** GELU(x + bias): one BiasGelu when fused. */
  biasGelu(x: string, biasName: string, hint?: string): string {
    if (this.fuse.gelu) return this.g.op('BiasGelu', [x, this.weight(biasName)], {}, hint, MS_DOMAIN);
    return this.gelu(this.g.op('Add', [x, this.weight(biasName)]), hint);
  }

  /**
   * LayerNorm(input + (skip + bias)), and that sum: the residual step of a transformer layer. Fused, one
   * SkipLayerNormalization (its fourth output is the sum, which pre-LN layers carry on); plain, one
   * Sum(input, skip, bias) and a LayerNormalization.
   */
  residualNorm(
    input: string,
    skip: string,
    biasName: string | undefined,
    lnPrefix: string,
    eps: number,
    hint?: string,
  ): { norm: string; sum: string } {
    const g = this.g;
    if (this.fuse.skipLayerNorm) {
      const inputs = [input, skip, this.weight(`${lnPrefix}.weight`), this.weight(`${lnPrefix}.bias`)];
      if (biasName) inputs.push(this.weight(biasName));
      const [norm, , , sum] = g.opN('SkipLayerNormalization', inputs, 4, { epsilon: { f: eps } }, hint, MS_DOMAIN);
      return { norm, sum };
    }
    // one Sum node: onnxruntime would fuse Add + Add + LayerNormalization back into its
    // SkipLayerNormalization kernel, which runs ~6x slower per element than Sum + LayerNormalization here
    const sum = g.op('Sum', biasName ? [input, skip, this.weight(biasName)] : [input, skip], {}, hint);
    return { norm: this.layerNorm(sum, lnPrefix, eps, hint), sum };
  }
}
