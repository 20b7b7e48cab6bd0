/**
 * The leading eigen-subspace of one layer's p x p Gram matrix G (symmetric, positive semi-definite):
 * subspace iteration (Q <- orth(G Q), products in onnxruntime) then a Rayleigh-Ritz step, so the
 * columns of Q are Ritz vectors ordered by Ritz value. Small matrices (p <= FULL_EIG_MAX) are
 * decomposed exactly in JavaScript instead. Whatever subspace comes out, the low-rank CKA's error
 * bound is computed for that very subspace (bounds.ts), so fewer iterations only loosen the bound.
 */
import { cholesky, invLower, symEig, uniformFill } from './linalg.js';
import type { Gemm } from './graphs.js';

/** Up to this size G is decomposed exactly (JavaScript, O(p^3)). */
export const FULL_EIG_MAX = 256;

export interface Subspace {
  /** Columns (may be fewer than asked when G has lower rank). */
  k: number;
  /** p x k row-major, orthonormal columns by decreasing Ritz value. */
  q: Float64Array;
  /** Ritz values q_iᵀ G q_i (descending). */
  ritz: Float64Array;
  /** ||G q_i||² per column. */
  gq2: Float64Array;
}

/** Columns (p x k') with orthonormal columns spanning the same space as y's (CholQR twice; an eigen fallback drops null directions). */
export async function orthonormalize(gemm: Gemm, y: Float64Array, p: number, k: number): Promise<{ q: Float64Array; k: number }> {
  let q = y;
  let cols = k;
  for (let round = 0; round < 2; round++) {
    const a = (await gemm.matmul(q, q, cols, p, cols, 'float64', true)) as Float64Array;
    const L = cholesky(a, cols);
    let right: Float64Array;
    let next = cols;
    if (L) {
      // Q L^-T: right factor is (L^-1)ᵀ
      const Li = invLower(L, cols);
      right = new Float64Array(cols * cols);
      for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) right[i * cols + j] = Li[j * cols + i];
    } else {
      const { values, vectors } = symEig(a, cols);
      const floor = Math.max(values[0], 0) * 1e-12;
      next = values.findIndex((v) => !(v > floor));
      if (next < 0) next = cols;
      if (next === 0) return { q: new Float64Array(0), k: 0 };
      right = new Float64Array(cols * next);
      for (let i = 0; i < cols; i++) for (let j = 0; j < next; j++) right[i * next + j] = vectors[i * cols + j] / Math.sqrt(values[j]);
    }
    q = (await gemm.matmul(q, right, p, cols, next, 'float64')) as Float64Array;
    cols = next;
  }
  return { q, k: cols };
}

/** Ritz vectors of `g` (p x p) in the span of `q0` (p x k orthonormal). */
async function rayleighRitz(gemm: Gemm, g: Float64Array, p: number, q0: Float64Array, k: number): Promise<Subspace> {
  const h = (await gemm.matmul(g, q0, p, p, k, 'float64')) as Float64Array;
  return ritzFromProducts(gemm, q0, h, p, k);
}

/**
 * Ritz vectors in the span of `q0` (p x k orthonormal) from the product h = G q0 alone (G itself need
 * not be known: the trace bound's sketch gives G q0 from the features).
 */
export async function ritzFromProducts(gemm: Gemm, q0: Float64Array, h: Float64Array, p: number, k: number): Promise<Subspace> {
  const b = (await gemm.matmul(q0, h, k, p, k, 'float64', true)) as Float64Array;
  const { values, vectors } = symEig(b, k);
  const q = (await gemm.matmul(q0, vectors, p, k, k, 'float64')) as Float64Array;
  const hv = (await gemm.matmul(h, vectors, p, k, k, 'float64')) as Float64Array;
  const gq2 = new Float64Array(k);
  for (let i = 0; i < p; i++) for (let j = 0; j < k; j++) gq2[j] += hv[i * k + j] * hv[i * k + j];
  return { k, q, ritz: values, gq2 };
}

/**
 * The leading `k`-dimensional eigen-subspace of `g` (p x p, row-major), from `iterations` steps of
 * subspace iteration started at a seeded random block.
 */
export async function topSubspace(gemm: Gemm, g: Float64Array, p: number, k: number, iterations: number, seed = 1): Promise<Subspace> {
  k = Math.min(k, p);
  if (p <= FULL_EIG_MAX) {
    const { values, vectors } = symEig(g, p);
    const q = new Float64Array(p * k);
    for (let i = 0; i < p; i++) for (let j = 0; j < k; j++) q[i * k + j] = vectors[i * p + j];
    const ritz = values.slice(0, k);
    return { k, q, ritz, gq2: ritz.map((v) => v * v) };
  }
  const start = new Float64Array(p * k);
  uniformFill(start, seed);
  let { q, k: cols } = await orthonormalize(gemm, start, p, k);
  const g32 = Float32Array.from(g);
  for (let it = 0; it < iterations && cols > 0; it++) {
    const y = await gemm.matmul(g32, Float32Array.from(q), p, p, cols, 'float32');
    ({ q, k: cols } = await orthonormalize(gemm, Float64Array.from(y), p, cols));
  }
  if (cols === 0) return { k: 0, q, ritz: new Float64Array(0), gq2: new Float64Array(0) };
  return rayleighRitz(gemm, g, p, q, cols);
}
