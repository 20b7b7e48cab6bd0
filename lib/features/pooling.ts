/**
 * Pooling of one layer's frames into a clip vector: [mean (D), unbiased std (D)] = 2D values (SPEC.md).
 *
 * Frames may arrive in several chunks (a very long clip is cut into chunks, SPEC.md step 6, and the
 * chunks' frames are concatenated before pooling). Each chunk is reduced in float64 with two passes
 * (mean, then sum of squared deviations) and chunks are merged with Chan et al.'s parallel formula, so
 * the result equals a two-pass float64 computation over all frames without holding them all.
 *
 * One frame: the unbiased std (N-1 = 0) is undefined (torch returns NaN); bioprobe writes 0 instead,
 * because the store must never hold NaN. Zero frames: an error (the caller skips the clip).
 */
import { BioprobeError } from '../util/errors.js';

/** Running mean / M2 over the frames of one layer, in float64. */
export class LayerPool {
  readonly dim: number;
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly chunkMean: Float64Array;
  private readonly chunkM2: Float64Array;

  constructor(dim: number) {
    if (!Number.isInteger(dim) || dim <= 0)
      throw new BioprobeError('features', 'pool-dim', `pooling width must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dim);
    this.chunkMean = new Float64Array(dim);
    this.chunkM2 = new Float64Array(dim);
  }

  /** Number of frames added so far. */
  get frames(): number {
    return this.n;
  }

  /** Add `frames` frames stored row-major ([frames x dim]) in `data` starting at `offset`. */
  add(data: Float32Array, frames: number, offset = 0): void {
    const D = this.dim;
    if (frames <= 0) return;
    if (offset + frames * D > data.length) {
      throw new BioprobeError('features', 'pool-shape', `layer output has ${data.length - offset} values, expected ${frames} x ${D}`);
    }
    const cm = this.chunkMean;
    const c2 = this.chunkM2;
    cm.fill(0);
    c2.fill(0);
    for (let t = 0; t < frames; t++) {
      const base = offset + t * D;
      for (let d = 0; d < D; d++) cm[d] += data[base + d];
    }
    for (let d = 0; d < D; d++) cm[d] /= frames;
    for (let t = 0; t < frames; t++) {
      const base = offset + t * D;
      for (let d = 0; d < D; d++) {
        const e = data[base + d] - cm[d];
        c2[d] += e * e;
      }
    }
    if (this.n === 0) {
      this.mean.set(cm);
      this.m2.set(c2);
      this.n = frames;
      return;
    }
    // Chan, Golub & LeVeque: merge (n, mean, M2) of two disjoint sets.
    const na = this.n;
    const n = na + frames;
    for (let d = 0; d < D; d++) {
      const delta = cm[d] - this.mean[d];
      this.mean[d] += (delta * frames) / n;
      this.m2[d] += c2[d] + (delta * delta * na * frames) / n;
    }
    this.n = n;
  }

  /** Write [mean (D), std (D)] as float32 into `out` at `offset` (2D values). */
  writeTo(out: Float32Array, offset = 0): void {
    const D = this.dim;
    if (this.n === 0) throw new BioprobeError('features', 'pool-empty', 'no frames to pool (the model produced 0 frames)');
    const denom = this.n - 1;
    for (let d = 0; d < D; d++) {
      out[offset + d] = this.mean[d];
      out[offset + D + d] = denom > 0 ? Math.sqrt(Math.max(0, this.m2[d]) / denom) : 0;
    }
  }

  /** [mean (D), std (D)] as a new float32 array. */
  result(): Float32Array {
    const out = new Float32Array(2 * this.dim);
    this.writeTo(out);
    return out;
  }

  /** Forget all frames (reuse the buffers for the next clip). */
  reset(): void {
    this.n = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }
}

/** Pool one [frames x dim] array at once: [mean (D), unbiased std (D)]. */
export function poolFrames(data: Float32Array, frames: number, dim: number): Float32Array {
  const p = new LayerPool(dim);
  p.add(data, frames);
  return p.result();
}
