/**
 * The first layer's weight W1 holds almost all of the probes' parameters, and its update dominated the
 * step: built from whole-stack element-wise ops, Adam streamed four 10 MB tensors through memory a dozen
 * times per step. So the training graphs store W1 (and its Adam moments) in row chunks,
 * [L*q, rows, H] (the same bytes as [L, D, H], q = D / rows), and:
 *  - the forward product x W1 is a batched MatMul over chunks, summed over each probe's q chunks;
 *  - gradient and Adam run chunk by chunk inside a Scan: each iteration computes its block of
 *    X^T dz1 with a small MatMul and applies `adam` to it while it is in cache. The whole gradient is
 *    never materialised, and no 10 MB tensor is reshaped (a copy, for loop-carried values).
 */
import type { GraphBuilder } from '../../onnx/builder.js';
import { ADAM } from './mlp.js';

/**
 * Rows per chunk: the largest divisor of D not above `target` (a chunk is rows x 128 floats). The
 * default is a whole probe per chunk: measured on 2 cores, smaller chunks lose more to per-iteration
 * subgraph overhead than they gain in cache hits (q = 1: 19 ms per 13-layer step; q = 6: 26; q = 16: 37).
 */
function chunkRows(D: number, target = D): number {
  for (let r = Math.min(D, target); r >= 1; r--) if (D % r === 0) return r;
  return 1;
}

export interface W1Layout {
  D: number;
  H: number;
  rows: number;
  q: number;
}

export function w1Layout(D: number, H: number, rows?: number): W1Layout {
  const r = rows ?? chunkRows(D);
  if (D % r !== 0) throw new Error(`W1 chunk rows ${r} must divide D = ${D}`);
  return { D, H, rows: r, q: D / r };
}

/** x [L, B, D] as chunks [L*q, B, rows] (x itself for one chunk per probe, the default). */
export function chunkInput(b: GraphBuilder, lay: W1Layout, x: string): string {
  if (lay.q === 1) return x;
  const split = b.op('Reshape', [x, b.constI([0, 0, lay.q, lay.rows], [4])]); // [L, B, q, rows]
  const moved = b.op('Transpose', [split], { perm: { ints: [0, 2, 1, 3] } }); // [L, q, B, rows]
  const shape = b.op(
    'Concat',
    [b.constI([-1], [1]), b.op('Slice', [b.op('Shape', [x]), b.constI([1], [1]), b.constI([2], [1])]), b.constI([lay.rows], [1])],
    { axis: { i: 0 } },
  );
  return b.op('Reshape', [moved, shape]);
}

/** x W1 from chunks: xc [L*q, B, rows] x W1c [L*q, rows, H] -> [L, q, B, H] -> sum over q -> [L, B, H]. */
export function chunkedLinear(b: GraphBuilder, lay: W1Layout, xc: string, w1c: string): string {
  const prod = b.matmul(xc, w1c);
  if (lay.q === 1) return prod;
  const shape = b.op(
    'Concat',
    [b.constI([-1, lay.q], [2]), b.op('Slice', [b.op('Shape', [xc]), b.constI([1], [1]), b.constI([2], [1])]), b.constI([lay.H], [1])],
    { axis: { i: 0 } },
  );
  return b.sum(b.op('Reshape', [prod, shape]), [1], 0);
}

/** x [L, ...] (rank `rank`) -> [L*q, ...]: each probe's slice repeated for its q chunks (x itself when q = 1). */
function perChunk(b: GraphBuilder, x: string, q: number, rank: number): string {
  if (q === 1) return x;
  const tiled = b.op('Tile', [b.op('Unsqueeze', [x, b.constI([1], [1])]), b.constI([1, q, ...Array(rank - 1).fill(1)], [rank + 1])]);
  const shape = b.op('Concat', [b.constI([-1], [1]), b.op('Slice', [b.op('Shape', [x]), b.constI([1], [1]), b.constI([rank], [1])])], {
    axis: { i: 0 },
  });
  return b.op('Reshape', [tiled, shape]);
}

/**
 * W1's fused gradient + Adam. xc [L*q, B, rows] (chunked batch), dz1 [L, B, H] (gradient at the first
 * Linear's output), stepSizeL [L], bc2sqrt scalar; p, m, v chunked [L*q, rows, H], v carried as
 * v / W1_V_SCALE. Returns new p, m, v (v in the same scaled form).
 */
export function w1Update(
  b: GraphBuilder,
  lay: W1Layout,
  t: { p: string; m: string; v: string; xc: string; dz1: string; stepSizeL: string; bc2sqrt: string },
): { p: string; m: string; v: string } {
  const f = b.float;
  const { rows, H, q } = lay;
  const xt = b.t3(t.xc); // [L*q, rows, B]
  const dzRep = perChunk(b, t.dz1, q, 3); // [L*q, B, H]
  // Adam's step size times sqrt(1 - b2^t) / sqrt(c2) (see adamScaled), for each of a probe's chunks: [L*q]
  const rootC2 = b.constF(1 / Math.sqrt(W1_V_SCALE));
  const ssHat = b.mul(b.mul(t.stepSizeL, t.bc2sqrt), rootC2);
  const ssRep = perChunk(b, ssHat, q, 1);
  const epsHat = b.mul(b.mul(t.bc2sqrt, b.constF(ADAM.eps)), rootC2);
  // (1 - b1) g is computed as X^T ((1 - b1) dz1): the scaling costs a [B, H] op instead of a [rows, H] one
  const dzScaled = b.mul(dzRep, b.constF(1 - ADAM.beta1));

  const body = b.child();
  const pi = body.input(body.fresh('w1_p'), f, [rows, H]);
  const mi = body.input(body.fresh('w1_m'), f, [rows, H]);
  const vi = body.input(body.fresh('w1_v'), f, [rows, H]);
  const xi = body.input(body.fresh('w1_xt'), f, [rows, null]);
  const di = body.input(body.fresh('w1_dz'), f, [null, H]);
  const si = body.input(body.fresh('w1_s'), f, []);
  const r = adamScaled(body, pi, mi, vi, body.matmul(xi, di), si, epsHat);
  body.output(r.p, body.fresh('w1_p2'), f, [rows, H]);
  body.output(r.m, body.fresh('w1_m2'), f, [rows, H]);
  body.output(r.v, body.fresh('w1_v2'), f, [rows, H]);
  const [p2, m2, v2] = b.opN(
    'Scan',
    [t.p, t.m, t.v, xt, dzScaled, ssRep],
    3,
    {
      body: { g: body.graph('w1_update', false) },
      num_scan_inputs: { i: 6 },
    },
    'w1',
  );
  return { p: p2, m: m2, v: v2 };
}

/**
 * c2 = (1 - b2) / (1 - b1)^2. Inside the training graphs W1's second moment is carried as v / c2 (scaled
 * on the way into the epoch Loop and back on the way out, once per epoch), which saves a pass per step.
 */
export const W1_V_SCALE = (1 - ADAM.beta2) / (1 - ADAM.beta1) ** 2;

/**
 * Adam on a gradient given pre-scaled, gs = (1 - b1) g, with the second moment carried as
 * vc = v / c2 (W1_V_SCALE), rewritten to make 10 element-wise passes with one division instead of 13
 * with two (W1's update is most of the step). Algebraically the update of `adam` (torch 1.13):
 * m = b1 m + gs; vc = b2 vc + gs^2; p -= ssHat * m / (sqrt(vc) + epsHat), where
 * ssHat = lr / (1 - b1^t) * sqrt(1 - b2^t) / sqrt(c2) and epsHat = eps * sqrt(1 - b2^t) / sqrt(c2)
 * (torch's step with numerator and denominator multiplied by sqrt(1 - b2^t) / sqrt(c2)).
 * Rounding differs from torch's order by an ulp or so (the parity test holds it to 1e-5).
 */
function adamScaled(
  b: GraphBuilder,
  p: string,
  m: string,
  vc: string,
  gs: string,
  ssHat: string,
  epsHat: string,
): { p: string; m: string; v: string } {
  const m2 = b.add(b.mul(m, b.constF(ADAM.beta1)), gs);
  const v2 = b.add(b.mul(vc, b.constF(ADAM.beta2)), b.mul(gs, gs));
  const denom = b.add(b.op('Sqrt', [v2]), epsHat);
  return { p: b.sub(p, b.mul(b.div(m2, denom), ssHat)), m: m2, v: v2 };
}
