/**
 * Small dense linear algebra in float64 JavaScript for the k x k matrices of the low-rank CKA (k is the
 * subspace size, at most a few hundred): the symmetric eigendecomposition (Householder tridiagonal
 * reduction + implicit QL, the EISPACK tred2/tql2 pair as JAMA writes it) and Cholesky. Everything
 * n- or p-sized goes through onnxruntime instead (graphs.ts).
 * Matrices are row-major Float64Arrays.
 */

/** Eigenvalues (descending) and eigenvectors (columns of `vectors`, row-major k x k) of a symmetric matrix. */
export interface SymEig {
  values: Float64Array;
  vectors: Float64Array;
}

/** Symmetric eigendecomposition of the k x k row-major `a` (only its symmetric part is used). */
export function symEig(a: Float64Array, k: number): SymEig {
  // V holds the matrix and becomes the eigenvectors; d, e are the tridiagonal diagonal and off-diagonal.
  const V: Float64Array[] = [];
  for (let i = 0; i < k; i++) {
    const row = new Float64Array(k);
    for (let j = 0; j < k; j++) row[j] = 0.5 * (a[i * k + j] + a[j * k + i]);
    V.push(row);
  }
  const d = new Float64Array(k);
  const e = new Float64Array(k);
  tred2(V, d, e, k);
  tql2(V, d, e, k);
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => d[y] - d[x]);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    values[dst] = d[src];
    for (let i = 0; i < k; i++) vectors[i * k + dst] = V[i][src];
  });
  return { values, vectors };
}

/** Householder reduction to tridiagonal form (JAMA's tred2). */
function tred2(V: Float64Array[], d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[n - 1][j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[i - 1][j];
        V[i][j] = 0;
        V[j][i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j][i] = f;
        g = e[j] + V[j][j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k][j] * d[k];
          e[k] += V[k][j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k][j] -= f * e[k] + g * d[k];
        d[j] = V[i - 1][j];
        V[i][j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[n - 1][i] = V[i][i];
    V[i][i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k][i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k][i + 1] * V[k][j];
        for (let k = 0; k <= i; k++) V[k][j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k][i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[n - 1][j];
    V[n - 1][j] = 0;
  }
  V[n - 1][n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal matrix, accumulating the rotations into V (JAMA's tql2). */
function tql2(V: Float64Array[], d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            h = V[k][i + 1];
            V[k][i + 1] = s * V[k][i] + c * h;
            V[k][i] = c * V[k][i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/**
 * Cholesky factor L (lower, row-major) of the k x k symmetric positive definite `a`, or undefined when a
 * pivot is not positive (the caller falls back to a more robust orthonormalisation).
 */
export function cholesky(a: Float64Array, k: number): Float64Array | undefined {
  const L = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let s = a[j * k + j];
    for (let t = 0; t < j; t++) s -= L[j * k + t] * L[j * k + t];
    if (!(s > 0)) return undefined;
    const ljj = Math.sqrt(s);
    L[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let v = a[i * k + j];
      for (let t = 0; t < j; t++) v -= L[i * k + t] * L[j * k + t];
      L[i * k + j] = v / ljj;
    }
  }
  return L;
}

/** The inverse of a lower-triangular k x k matrix (row-major), itself lower-triangular. */
export function invLower(L: Float64Array, k: number): Float64Array {
  const X = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    X[j * k + j] = 1 / L[j * k + j];
    for (let i = j + 1; i < k; i++) {
      let s = 0;
      for (let t = j; t < i; t++) s += L[i * k + t] * X[t * k + j];
      X[i * k + j] = -s / L[i * k + i];
    }
  }
  return X;
}

/** Sum of squares of a typed array (or of its [start, end) slice). */
export function sumSquares(a: ArrayLike<number>, start = 0, end = a.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += a[i] * a[i];
  return s;
}

/** A deterministic pseudo-random generator (xorshift32 -> uniform in [-0.5, 0.5)) for starting subspaces. */
export function uniformFill(out: Float64Array | Float32Array, seed: number): void {
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x / 4294967296 - 0.5;
  }
}
