/**
 * Low-rank linear CKA with a guaranteed interval per value (docs/ANALYSIS.md "Low-rank mode").
 * Layer by layer (its file read two or three times in a row, so all but the first read come from the
 * page cache): the layer's basis (lowrankLayer.ts, `gram` or `trace` bound), then W = X_t Q_r (n x r),
 * kept in memory as the row chunks onnxruntime returns. Then one pass over the kept W of every layer
 * accumulates WᵀW by model blocks (float32 products, float64 sums): the block (a, b) is
 * Q_aᵀ X_aᵀ X_b Q_b, whose squared norm is <K̂_a, K̂_b>; intervals follow (bounds.ts).
 * Cost beyond the bases: n p r per layer for W and n (Σr)² / 2 for the cross products.
 */
import { pairInterval, type LayerApprox } from './bounds.js';
import { layerBlocks, rowBuffers, type Ctx, type PairTable } from './context.js';
import { crossModels, project } from './lowrankGraphs.js';
import { layerBasis, type BasisOptions, type BoundKind } from './lowrankLayer.js';

export interface LowRankOptions extends BasisOptions {
  /** Added to both ends of each interval for rounding in float32 products. */
  allowance: number;
}

/** What the low-rank mode records per layer. */
export interface LayerRank extends LayerApprox {
  /** Basis vectors kept. */
  rank: number;
  /** Fraction of the layer's variance (trace of G) outside the kept subspace. */
  residualVariance: number;
  /** Upper bound on ||K - K̂|| / ||K||. */
  residualNorm: number;
}

/** Bytes the low-rank mode holds at most: kept projections, cross accumulators and their product block, row buffers. */
export function lowRankBytes(n: number, dims: readonly number[], rank: number, blockRows: number, bound: BoundKind): number {
  const R = dims.reduce((s, p) => s + Math.min(p, rank), 0);
  const pmax = Math.max(...dims);
  const rows = Math.min(n, blockRows);
  return n * R * 4 + ((R * R) / 2) * 8 + rows * R * 4 + 4 * rows * pmax * 4 + (bound === 'gram' ? pmax * pmax * 8 : 0);
}

/** Low-rank CKA over all compared layers (module comment). */
export async function lowRankCka(ctx: Ctx, opts: LowRankOptions): Promise<{ table: PairTable; layers: LayerRank[]; consistency: number }> {
  const L = ctx.refs.length;
  const n = ctx.rows.length;
  const dims = ctx.refs.map((r) => ctx.sources[r.model].dim);
  const pmax = Math.max(...dims);
  const scratch = {
    rows: rowBuffers(Math.min(n, ctx.blockRows), pmax),
    gram: opts.bound === 'gram' ? new Float64Array(pmax * pmax) : undefined,
  };
  const layers: LayerRank[] = [];
  const chunks: Float32Array[][] = [];
  for (let a = 0; a < L; a++) {
    const basis = await layerBasis(ctx, a, opts, scratch, 1 + a);
    layers.push({ ...basis.approx, rank: basis.rank, residualVariance: basis.residualVariance, residualNorm: basis.residualNorm });
    const mine: Float32Array[] = [];
    if (basis.rank > 0) {
      for await (const { block, count } of layerBlocks(ctx, ctx.refs[a], scratch.rows)) {
        mine.push(await project(ctx.gemm, block, count, dims[a], basis.mu, basis.m, basis.rank));
      }
    }
    chunks.push(mine);
    ctx.progress(
      `low-rank (${opts.bound}): layer ${a + 1}/${L} (rank ${basis.rank}, ||K-K̂||/||K|| <= ${basis.residualNorm.toExponential(2)})`,
    );
  }
  // model groups of the layers that kept a basis (refs are ordered model by model)
  const widths = layers.map((l) => l.rank);
  const groups: number[][] = [];
  ctx.refs.forEach((r, a) => {
    if (widths[a] === 0) return;
    const last = groups[groups.length - 1];
    if (last && ctx.refs[last[0]].model === r.model) last.push(a);
    else groups.push([a]);
  });
  const groupOf = new Int32Array(L).fill(-1);
  const offset = new Int32Array(L);
  groups.forEach((gr, i) => {
    let o = 0;
    for (const a of gr) {
      groupOf[a] = i;
      offset[a] = o;
      o += widths[a];
    }
  });
  const gw = groups.map((gr) => gr.reduce((s, a) => s + widths[a], 0));
  const acc: Float64Array[][] = groups.map((_, i) =>
    groups.map((__, j) => (j >= i ? new Float64Array(gw[i] * gw[j]) : new Float64Array(0))),
  );
  const sums = groups.map((_, i) => new Float64Array(gw[i]));
  const kept = groups.flat();
  const nChunks = kept.length > 0 ? chunks[kept[0]].length : 0;
  let pos = 0;
  const localGroups = groups.map((gr) => gr.map(() => pos++));
  for (let c = 0; c < nChunks; c++) {
    const count = chunks[kept[0]][c].length / widths[kept[0]];
    const res = await crossModels(
      ctx.gemm,
      kept.map((a) => chunks[a][c]),
      count,
      kept.map((a) => widths[a]),
      localGroups,
    );
    for (let i = 0; i < groups.length; i++) {
      for (let j = i; j < groups.length; j++) {
        const blk = res.blocks[i][j];
        const dst = acc[i][j];
        for (let t = 0; t < dst.length; t++) dst[t] += blk[t];
      }
      for (let t = 0; t < gw[i]; t++) sums[i][t] += res.sums[i][t];
    }
  }
  if (nChunks > 0) ctx.progress('low-rank: cross products done');
  for (const a of kept) chunks[a] = [];
  // <K̂_a, K̂_b> = ||W_aᵀ W_b - n w̄_a w̄_bᵀ||² (W's means are zero up to float32 rounding of μ)
  const inner = (a: number, b: number): number => {
    if (widths[a] === 0 || widths[b] === 0) return 0;
    let [ga, gb, oa, ob, ra, rb] = [groupOf[a], groupOf[b], offset[a], offset[b], widths[a], widths[b]];
    if (ga > gb || (ga === gb && oa > ob)) [ga, gb, oa, ob, ra, rb] = [gb, ga, ob, oa, rb, ra];
    const m = acc[ga][gb];
    const ld = gw[gb];
    let s = 0;
    for (let i = 0; i < ra; i++) {
      const wi = sums[ga][oa + i] / n;
      for (let j = 0; j < rb; j++) {
        const v = m[(oa + i) * ld + ob + j] - wi * sums[gb][ob + j];
        s += v * v;
      }
    }
    return s;
  };
  const approx: LayerApprox[] = [];
  let consistency = 0;
  for (let a = 0; a < L; a++) {
    const nk = Math.sqrt(inner(a, a));
    const ref = layers[a].normKhat;
    if (ref > 0) consistency = Math.max(consistency, Math.abs(nk - ref) / ref);
    approx.push({ ...layers[a], normKhat: nk });
  }
  const value = new Float64Array(L * L);
  const lower = new Float64Array(L * L);
  const upper = new Float64Array(L * L);
  for (let a = 0; a < L; a++) {
    for (let b = a; b < L; b++) {
      const iv =
        a === b
          ? approx[a].normKHigh > 0
            ? { value: 1, lower: 1, upper: 1 }
            : { value: NaN, lower: NaN, upper: NaN }
          : pairInterval(inner(a, b), approx[a], approx[b], opts.allowance);
      for (const [x, y] of [
        [a, b],
        [b, a],
      ]) {
        value[x * L + y] = iv.value;
        lower[x * L + y] = iv.lower;
        upper[x * L + y] = iv.upper;
      }
    }
  }
  return { table: { value, lower, upper }, layers, consistency };
}
