/**
 * One layer's basis for the low-rank CKA (docs/ANALYSIS.md "Low-rank mode"): its column means, the
 * kept basis Q_r (Ritz vectors of the layer's Gram G = X_tᵀ X_t, X_t centred and, if asked,
 * standardised), and what the error bound needs, in one of two ways:
 * - `gram`: G exactly (float32 products of row blocks in column halves, 0.75 of the full product,
 *   summed in float64; rows shifted by the first block's mean, corrected after), then subspace
 *   iteration on G. ||K|| and ||E|| are exact. Costs 0.75 n p² per layer.
 * - `trace`: a sketch, G Ω (one read), then G Q₁ for Q₁ = orth(G Ω) (a second read) and Rayleigh-Ritz
 *   in span(Q₁). In the basis [Q₁, rest], G's blocks on Q₁ are known exactly; the block on the rest
 *   is PSD with a known trace τ, so its Frobenius norm is at most τ: ||K|| and ||E|| are known up to
 *   it. Costs 4 n p k per layer (k = rank + oversample); the bound is tight when the spectrum beyond
 *   k carries little variance, loose when it is flat.
 */
import { layerApprox, type LayerApprox, type LayerTerms } from './bounds.js';
import { assertFinite, inverseStd, layerBlocks, type Ctx, type RowBuffers } from './context.js';
import { gramHalves, gramTimes, sketch } from './lowrankGraphs.js';
import { uniformFill } from './linalg.js';
import { orthonormalize, ritzFromProducts, topSubspace, type Subspace } from './subspace.js';

export type BoundKind = 'gram' | 'trace';

export interface BasisOptions {
  bound: BoundKind;
  rank: number;
  tolerance?: number;
  oversample: number;
  iterations: number;
}

/** A layer's kept basis and its record. */
export interface LayerBasis {
  /** Column means (float32, subtracted before projecting). */
  mu: Float32Array;
  /** T Q_r (p x r, float32): W = (X - μ) M is X_t Q_r. */
  m: Float32Array;
  rank: number;
  approx: LayerApprox;
  /** Fraction of the layer's variance (tr G) outside the kept subspace. */
  residualVariance: number;
  /** Upper bound on ||K - K̂|| / ||K||. */
  residualNorm: number;
}

/** Scratch memory reused across layers (fresh memory is slow to touch: graphs.ts). */
export interface Scratch {
  rows: RowBuffers;
  gram?: Float64Array;
}

/** The mean of a block's rows (float64 sums, rounded to float32: the shift of a Gram or sketch pass). */
function blockMean(block: Float32Array, count: number, p: number): Float32Array {
  const s = new Float64Array(p);
  for (let i = 0; i < count; i++) for (let j = 0; j < p; j++) s[j] += block[i * p + j];
  return Float32Array.from(s, (v) => v / count);
}

/** Σθ², Σθ, Σ||Gq||² over the first r Ritz vectors. */
function prefix(sub: Subspace, r: number): { qgq2: number; qgqTrace: number; gq2: number } {
  let qgq2 = 0;
  let qgqTrace = 0;
  let gq2 = 0;
  for (let i = 0; i < r; i++) {
    qgq2 += sub.ritz[i] ** 2;
    qgqTrace += sub.ritz[i];
    gq2 += sub.gq2[i];
  }
  return { qgq2, qgqTrace, gq2 };
}

/** The smallest r <= cap whose bound ||E|| / ||K|| is within tolerance (the cap without one). */
function chooseRank(terms: (r: number) => LayerTerms, cap: number, tolerance?: number): number {
  if (tolerance === undefined) return cap;
  for (let r = 1; r < cap; r++) {
    const a = layerApprox(terms(r));
    if (a.normKLow > 0 && a.eta / a.normKLow <= tolerance) return r;
  }
  return cap;
}

/** G exactly (gram bound): shifted float32 products in column halves, summed in float64, centred. */
async function exactGram(ctx: Ctx, a: number, scratch: Scratch): Promise<{ g: Float64Array; mu: Float64Array }> {
  const ref = ctx.refs[a];
  const p = ctx.sources[ref.model].dim;
  const n = ctx.rows.length;
  const h = p >> 1;
  const g = scratch.gram!.subarray(0, p * p).fill(0);
  const sums = new Float64Array(p);
  let shift: Float32Array | undefined;
  for await (const { block, count } of layerBlocks(ctx, ref, scratch.rows)) {
    shift ??= blockMean(block, count, p);
    const r = await gramHalves(ctx.gemm, block, count, p, shift);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < h; j++) g[i * p + j] += r.g00[i * h + j];
      for (let j = h; j < p; j++) g[i * p + j] += r.g01[i * (p - h) + j - h];
    }
    for (let i = h; i < p; i++) for (let j = h; j < p; j++) g[i * p + j] += r.g11[(i - h) * (p - h) + j - h];
    for (let j = 0; j < p; j++) sums[j] += r.sums[j];
  }
  assertFinite(ctx, ref, sums);
  for (let i = h; i < p; i++) for (let j = 0; j < h; j++) g[i * p + j] = g[j * p + i];
  const d = sums.map((v) => v / n);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) g[i * p + j] -= n * d[i] * d[j];
  return { g, mu: Float64Array.from(shift!, (v, j) => v + d[j]) };
}

async function gramBasis(ctx: Ctx, a: number, opts: BasisOptions, scratch: Scratch, seed: number) {
  const p = ctx.sources[ctx.refs[a].model].dim;
  const n = ctx.rows.length;
  const { g, mu } = await exactGram(ctx, a, scratch);
  let scale: Float64Array | undefined;
  if (ctx.standardize) {
    scale = inverseStd((j) => g[j * p + j], p, n);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) g[i * p + j] *= scale[i] * scale[j];
  }
  let normG2 = 0;
  let trace = 0;
  for (let t = 0; t < p * p; t++) normG2 += g[t] * g[t];
  for (let j = 0; j < p; j++) trace += g[j * p + j];
  const sub = await topSubspace(ctx.gemm, g, p, Math.min(p, n - 1, opts.rank + opts.oversample), opts.iterations, seed);
  const terms = (r: number): LayerTerms => {
    const s = prefix(sub, r);
    return { normG2, trace, ...s, top: r > 0 ? sub.ritz[0] : 0, eta2: normG2 - 2 * s.gq2 + s.qgq2, unseen: 0 };
  };
  return { mu, scale, sub, terms, trace };
}

async function traceBasis(ctx: Ctx, a: number, opts: BasisOptions, scratch: Scratch, seed: number) {
  const ref = ctx.refs[a];
  const p = ctx.sources[ref.model].dim;
  const n = ctx.rows.length;
  const k = Math.min(p, n - 1, opts.rank + opts.oversample);
  const omega = new Float32Array(p * k);
  uniformFill(omega, seed);
  const y1 = new Float64Array(p * k);
  const sums = new Float64Array(p);
  const squares = new Float64Array(p);
  let shift: Float32Array | undefined;
  for await (const { block, count } of layerBlocks(ctx, ref, scratch.rows)) {
    shift ??= blockMean(block, count, p);
    const r = await sketch(ctx.gemm, block, count, p, shift, omega, k);
    for (let t = 0; t < p * k; t++) y1[t] += r.y[t];
    for (let j = 0; j < p; j++) {
      sums[j] += r.sums[j];
      squares[j] += r.squares[j];
    }
  }
  assertFinite(ctx, ref, sums);
  assertFinite(ctx, ref, squares);
  const d = sums.map((v) => v / n);
  const mu = Float64Array.from(shift!, (v, j) => v + d[j]);
  const centred = squares.map((v, j) => Math.max(0, v - n * d[j] * d[j]));
  const scale = ctx.standardize ? inverseStd((j) => centred[j], p, n) : undefined;
  const T = (j: number) => (scale ? scale[j] : 1);
  // G_c Ω = Xsᵀ Xs Ω - n d (dᵀΩ); as a start block for G_t = T G_c T this is G_t (T⁻¹Ω), i.e. T (G_c Ω)
  const dOmega = new Float64Array(k);
  for (let j = 0; j < p; j++) for (let c = 0; c < k; c++) dOmega[c] += d[j] * omega[j * k + c];
  for (let j = 0; j < p; j++) for (let c = 0; c < k; c++) y1[j * k + c] = T(j) * (y1[j * k + c] - n * d[j] * dOmega[c]);
  let trace = 0;
  for (let j = 0; j < p; j++) trace += T(j) * T(j) * centred[j];
  const { q: q1, k: k1 } = await orthonormalize(ctx.gemm, y1, p, k);
  // G_t Q₁ = T X_cᵀ X_c (T Q₁)
  const m1 = new Float32Array(p * k1);
  for (let j = 0; j < p; j++) for (let c = 0; c < k1; c++) m1[j * k1 + c] = T(j) * q1[j * k1 + c];
  const mu32 = Float32Array.from(mu);
  const y2 = new Float64Array(p * k1);
  if (k1 > 0) {
    for await (const { block, count } of layerBlocks(ctx, ref, scratch.rows)) {
      const y = await gramTimes(ctx.gemm, block, count, p, mu32, m1, k1);
      for (let t = 0; t < p * k1; t++) y2[t] += y[t];
    }
  }
  for (let j = 0; j < p; j++) for (let c = 0; c < k1; c++) y2[j * k1 + c] *= T(j);
  const sub =
    k1 > 0
      ? await ritzFromProducts(ctx.gemm, q1, y2, p, k1)
      : { k: 0, q: new Float64Array(0), ritz: new Float64Array(0), gq2: new Float64Array(0) };
  // seen parts: G's blocks on span(Q₁) (Θ and its coupling C to the rest) are exact; the rest is PSD with trace τ
  const all = prefix(sub, sub.k);
  const off = (from: number) => {
    let s = 0;
    for (let i = from; i < sub.k; i++) s += Math.max(0, sub.gq2[i] - sub.ritz[i] ** 2);
    return s;
  };
  const tau = Math.max(0, trace - all.qgqTrace);
  const normG2 = all.qgq2 + 2 * off(0);
  const terms = (r: number): LayerTerms => {
    const s = prefix(sub, r);
    return { normG2, trace, ...s, top: r > 0 ? sub.ritz[0] : 0, eta2: all.qgq2 - s.qgq2 + 2 * off(r), unseen: tau };
  };
  return { mu, scale, sub, terms, trace };
}

/** The kept basis of layer `a` (module comment). */
export async function layerBasis(ctx: Ctx, a: number, opts: BasisOptions, scratch: Scratch, seed: number): Promise<LayerBasis> {
  const p = ctx.sources[ctx.refs[a].model].dim;
  const { mu, scale, sub, terms, trace } =
    opts.bound === 'gram' ? await gramBasis(ctx, a, opts, scratch, seed) : await traceBasis(ctx, a, opts, scratch, seed);
  const r = chooseRank(terms, Math.min(opts.rank, sub.k), opts.tolerance);
  const approx = layerApprox(terms(r));
  const kept = prefix(sub, r).qgqTrace;
  const m = new Float32Array(p * r);
  for (let i = 0; i < p; i++) for (let j = 0; j < r; j++) m[i * r + j] = (scale ? scale[i] : 1) * sub.q[i * sub.k + j];
  return {
    mu: Float32Array.from(mu),
    m,
    rank: r,
    approx,
    residualVariance: trace > 0 ? Math.max(0, 1 - kept / trace) : 0,
    residualNorm: approx.normKLow > 0 ? Math.min(1, approx.eta / approx.normKLow) : 0,
  };
}
