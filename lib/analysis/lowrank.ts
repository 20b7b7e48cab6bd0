/**
 * Low-rank linear CKA with a guaranteed interval (docs/ANALYSIS.md "Low-rank mode"). Per layer, two
 * reads of its file (the second from the page cache):
 *   1. the exact p x p Gram G = X_cᵀ X_c, float32 products of row blocks (upper triangle only) summed
 *      in float64, centred afterwards (the blocks are shifted by the first block's mean, so the
 *      correction n (μ - s)(μ - s)ᵀ is small and loses no precision); standardised as T G T if asked;
 *   2. its leading eigen-subspace Q (subspace.ts), r columns, and W = X_t Q (n x r), kept in memory.
 * Then one pass over the kept W of every layer accumulates WᵀW (upper triangle, float32 products,
 * float64 sums): the block (a, b) is Q_aᵀ X_aᵀ X_b Q_b, whose squared norm is <K̂_a, K̂_b>.
 * Cost: n p² L (c + 1) / 2c for the Grams (c = GRAM_BLOCKS), n p r L for W, about n (Σr)² / 2 for the
 * cross products, against n p² L (L + 1) / 2 exactly.
 */
import { layerApprox, pairInterval, type LayerApprox } from './bounds.js';
import { inverseStd, layerBlocks, type Ctx, type PairTable } from './context.js';
import { addGramBlocks, equalBounds, symmetrize } from './graphs.js';
import { topSubspace } from './subspace.js';

/** Column blocks of a layer's Gram (the upper triangle costs (c + 1) / 2c of the full product). */
export const GRAM_BLOCKS = 8;

export interface LowRankOptions {
  /** Most basis vectors per layer. */
  rank: number;
  /** Stop at fewer when the layer's relative residual ||K - K̂|| / ||K|| is at most this. */
  tolerance?: number;
  /** Extra subspace-iteration vectors beyond `rank`. */
  oversample: number;
  /** Subspace-iteration steps. */
  iterations: number;
  /** Added to both ends of each interval for rounding in float32 products. */
  allowance: number;
}

/** What the low-rank mode records per layer. */
export interface LayerRank extends LayerApprox {
  /** Basis vectors kept. */
  rank: number;
  /** Fraction of the layer's variance (trace of G) outside the kept subspace. */
  residualVariance: number;
  /** ||K - K̂|| / ||K||. */
  residualNorm: number;
}

interface Kept { rank: number; w: Float32Array; info: LayerRank }

/** Pass 1: the centred (and standardised) Gram of one layer, and its column means. */
async function layerGram(ctx: Ctx, a: number): Promise<{ g: Float64Array; mu: Float64Array; scale?: Float64Array }> {
  const ref = ctx.refs[a];
  const p = ctx.sources[ref.model].dim;
  const n = ctx.rows.length;
  const bounds = equalBounds(p, GRAM_BLOCKS);
  const acc = new Float64Array(p * p);
  const sums = new Float64Array(p);
  let shift: Float64Array | undefined;
  const buf = new Float32Array(ctx.blockRows * p);
  for await (const { block, count } of layerBlocks(ctx, ref, buf)) {
    if (!shift) {
      shift = new Float64Array(p);
      for (let i = 0; i < count; i++) for (let j = 0; j < p; j++) shift[j] += block[i * p + j];
      for (let j = 0; j < p; j++) shift[j] = Math.fround(shift[j] / count);
    }
    const { blocks, sums: s } = await ctx.gemm.gramBlocks(block, count, bounds, { dtype: 'float32', centre: true, scale: false }, { mu: shift }, true);
    addGramBlocks(acc, p, bounds, blocks);
    for (let j = 0; j < p; j++) sums[j] += s![j];
  }
  symmetrize(acc, p);
  const d = sums.map((v) => v / n);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) acc[i * p + j] -= n * d[i] * d[j];
  const mu = shift!.map((v, j) => v + d[j]);
  if (!ctx.standardize) return { g: acc, mu };
  const scale = inverseStd((j) => acc[j * p + j], p, n);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) acc[i * p + j] *= scale[i] * scale[j];
  return { g: acc, mu, scale };
}

/** The smallest rank whose residual is within tolerance (or the cap), from the Ritz data. */
function chooseRank(normG2: number, ritz: Float64Array, gq2: Float64Array, cap: number, tolerance?: number): number {
  const kmax = Math.min(cap, ritz.length);
  if (tolerance === undefined || normG2 === 0) return kmax;
  let sg = 0;
  let sr = 0;
  for (let r = 1; r <= kmax; r++) {
    sg += gq2[r - 1];
    sr += ritz[r - 1] * ritz[r - 1];
    if (Math.sqrt(Math.max(0, normG2 - 2 * sg + sr) / normG2) <= tolerance) return r;
  }
  return kmax;
}

/** Passes 1 and 2 for one layer: the kept basis, W, and the layer's record. */
async function keepLayer(ctx: Ctx, a: number, opts: LowRankOptions, seed: number): Promise<Kept> {
  const ref = ctx.refs[a];
  const p = ctx.sources[ref.model].dim;
  const n = ctx.rows.length;
  const { g, mu, scale } = await layerGram(ctx, a);
  let normG2 = 0;
  let trace = 0;
  for (let t = 0; t < g.length; t++) normG2 += g[t] * g[t];
  for (let j = 0; j < p; j++) trace += g[j * p + j];
  const sub = await topSubspace(ctx.gemm, g, p, Math.min(p, n - 1, opts.rank + opts.oversample), opts.iterations, seed);
  const r = chooseRank(normG2, sub.ritz, sub.gq2, opts.rank, opts.tolerance);
  let gq2 = 0;
  let qgq2 = 0;
  let kept = 0;
  for (let i = 0; i < r; i++) { gq2 += sub.gq2[i]; qgq2 += sub.ritz[i] ** 2; kept += sub.ritz[i]; }
  const approx = layerApprox({ normG2, trace }, { gq2, qgq2, qgqTrace: kept, top: r > 0 ? sub.ritz[0] : 0 });
  const info: LayerRank = {
    ...approx, rank: r,
    residualVariance: trace > 0 ? Math.max(0, 1 - kept / trace) : 0,
    residualNorm: approx.normK > 0 ? approx.eta / approx.normK : 0,
  };
  // M = T Q_r (p x r): W = (x - μ) M = X_t Q_r
  const m = new Float32Array(p * r);
  for (let i = 0; i < p; i++) for (let j = 0; j < r; j++) m[i * r + j] = (scale ? scale[i] : 1) * sub.q[i * sub.k + j];
  const w = new Float32Array(n * r);
  if (r > 0) {
    const mu32 = Float32Array.from(mu);
    const buf = new Float32Array(ctx.blockRows * p);
    for await (const { block, count, first } of layerBlocks(ctx, ref, buf)) {
      w.set(await ctx.gemm.project(block, count, p, mu32, m, r), first * r);
    }
  }
  return { rank: r, w, info };
}

/** Column bounds at layer boundaries, grouped into about `target` blocks of similar width. */
function layerAlignedBounds(widths: readonly number[], target: number): number[] {
  const total = widths.reduce((s, w) => s + w, 0);
  const want = total / Math.max(1, target);
  const bounds = [0];
  let acc = 0;
  for (const w of widths) {
    acc += w;
    if (acc - bounds[bounds.length - 1] >= want) bounds.push(acc);
  }
  if (bounds[bounds.length - 1] !== total) bounds.push(total);
  return bounds;
}

/** Bytes the low-rank mode holds at most (the kept W of every layer, plus the cross accumulator). */
export function lowRankBytes(n: number, L: number, rank: number): number {
  const R = L * rank;
  return n * R * 4 + R * R * 8;
}

/** Low-rank CKA over all compared layers (module comment). */
export async function lowRankCka(ctx: Ctx, opts: LowRankOptions): Promise<{ table: PairTable; layers: LayerRank[]; consistency: number }> {
  const L = ctx.refs.length;
  const n = ctx.rows.length;
  const kept: Kept[] = [];
  for (let a = 0; a < L; a++) {
    kept.push(await keepLayer(ctx, a, opts, 1 + a));
    ctx.progress(`low-rank: layer ${a + 1}/${L} (rank ${kept[a].rank}, residual ${kept[a].info.residualNorm.toExponential(2)})`);
  }
  const widths = kept.map((k) => k.rank);
  const offs = widths.reduce<number[]>((o, w) => [...o, o[o.length - 1] + w], [0]);
  const R = offs[L];
  const C = new Float64Array(R * R);
  const wsum = new Float64Array(R);
  if (R > 0) {
    const bounds = layerAlignedBounds(widths, 12);
    const B = Math.max(256, Math.min(8192, Math.floor((128 << 20) / (4 * R))));
    const blk = new Float32Array(B * R);
    for (let u0 = 0; u0 < n; u0 += B) {
      const count = Math.min(B, n - u0);
      for (let a = 0; a < L; a++) {
        const r = widths[a];
        const src = kept[a].w;
        for (let i = 0; i < count; i++) blk.set(src.subarray((u0 + i) * r, (u0 + i + 1) * r), i * R + offs[a]);
      }
      const { blocks, sums } = await ctx.gemm.gramBlocks(blk, count, bounds, { dtype: 'float32', centre: false, scale: false }, {}, true);
      addGramBlocks(C, R, bounds, blocks);
      for (let j = 0; j < R; j++) wsum[j] += sums![j];
    }
    ctx.progress('low-rank: cross products done');
  }
  // <K̂_a, K̂_b> = ||W_aᵀ W_b - n w̄_a w̄_bᵀ||² (W's means are zero up to float32 rounding of μ)
  const inner = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < widths[a]; i++) {
      const wi = wsum[offs[a] + i] / n;
      for (let j = 0; j < widths[b]; j++) {
        const v = C[(offs[a] + i) * R + offs[b] + j] - n * wi * (wsum[offs[b] + j] / n);
        s += v * v;
      }
    }
    return s;
  };
  const approx: LayerApprox[] = [];
  let consistency = 0;
  for (let a = 0; a < L; a++) {
    const nk = Math.sqrt(inner(a, a));
    const ref = kept[a].info.normKhat;
    if (ref > 0) consistency = Math.max(consistency, Math.abs(nk - ref) / ref);
    approx.push({ ...kept[a].info, normKhat: nk });
  }
  const value = new Float64Array(L * L);
  const lower = new Float64Array(L * L);
  const upper = new Float64Array(L * L);
  for (let a = 0; a < L; a++) {
    for (let b = a; b < L; b++) {
      const iv = a === b
        ? (approx[a].normK > 0 ? { value: 1, lower: 1, upper: 1 } : { value: NaN, lower: NaN, upper: NaN })
        : pairInterval(inner(a, b), approx[a], approx[b], opts.allowance);
      for (const [x, y] of [[a, b], [b, a]]) {
        value[x * L + y] = iv.value;
        lower[x * L + y] = iv.lower;
        upper[x * L + y] = iv.upper;
      }
    }
  }
  return { table: { value, lower, upper }, layers: kept.map((k) => k.info), consistency };
}
