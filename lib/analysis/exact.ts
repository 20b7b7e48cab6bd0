/**
 * Exact linear CKA, products in float64 (docs/ANALYSIS.md "Exact mode"). Two equivalent forms:
 * - sample space: K = X_c X_cᵀ (n x n) per layer, then <K_a, K_b> for every pair as one product of the
 *   stacked, flattened kernels. Costs L n² p + L² n² multiply-adds and holds L n² doubles: the form
 *   for small n (n below a few thousand).
 * - feature space: <K_a, K_b> = ||X_aᵀ X_b||², the cross products accumulated over row blocks, layers
 *   taken in groups ("tiles") whose p x p accumulators fit the memory budget; a diagonal tile computes
 *   only its upper triangle. Costs n p² L (L + 1) / 2: the form for large n with few layers.
 * Data are centred with exact column means (a first pass); standardisation divides by the column
 * standard deviations (in sample space before the product, in feature space after it, as
 * D_a⁻¹ C_ab D_b⁻¹, which is the same).
 */
import { exactCka } from './bounds.js';
import { assertFinite, columnMeans, inverseStd, type Ctx, type LayerRef, type PairTable } from './context.js';
import { addGramBlocks } from './graphs.js';
import { readUsedRows } from './sources.js';

/** Sum of squares of the a x b sub-block at (r0, c0) of a row-major matrix with `ld` columns, scaled per row and column. */
function blockNorm2(
  acc: Float64Array | Float32Array,
  ld: number,
  r0: number,
  c0: number,
  pa: number,
  pb: number,
  sa?: Float64Array,
  sb?: Float64Array,
): number {
  let s = 0;
  for (let i = 0; i < pa; i++) {
    const o = (r0 + i) * ld + c0;
    const fi = sa ? sa[i] : 1;
    if (fi === 0) continue;
    for (let j = 0; j < pb; j++) {
      const v = acc[o + j] * fi * (sb ? sb[j] : 1);
      s += v * v;
    }
  }
  return s;
}

function table(L: number, inner: Float64Array, norms: Float64Array): PairTable {
  const value = new Float64Array(L * L);
  for (let a = 0; a < L; a++) {
    for (let b = a; b < L; b++) {
      const v = a === b ? (norms[a] > 0 ? 1 : NaN) : exactCka(inner[a * L + b], norms[a], norms[b]);
      value[a * L + b] = v;
      value[b * L + a] = v;
    }
  }
  return { value };
}

/** Exact CKA in sample space (module comment). */
export async function exactSampleSpace(ctx: Ctx): Promise<PairTable> {
  const L = ctx.refs.length;
  const n = ctx.rows.length;
  const stack = new Float64Array(L * n * n);
  for (let a = 0; a < L; a++) {
    const ref = ctx.refs[a];
    const p = ctx.sources[ref.model].dim;
    const x = new Float32Array(n * p);
    await readUsedRows(ctx.sources[ref.model], ref.layer, ctx.rows, 0, n, x);
    const mu = meansOf(x, n, p);
    assertFinite(ctx, ref, mu);
    let scale: Float64Array | undefined;
    if (ctx.standardize) {
      const d = new Float64Array(p);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < p; j++) {
          const v = x[i * p + j] - mu[j];
          d[j] += v * v;
        }
      scale = inverseStd((j) => d[j], p, n);
    }
    const k = await ctx.gemm.rowGram(x, n, p, { dtype: 'float64', centre: true, scale: ctx.standardize }, { mu, scale });
    stack.set(k, a * n * n);
    ctx.progress(`exact (sample space): layer ${a + 1}/${L}`);
  }
  const inner = await ctx.gemm.rowGram(stack, L, n * n, { dtype: 'float64', centre: false, scale: false });
  const norms = new Float64Array(L).map((_, a) => Math.sqrt(Math.max(0, inner[a * L + a])));
  return table(L, inner, norms);
}

/** Column means of an in-memory block (float64, shifted by the first row). */
function meansOf(x: Float32Array, n: number, p: number): Float64Array {
  const s = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) s[j] += x[i * p + j] - x[j];
  return s.map((v, j) => x[j] + v / n);
}

/** Layers per tile so that one tile's accumulator (g p)² doubles stays within half the memory budget. */
export function tileSize(p: number, L: number, memoryBytes: number): number {
  const g = Math.floor(Math.sqrt(memoryBytes / 2 / 8) / p);
  return Math.max(1, Math.min(L, g));
}

/** Interleave the blocks of several layers into one row-major [count, Σp] block. */
async function groupBlock(
  ctx: Ctx,
  group: readonly LayerRef[],
  dims: readonly number[],
  u0: number,
  count: number,
  tmp: Float32Array,
  out: Float32Array,
): Promise<void> {
  const P = dims.reduce((s, d) => s + d, 0);
  let off = 0;
  for (let g = 0; g < group.length; g++) {
    const p = dims[g];
    await readUsedRows(ctx.sources[group[g].model], group[g].layer, ctx.rows, u0, u0 + count, tmp);
    for (let i = 0; i < count; i++) out.set(tmp.subarray(i * p, (i + 1) * p), i * P + off);
    off += p;
  }
}

/** Exact CKA in feature space, by tiles of layers (module comment). */
export async function exactFeatureSpace(ctx: Ctx): Promise<PairTable> {
  const L = ctx.refs.length;
  const n = ctx.rows.length;
  const dims = ctx.refs.map((r) => ctx.sources[r.model].dim);
  const pmax = Math.max(...dims);
  const g = tileSize(pmax, L, ctx.memoryBytes);
  const groups: number[][] = [];
  for (let a = 0; a < L; a += g) groups.push(Array.from({ length: Math.min(g, L - a) }, (_, i) => a + i));
  const mus: Float64Array[] = [];
  for (let a = 0; a < L; a++) {
    mus.push(await columnMeans(ctx, ctx.refs[a]));
    ctx.progress(`exact (feature space): means ${a + 1}/${L}`);
  }
  const inner = new Float64Array(L * L);
  const norms = new Float64Array(L);
  const scales: (Float64Array | undefined)[] = new Array(L).fill(undefined);
  const offsets = (grp: number[]) => {
    const o = [0];
    for (const a of grp) o.push(o[o.length - 1] + dims[a]);
    return o;
  };
  const tiles: [number, number][] = [];
  for (let I = 0; I < groups.length; I++) tiles.push([I, I]);
  for (let I = 0; I < groups.length; I++) for (let J = I + 1; J < groups.length; J++) tiles.push([I, J]);
  let done = 0;
  for (const [I, J] of tiles) {
    const gi = groups[I];
    const gj = groups[J];
    const oi = offsets(gi);
    const oj = offsets(gj);
    const Pi = oi[oi.length - 1];
    const Pj = oj[oj.length - 1];
    const rowsPerBlock = Math.max(64, Math.min(ctx.blockRows, Math.floor((64 << 20) / (4 * Math.max(Pi, Pj)))));
    const tmp = new Float32Array(rowsPerBlock * pmax);
    const zi = new Float32Array(rowsPerBlock * Pi);
    const zj = I === J ? zi : new Float32Array(rowsPerBlock * Pj);
    const acc = new Float64Array(Pi * Pj);
    const muI = concat(gi.map((a) => mus[a]));
    const muJ = concat(gj.map((a) => mus[a]));
    for (let u0 = 0; u0 < n; u0 += rowsPerBlock) {
      const count = Math.min(rowsPerBlock, n - u0);
      await groupBlock(
        ctx,
        gi.map((a) => ctx.refs[a]),
        gi.map((a) => dims[a]),
        u0,
        count,
        tmp,
        zi,
      );
      if (I === J) {
        const { blocks } = await ctx.gemm.gramBlocks(zi, count, oi, { dtype: 'float64', centre: true, scale: false }, { mu: muI });
        addGramBlocks(acc, Pi, oi, blocks);
      } else {
        await groupBlock(
          ctx,
          gj.map((a) => ctx.refs[a]),
          gj.map((a) => dims[a]),
          u0,
          count,
          tmp,
          zj,
        );
        const c = await ctx.gemm.cross(zi, Pi, zj, Pj, count, { dtype: 'float64', centre: true, scale: false }, { mu: muI }, { mu: muJ });
        for (let t = 0; t < c.length; t++) acc[t] += c[t];
      }
    }
    if (I === J && ctx.standardize) {
      gi.forEach((a, x) => {
        scales[a] = inverseStd((j) => acc[(oi[x] + j) * Pi + oi[x] + j], dims[a], n);
      });
    }
    gi.forEach((a, x) => {
      gj.forEach((b, y) => {
        if (I === J && b < a) return;
        const v = blockNorm2(acc, Pj, oi[x], oj[y], dims[a], dims[b], scales[a], scales[b]);
        if (a === b) norms[a] = Math.sqrt(v);
        else {
          inner[a * L + b] = v;
          inner[b * L + a] = v;
        }
      });
    });
    ctx.progress(`exact (feature space): tile ${++done}/${tiles.length}`);
  }
  return table(L, inner, norms);
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Multiply-adds of the two exact forms (for the mode choice). */
export function exactCosts(n: number, dims: readonly number[]): { sampleSpace: number; featureSpace: number; sampleSpaceBytes: number } {
  const L = dims.length;
  const sumP = dims.reduce((s, p) => s + p, 0);
  let fs = 0;
  for (let a = 0; a < L; a++) for (let b = a; b < L; b++) fs += n * dims[a] * dims[b];
  return { sampleSpace: n * n * sumP + L * L * n * n, featureSpace: fs, sampleSpaceBytes: L * n * n * 8 };
}
