import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarise, tQuantile975 } from '../../lib/report/summary.js';

test('summarise gives mean, unbiased std and a Student-t 95 % interval', () => {
  const s = summarise([1, 2, 3]);
  assert.equal(s.mean, 2);
  assert.equal(s.std, 1);
  const half = (4.303 * 1) / Math.sqrt(3);
  assert.ok(Math.abs(s.hi - (2 + half)) < 1e-12 && Math.abs(s.lo - (2 - half)) < 1e-12);
});

test('one seed has no spread; no values gives NaN', () => {
  assert.deepEqual(summarise([61.5]), { mean: 61.5, std: 0, n: 1, lo: 61.5, hi: 61.5 });
  assert.ok(Number.isNaN(summarise([]).mean));
  assert.equal(tQuantile975(1), 12.706);
  assert.equal(tQuantile975(200), 1.96);
});
