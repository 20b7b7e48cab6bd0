import { test } from 'node:test';
import assert from 'node:assert/strict';
import { besselI0, designLowpass, kaiserBeta, lowpassAt, lowpassEvaluator } from '../../lib/audio/kaiser.js';

test('Bessel I0 and Kaiser beta match tabulated values', () => {
  // numpy.i0 (Debian python3-numpy)
  for (const [x, want] of [
    [0, 1],
    [1, 1.2660658777520082],
    [5, 27.239871823604442],
    [11.16, 8490.05723879779],
  ] as const) {
    assert.ok(Math.abs(besselI0(x) / want - 1) < 1e-12, `I0(${x}) = ${besselI0(x)}`);
  }
  assert.ok(Math.abs(kaiserBeta(110) - 11.16326) < 1e-5);
  assert.ok(Math.abs(kaiserBeta(40) - 3.39532) < 1e-4); // 0.5842*19^0.4 + 0.07886*19
  assert.equal(kaiserBeta(20), 0);
});

test('the windowed sinc has unit DC gain at unit spacing and the fast evaluator matches the formula', () => {
  const d = designLowpass(0.9 * 0.18, 0.18, 110);
  const h = lowpassEvaluator(d);
  for (const frac of [0, 0.25, 0.5, 0.9]) {
    let sum = 0;
    for (let n = -Math.ceil(d.halfWidth) - 1; n <= Math.ceil(d.halfWidth) + 1; n++) sum += lowpassAt(d, n + frac);
    assert.ok(Math.abs(sum - 1) < 1e-5, `DC gain at phase ${frac}: ${sum}`);
  }
  let err = 0;
  for (let t = -d.halfWidth; t <= d.halfWidth; t += 0.0137) err = Math.max(err, Math.abs(h(t) - lowpassAt(d, t)));
  assert.ok(err < 1e-9, `fast evaluator error ${err}`);
  assert.equal(h(d.halfWidth + 1), 0);
});
