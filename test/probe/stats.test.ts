import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapUar, mcnemar, meanStd, pairedBootstrap } from '../../lib/probe/stats.js';

test('McNemar exact: b=10, c=2 gives 2 * P(X <= 2 | 12, 1/2)', () => {
  const y = new Int32Array(12);
  const a = Int32Array.from({ length: 12 }, (_, i) => (i < 10 ? 0 : 1)); // right on 10
  const b = Int32Array.from({ length: 12 }, (_, i) => (i < 10 ? 1 : 0)); // right on 2
  const r = mcnemar(a, b, y);
  assert.equal(r.b, 10);
  assert.equal(r.c, 2);
  assert.ok(Math.abs(r.p - (2 * (1 + 12 + 66)) / 4096) < 1e-12);
  assert.equal(mcnemar(a, a, y).p, 1);
});

test('paired bootstrap: identical systems differ by 0 with p = 1; a clearly better one has p < 0.05', () => {
  const n = 200;
  const y = Int32Array.from({ length: n }, (_, i) => i % 4);
  const good = Int32Array.from(y);
  const bad = Int32Array.from(y, (c, i) => (i % 3 === 0 ? (c + 1) % 4 : c));
  const same = pairedBootstrap(good, good, y, 4, { resamples: 300 });
  assert.equal(same.diff, 0);
  assert.equal(same.p, 1);
  const r = pairedBootstrap(good, bad, y, 4, { resamples: 300, seed: 1 });
  assert.ok(r.diff > 0.2 && r.low > 0 && r.p < 0.05, JSON.stringify(r));
  assert.deepEqual(pairedBootstrap(good, bad, y, 4, { resamples: 300, seed: 1 }), r, 'reproducible for a seed');
});

test('bootstrap UAR interval brackets the estimate and is degenerate for perfect predictions', () => {
  const y = Int32Array.from({ length: 100 }, (_, i) => i % 5);
  const perfect = bootstrapUar([y], y, 5, { resamples: 200 });
  assert.deepEqual([perfect.estimate, perfect.low, perfect.high], [1, 1, 1]);
  const noisy = Int32Array.from(y, (c, i) => (i % 4 === 0 ? (c + 2) % 5 : c));
  const r = bootstrapUar([noisy, y], y, 5, { resamples: 300 });
  assert.ok(r.low < r.estimate && r.estimate < r.high && r.high <= 1, JSON.stringify(r));
});

test('mean and sample standard deviation', () => {
  assert.deepEqual(meanStd([1, 3]), { mean: 2, std: Math.SQRT2 });
  assert.deepEqual(meanStd([0.5]), { mean: 0.5, std: 0 });
});

test('paired bootstrap over seeds: one seed per side is the single-array test; more compare seed means', () => {
  const n = 120;
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const a1 = Int32Array.from(y, (c, i) => (i % 5 === 0 ? (c + 1) % 3 : c));
  const a2 = Int32Array.from(y, (c, i) => (i % 4 === 0 ? (c + 2) % 3 : c));
  const b1 = Int32Array.from(y, (c, i) => (i % 2 === 0 ? (c + 1) % 3 : c));
  assert.deepEqual(
    pairedBootstrap([a1], [b1], y, 3, { resamples: 100, seed: 3 }),
    pairedBootstrap(a1, b1, y, 3, { resamples: 100, seed: 3 }),
  );
  const r = pairedBootstrap([a1, a2], [b1], y, 3, { resamples: 100, seed: 3 });
  const u = (p: Int32Array) => {
    let s = 0;
    for (let c = 0; c < 3; c++) {
      let tp = 0;
      let n = 0;
      for (let i = 0; i < y.length; i++)
        if (y[i] === c) {
          n++;
          if (p[i] === c) tp++;
        }
      s += tp / n;
    }
    return s / 3;
  };
  assert.ok(Math.abs(r.diff - ((u(a1) + u(a2)) / 2 - u(b1))) < 1e-12);
  assert.ok(r.low <= r.diff && r.diff <= r.high);
});
