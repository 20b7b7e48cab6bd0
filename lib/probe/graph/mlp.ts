/**
 * The probe MLP as ONNX graph fragments, for L probes stacked on a leading layer axis:
 * Linear(D,128) LN ReLU, Linear(128,64) LN ReLU, Linear(64,32) LN ReLU, Linear(32,C) (SPEC.md).
 * Every parameter is rank 3: weights [L, in, out], biases and LayerNorm gamma/beta [L, 1, out].
 * The backward pass is written out analytically (Linear, LayerNorm, ReLU, softmax cross-entropy),
 * and Adam follows torch 1.13's `_single_tensor_adam` operation for operation (W1, most of the work,
 * uses an algebraically identical form with fewer passes: w1Update.ts).
 */
import type { GraphBuilder } from '../../onnx/builder.js';

export const HIDDEN = [128, 64, 32] as const;
const LN_EPS = 1e-5;

/** Parameter names in a fixed order (the order of every state list). */
export const PARAM_NAMES = ['W1', 'b1', 'g1', 'be1', 'W2', 'b2', 'g2', 'be2', 'W3', 'b3', 'g3', 'be3', 'W4', 'b4'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

/** Per-probe shape [rows, cols] of each parameter (without the layer axis). */
export function paramShapes(D: number, C: number): Record<ParamName, [number, number]> {
  const [h1, h2, h3] = HIDDEN;
  return {
    W1: [D, h1],
    b1: [1, h1],
    g1: [1, h1],
    be1: [1, h1],
    W2: [h1, h2],
    b2: [1, h2],
    g2: [1, h2],
    be2: [1, h2],
    W3: [h2, h3],
    b3: [1, h3],
    g3: [1, h3],
    be3: [1, h3],
    W4: [h3, C],
    b4: [1, C],
  };
}

export type Params = Record<ParamName, string>;

interface LnCache {
  xhat: string;
  rstd: string;
  g: string;
}
interface Cache {
  acts: string[];
  lns: LnCache[];
  relus: string[];
  x: string;
}

/**
 * LayerNorm over the last axis; returns y and what the backward pass needs. In float32 graphs the
 * normalisation is one LayerNormalization node with unit scale and zero shift (its output is xhat; it
 * also returns 1 / std), and the per-probe gain and shift [L, 1, H] follow as Mul and Add
 * (LayerNormalization's own scale cannot differ between stacked probes): 3 nodes instead of 10 per
 * layer, and per-node overhead is what small steps cost. onnxruntime has no float64 kernel for it, so
 * the float64 graphs (finite-difference checks) spell it out.
 */
function layerNorm(b: GraphBuilder, z: string, g: string, be: string, H: number): { y: string; c: LnCache } {
  if (b.float === 'float32') {
    const [xhat, , rstd] = b.opN('LayerNormalization', [z, b.constF(Array(H).fill(1), [H]), b.constF(Array(H).fill(0), [H])], 3, {
      axis: { i: -1 },
      epsilon: { f: LN_EPS },
    });
    return { y: b.add(b.mul(xhat, g), be), c: { xhat, rstd, g } };
  }
  const mu = b.mean(z, [-1]);
  const xc = b.sub(z, mu);
  const v = b.mean(b.mul(xc, xc), [-1]);
  const rstd = b.op('Reciprocal', [b.op('Sqrt', [b.add(v, b.constF(LN_EPS))])]);
  const xhat = b.mul(xc, rstd);
  return { y: b.add(b.mul(xhat, g), be), c: { xhat, rstd, g } };
}

/**
 * Forward pass: x [L, B, D] -> logits [L, B, C], plus the cache for backward. `firstLinear`, when
 * given, computes x W1 (the training graph's W1 is stored in row chunks, see w1Update.ts).
 */
export function forward(b: GraphBuilder, p: Params, x: string, firstLinear?: (x: string) => string): { logits: string; cache: Cache } {
  const acts = [x];
  const lns: LnCache[] = [];
  const relus: string[] = [];
  let h = x;
  for (let k = 1; k <= 3; k++) {
    const xw = k === 1 && firstLinear ? firstLinear(h) : b.matmul(h, p[`W${k}` as ParamName]);
    const z = b.add(xw, p[`b${k}` as ParamName]);
    const ln = layerNorm(b, z, p[`g${k}` as ParamName], p[`be${k}` as ParamName], HIDDEN[k - 1]);
    lns.push(ln.c);
    h = b.op('Relu', [ln.y]);
    relus.push(h);
    acts.push(h);
  }
  const logits = b.add(b.matmul(h, p.W4), p.b4);
  return { logits, cache: { acts, lns, relus, x } };
}

/**
 * Mean softmax cross-entropy against one-hot targets y [B, C] (broadcast over L).
 * Returns the per-probe loss [L] and d(loss)/d(logits) [L, B, C] = (softmax - y) / B.
 */
export function crossEntropy(b: GraphBuilder, logits: string, y: string): { loss: string; dlogits: string } {
  const lsm = b.op('LogSoftmax', [logits], { axis: { i: -1 } });
  const nll = b.op('Neg', [b.sum(b.mul(lsm, y), [-1], 0)]); // [L, B]
  const loss = b.mean(nll, [1], 0); // [L]
  const count = b.sum(y, [0, 1], 0); // B: each one-hot row sums to 1
  const dlogits = b.div(b.sub(b.op('Exp', [lsm]), y), count);
  return { loss, dlogits };
}

/** LayerNorm backward: dz = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)). */
function layerNormBack(b: GraphBuilder, c: LnCache, dy: string): { dz: string; dg: string; dbe: string } {
  const dg = b.sum(b.mul(dy, c.xhat), [1]);
  const dbe = b.sum(dy, [1]);
  const dxhat = b.mul(dy, c.g);
  const m1 = b.mean(dxhat, [-1]);
  const m2 = b.mean(b.mul(dxhat, c.xhat), [-1]);
  const dz = b.mul(c.rstd, b.sub(b.sub(dxhat, m1), b.mul(c.xhat, m2)));
  return { dz, dg, dbe };
}

/**
 * Backward pass from d(loss)/d(logits) to every parameter's gradient. W1's gradient X^T dz1 is a
 * [L, D, 128] tensor; with `w1Grad: false` it is not built and its factors (x, dz1) are returned so
 * that the caller can fuse it with the update (see w1Update.ts).
 */
export function backward(
  b: GraphBuilder,
  p: Params,
  cache: Cache,
  dlogits: string,
  opts: { w1Grad?: boolean } = {},
): { grads: Partial<Params>; x: string; dz1: string } {
  const g: Partial<Params> = {};
  g.W4 = b.matmul(b.t3(cache.acts[3]), dlogits);
  g.b4 = b.sum(dlogits, [1]);
  let dh = b.matmul(dlogits, b.t3(p.W4));
  let dz1 = '';
  for (let k = 3; k >= 1; k--) {
    const zero = b.constF(0);
    const dy = b.op('Where', [b.op('Greater', [cache.relus[k - 1], zero]), dh, zero]);
    const { dz, dg, dbe } = layerNormBack(b, cache.lns[k - 1], dy);
    g[`g${k}` as ParamName] = dg;
    g[`be${k}` as ParamName] = dbe;
    if (k > 1 || opts.w1Grad !== false) g[`W${k}` as ParamName] = b.matmul(b.t3(cache.acts[k - 1]), dz);
    g[`b${k}` as ParamName] = b.sum(dz, [1]);
    if (k > 1) dh = b.matmul(dz, b.t3(p[`W${k}` as ParamName]));
    else dz1 = dz;
  }
  return { grads: g, x: cache.x, dz1 };
}

export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/**
 * One Adam step for one parameter, as torch 1.13 (`_single_tensor_adam`, no amsgrad, no decay):
 * m = m*b1 + g*(1-b1); v = v*b2 + (1-b2)*g*g; p = p - stepSize * m / (sqrt(v)/bc2sqrt + eps),
 * stepSize = lr / (1 - b1^t) per probe [L, 1, 1] (0 freezes a probe), bc2sqrt = sqrt(1 - b2^t) scalar.
 */
export function adam(
  b: GraphBuilder,
  p: string,
  m: string,
  v: string,
  g: string,
  stepSize: string,
  bc2sqrt: string,
): { p: string; m: string; v: string } {
  const m2 = b.add(b.mul(m, b.constF(ADAM.beta1)), b.mul(g, b.constF(1 - ADAM.beta1)));
  const v2 = b.add(b.mul(v, b.constF(ADAM.beta2)), b.mul(b.mul(g, g), b.constF(1 - ADAM.beta2)));
  const denom = b.add(b.div(b.op('Sqrt', [v2]), bc2sqrt), b.constF(ADAM.eps));
  const p2 = b.sub(p, b.mul(stepSize, b.div(m2, denom)));
  return { p: p2, m: m2, v: v2 };
}
