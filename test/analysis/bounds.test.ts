/**
 * The low-rank CKA's interval (lib/analysis/bounds.ts) checked by brute force in float64 JavaScript:
 * for random layers and random orthonormal bases (not eigenvectors: the bound must hold for any
 * subspace), K, K̂ and E are formed explicitly (n x n) and the true CKA must lie in the interval.
 * Both bounds: `gram` (G known) and `trace` (only G Q₁ known for a sketch basis Q₁, the rest of G bounded
 * by its trace). Also the small dense linear algebra (linalg.ts) and the subspace iteration path (p > 256).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerApprox, pairInterval } from '../../lib/analysis/bounds.js';
import { cholesky, invLower, symEig } from '../../lib/analysis/linalg.js';
import { arraySource, ckaMatrix, layerSimilarity } from '../../lib/analysis/index.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

type M = { r: number; c: number; d: Float64Array };
const mat = (r: number, c: number, f: (i: number, j: number) => number): M => ({
  r,
  c,
  d: Float64Array.from({ length: r * c }, (_, t) => f(Math.floor(t / c), t % c)),
});
const at = (m: M, i: number, j: number) => m.d[i * m.c + j];
const mul = (a: M, b: M): M =>
  mat(a.r, b.c, (i, j) => {
    let s = 0;
    for (let k = 0; k < a.c; k++) s += at(a, i, k) * at(b, k, j);
    return s;
  });
const tr = (a: M): M => mat(a.c, a.r, (i, j) => at(a, j, i));
const dot = (a: M, b: M) => a.d.reduce((s, v, t) => s + v * b.d[t], 0);
const norm = (a: M) => Math.sqrt(dot(a, a));

function centred(x: M): M {
  const mu = Array.from({ length: x.c }, (_, j) => {
    let s = 0;
    for (let i = 0; i < x.r; i++) s += at(x, i, j);
    return s / x.r;
  });
  return mat(x.r, x.c, (i, j) => at(x, i, j) - mu[j]);
}

/** Orthonormal columns from Gram-Schmidt of a random p x r block. */
function randomBasis(p: number, r: number, rand: () => number): M {
  const q = mat(p, r, () => rand());
  for (let j = 0; j < r; j++) {
    for (let k = 0; k < j; k++) {
      let s = 0;
      for (let i = 0; i < p; i++) s += q.d[i * r + j] * q.d[i * r + k];
      for (let i = 0; i < p; i++) q.d[i * r + j] -= s * q.d[i * r + k];
    }
    let s = 0;
    for (let i = 0; i < p; i++) s += q.d[i * r + j] ** 2;
    for (let i = 0; i < p; i++) q.d[i * r + j] /= Math.sqrt(s);
  }
  return q;
}

/** Top-r eigenvectors of G as a basis. */
function eigBasis(g: M, r: number): M {
  const { vectors } = symEig(g.d, g.r);
  return mat(g.r, r, (i, j) => vectors[i * g.r + j]);
}

/** What the low-rank mode's `gram` bound would record for layer X with basis Q, from G only. */
function approxOf(x: M, q: M) {
  const g = mul(tr(x), x);
  const gq = mul(g, q);
  const qgq = mul(tr(q), gq);
  let trace = 0;
  let qgqTrace = 0;
  for (let i = 0; i < g.r; i++) trace += at(g, i, i);
  for (let i = 0; i < qgq.r; i++) qgqTrace += at(qgq, i, i);
  const top = symEig(qgq.d, qgq.r).values[0];
  const [normG2, gq2, qgq2] = [dot(g, g), dot(gq, gq), dot(qgq, qgq)];
  return layerApprox({ normG2, trace, gq2, qgq2, qgqTrace, top, eta2: normG2 - 2 * gq2 + qgq2, unseen: 0 });
}

/**
 * The `trace` bound's record: only G Q₁ is known for a k-dim basis Q₁; the kept r vectors are the top
 * Ritz vectors in span(Q₁); the rest of G is bounded by its trace. Returns the record and the kept basis.
 */
function sketchedOf(x: M, q1: M, r: number) {
  const g = mul(tr(x), x);
  const k = q1.c;
  const { values, vectors } = symEig(mul(tr(q1), mul(g, q1)).d, k);
  const q = mul(
    q1,
    mat(k, k, (i, j) => vectors[i * k + j]),
  );
  const gqCols = Array.from({ length: k }, (_, c) => {
    const v = mul(
      g,
      mat(g.r, 1, (i) => at(q, i, c)),
    );
    return dot(v, v);
  });
  let trace = 0;
  for (let i = 0; i < g.r; i++) trace += at(g, i, i);
  const sum = (f: (i: number) => number, a: number, b: number) => {
    let s = 0;
    for (let i = a; i < b; i++) s += f(i);
    return s;
  };
  const off = (a: number) => sum((i) => Math.max(0, gqCols[i] - values[i] ** 2), a, k);
  const seen = sum((i) => values[i] ** 2, 0, k) + 2 * off(0);
  const rec = layerApprox({
    normG2: seen,
    trace,
    gq2: sum((i) => gqCols[i], 0, r),
    qgq2: sum((i) => values[i] ** 2, 0, r),
    qgqTrace: sum((i) => values[i], 0, r),
    top: values[0],
    eta2: sum((i) => values[i] ** 2, r, k) + 2 * off(r),
    unseen: Math.max(0, trace - sum((i) => values[i], 0, k)),
  });
  return { rec, q: mat(g.r, r, (i, j) => at(q, i, j)) };
}

test('the interval holds the true CKA for random layers and any orthonormal basis (brute force, n x n kernels)', () => {
  const rand = rng(42);
  let trials = 0;
  for (let t = 0; t < 120; t++) {
    const n = 25 + (t % 7) * 3;
    const p = 6 + (t % 5);
    const q = 5 + (t % 4);
    // correlated layers with decaying column scales
    const base = mat(n, p, (_, j) => rand() / (1 + j));
    const xa = centred(base);
    const xb = centred(mat(n, q, (i, j) => (j < p ? at(base, i, j) * (t % 3) : 0) + (rand() / (1 + j)) * (1 + (t % 2))));
    const ka = mul(xa, tr(xa));
    const kb = mul(xb, tr(xb));
    const exact = dot(ka, kb) / (norm(ka) * norm(kb));
    for (const how of ['random', 'eigen'] as const) {
      const ra = 1 + (t % 3);
      const rb = 1 + ((t + 1) % 3);
      const qa = how === 'random' ? randomBasis(p, ra, rand) : eigBasis(mul(tr(xa), xa), ra);
      const qb = how === 'random' ? randomBasis(q, rb, rand) : eigBasis(mul(tr(xb), xb), rb);
      const wa = mul(xa, qa);
      const wb = mul(xb, qb);
      const inner = norm(mul(tr(wa), wb)) ** 2;
      const A = approxOf(xa, qa);
      const B = approxOf(xb, qb);
      // the recorded quantities are what they claim to be
      const kha = mul(wa, tr(wa));
      const ea = mat(n, n, (i, j) => at(ka, i, j) - at(kha, i, j));
      assert.ok(Math.abs(A.eta - norm(ea)) <= 1e-9 * norm(ka), `eta ${A.eta} vs ${norm(ea)}`);
      assert.ok(Math.abs(A.normKhat - norm(kha)) <= 1e-9 * norm(ka));
      const cosA = dot(ka, kha) / (norm(ka) * norm(kha));
      assert.ok(Math.abs(Math.cos(A.angle) - cosA) <= 1e-9);
      const iv = pairInterval(inner, A, B, 0);
      assert.ok(iv.lower - 1e-12 <= exact && exact <= iv.upper + 1e-12, `trial ${t} (${how}): ${exact} outside [${iv.lower}, ${iv.upper}]`);
      assert.ok(iv.lower <= iv.value && iv.value <= iv.upper);
      // the trace bound: Ritz vectors of a (k = r + 2)-dim basis, the rest of G bounded by its trace
      const sa = sketchedOf(
        xa,
        how === 'random' ? randomBasis(p, Math.min(p, ra + 2), rand) : eigBasis(mul(tr(xa), xa), Math.min(p, ra + 2)),
        ra,
      );
      const sb = sketchedOf(
        xb,
        how === 'random' ? randomBasis(q, Math.min(q, rb + 2), rand) : eigBasis(mul(tr(xb), xb), Math.min(q, rb + 2)),
        rb,
      );
      const sInner = norm(mul(tr(mul(xa, sa.q)), mul(xb, sb.q))) ** 2;
      assert.ok(sa.rec.normKLow <= norm(ka) * (1 + 1e-12) && norm(ka) <= sa.rec.normKHigh * (1 + 1e-12), 'the norm interval holds ||K||');
      const si = pairInterval(sInner, sa.rec, sb.rec, 0);
      assert.ok(
        si.lower - 1e-12 <= exact && exact <= si.upper + 1e-12,
        `trial ${t} (${how}, trace): ${exact} outside [${si.lower}, ${si.upper}]`,
      );
      trials++;
    }
  }
  assert.equal(trials, 240);
});

test('a full basis gives a zero-width interval at the exact value; a constant layer gives NaN', () => {
  const rand = rng(7);
  const xa = centred(mat(20, 4, () => rand()));
  const xb = centred(mat(20, 3, () => rand()));
  const ka = mul(xa, tr(xa));
  const kb = mul(xb, tr(xb));
  const exact = dot(ka, kb) / (norm(ka) * norm(kb));
  const ia = mat(4, 4, (i, j) => +(i === j));
  const ib = mat(3, 3, (i, j) => +(i === j));
  const iv = pairInterval(norm(mul(tr(mul(xa, ia)), mul(xb, ib))) ** 2, approxOf(xa, ia), approxOf(xb, ib), 0);
  assert.ok(Math.abs(iv.value - exact) < 1e-12 && iv.upper - iv.lower < 1e-6, JSON.stringify(iv));
  const zero = layerApprox({ normG2: 0, trace: 0, gq2: 0, qgq2: 0, qgqTrace: 0, top: 0, eta2: 0, unseen: 0 });
  assert.ok(Number.isNaN(pairInterval(0, zero, approxOf(xb, ib), 0).value));
});

test('symEig, cholesky and invLower on random matrices', () => {
  const rand = rng(3);
  for (const k of [1, 2, 7, 60]) {
    const a = new Float64Array(k * k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j <= i; j++) {
        const v = rand();
        a[i * k + j] = v;
        a[j * k + i] = v;
      }
    const { values, vectors } = symEig(a, k);
    for (let c = 0; c < k; c++) {
      if (c > 0) assert.ok(values[c] <= values[c - 1]);
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += a[i * k + j] * vectors[j * k + c];
        assert.ok(Math.abs(s - values[c] * vectors[i * k + c]) < 1e-12);
      }
    }
    const spd = new Float64Array(k * k);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        let s = i === j ? 1 : 0;
        for (let t = 0; t < k; t++) s += a[i * k + t] * a[j * k + t];
        spd[i * k + j] = s;
      }
    const L = cholesky(spd, k)!;
    const Li = invLower(L, k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        let r = 0;
        for (let t = 0; t < k; t++) {
          s += L[i * k + t] * L[j * k + t];
          r += L[i * k + t] * Li[t * k + j];
        }
        assert.ok(Math.abs(s - spd[i * k + j]) < 1e-10 && Math.abs(r - (i === j ? 1 : 0)) < 1e-10);
      }
    }
  }
  assert.equal(cholesky(Float64Array.from([1, 2, 2, 1]), 2), undefined, 'indefinite: no factor');
});

test('subspace iteration (p > 256) and the trace bound: exact CKA inside every interval, and more iterations never loosen a layer', async () => {
  const rand = rng(11);
  const n = 320;
  const p = 300;
  const latent = Array.from({ length: 6 }, () => Float64Array.from({ length: n }, () => rand()));
  const layer = (mix: number, seed: number) => {
    const r = rng(seed);
    const dirs = Array.from({ length: 6 }, () => Float64Array.from({ length: p }, () => r()));
    return Float32Array.from({ length: n * p }, (_, t) => {
      const i = Math.floor(t / p);
      const j = t % p;
      let s = 0;
      for (let k = 0; k < 6; k++) s += latent[k][i] * dirs[k][j] * mix ** k * 4;
      return s + (r() * 0.3) / Math.sqrt(1 + j);
    });
  };
  const src = [arraySource('m1', [layer(0.5, 1), layer(0.8, 2)], p), arraySource('m2', [layer(0.6, 3)], p)];
  const exact = await layerSimilarity({ features: src, mode: 'exact', threads: 1 });
  const few = await layerSimilarity({ features: src, mode: 'lowrank', rank: 4, iterations: 0, threads: 1, blockRows: 100 });
  const many = await layerSimilarity({ features: src, mode: 'lowrank', rank: 4, iterations: 6, threads: 1, blockRows: 100 });
  const sketched = await layerSimilarity({ features: src, mode: 'lowrank', bound: 'trace', rank: 4, threads: 1, blockRows: 100 });
  assert.equal(sketched.lowrank!.bound, 'trace');
  for (const res of [few, many, sketched]) {
    for (const pair of res.pairs) {
      const e = ckaMatrix(exact, pair.a, pair.b);
      for (let t = 0; t < pair.cka.length; t++) {
        assert.ok(
          pair.lower![t] <= e.cka[t] && e.cka[t] <= pair.upper![t],
          `${pair.a}/${pair.b}[${t}]: ${e.cka[t]} outside [${pair.lower![t]}, ${pair.upper![t]}]`,
        );
      }
    }
  }
  many.lowrank!.layers.forEach((l, i) => assert.ok(l.residualNorm <= few.lowrank!.layers[i].residualNorm + 1e-9));
  assert.ok(many.lowrank!.maxError < 0.2, `maxError ${many.lowrank!.maxError}`);
});
