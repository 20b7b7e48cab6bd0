/**
 * What the CKA engines (exact.ts, lowrank.ts) share: the sources, the layers compared (in output
 * order), the rows used, the GEMM runner, and the per-layer statistics both need.
 */
import { BioprobeError } from '../util/errors.js';
import type { Gemm } from './graphs.js';
import { readUsedRows, type LayerSource } from './sources.js';

/** One compared layer: model index (into sources) and layer index. */
export interface LayerRef {
  model: number;
  layer: number;
}

export interface Ctx {
  sources: LayerSource[];
  refs: LayerRef[];
  /** Row indices used (usable in every model), ascending. */
  rows: Uint32Array;
  gemm: Gemm;
  /** Divide each feature dimension by its standard deviation first. */
  standardize: boolean;
  /** Rows per block read and multiplied at once. */
  blockRows: number;
  /** The most memory the engine may hold in accumulators and stores (bytes). */
  memoryBytes: number;
  progress: (message: string) => void;
}

/** CKA over all compared layers: L x L symmetric tables (row-major), NaN for a constant layer. */
export interface PairTable {
  value: Float64Array;
  /** Guaranteed interval (low-rank mode). */
  lower?: Float64Array;
  upper?: Float64Array;
}

/** Two row buffers of `rows` x `dim` floats: one being used while the next block is read into the other. */
export type RowBuffers = [Float32Array, Float32Array];

export function rowBuffers(rows: number, dim: number): RowBuffers {
  return [new Float32Array(rows * dim), new Float32Array(rows * dim)];
}

/**
 * Iterate the used rows of one layer in blocks of `ctx.blockRows`: (block, rows in block, first
 * used-row position). The next block is read while the caller works on this one (a features folder's
 * reads run on libuv's threads, beside onnxruntime's), so a block must not be used after asking for
 * the next.
 */
export async function* layerBlocks(
  ctx: Ctx,
  ref: LayerRef,
  bufs: RowBuffers,
): AsyncGenerator<{ block: Float32Array; count: number; first: number }> {
  const src = ctx.sources[ref.model];
  const n = ctx.rows.length;
  const B = ctx.blockRows;
  const read = (u0: number, buf: Float32Array) => readUsedRows(src, ref.layer, ctx.rows, u0, Math.min(n, u0 + B), buf);
  let pending: Promise<void> | undefined = n > 0 ? read(0, bufs[0]) : undefined;
  for (let u0 = 0, k = 0; u0 < n; u0 += B, k ^= 1) {
    await pending;
    pending = u0 + B < n ? read(u0 + B, bufs[k ^ 1]) : undefined;
    // a failed prefetch is reported when it is awaited, not as an unhandled rejection meanwhile
    pending?.catch(() => {});
    yield { block: bufs[k], count: Math.min(B, n - u0), first: u0 };
  }
}

/**
 * Refuse a layer whose used rows hold NaN or infinity (seen in its column sums, which every pass
 * computes): CKA would silently be NaN. Skipped clips' rows are not used, so they may hold anything.
 */
export function assertFinite(ctx: Ctx, ref: LayerRef, sums: ArrayLike<number>): void {
  for (let j = 0; j < sums.length; j++) {
    if (!Number.isFinite(sums[j])) {
      const src = ctx.sources[ref.model];
      throw new BioprobeError(
        'features',
        'cka-non-finite',
        `model ${src.name} layer ${ref.layer}: column ${j} holds NaN or infinite values in clips whose status is ok`,
        {
          file: src.file?.(ref.layer),
          hint: 're-extract the model, or mark the broken clips in clips.csv',
        },
      );
    }
  }
}

/** Column means of one layer over the used rows, in float64 (sums shifted by the first row for accuracy). */
export async function columnMeans(ctx: Ctx, ref: LayerRef): Promise<Float64Array> {
  const p = ctx.sources[ref.model].dim;
  const bufs = rowBuffers(Math.min(ctx.blockRows, ctx.rows.length), p);
  const sums = new Float64Array(p);
  let shift: Float32Array | undefined;
  for await (const { block, count } of layerBlocks(ctx, ref, bufs)) {
    if (!shift) shift = block.slice(0, p);
    for (let i = 0; i < count; i++) {
      const o = i * p;
      for (let j = 0; j < p; j++) sums[j] += block[o + j] - shift[j];
    }
  }
  assertFinite(ctx, ref, sums);
  const n = ctx.rows.length;
  return sums.map((s, j) => shift![j] + s / n);
}

/**
 * 1/σ per column from the diagonal of a centred Gram (σ² = G_jj / n); 0 for a constant column, which
 * is dropped (a variance below 1e-12 of the largest counts as constant: rounding, not signal).
 */
export function inverseStd(diag: (j: number) => number, p: number, n: number): Float64Array {
  const out = new Float64Array(p);
  let max = 0;
  for (let j = 0; j < p; j++) max = Math.max(max, diag(j) / n);
  for (let j = 0; j < p; j++) {
    const v = diag(j) / n;
    out[j] = v > max * 1e-12 && v > 0 ? 1 / Math.sqrt(v) : 0;
  }
  return out;
}
