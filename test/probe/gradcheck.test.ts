/**
 * Finite-difference check of the analytic backward pass (float64 graph): for sampled elements of
 * every parameter, (loss(p + h) - loss(p - h)) / 2h matches the graph's gradient to 1e-6 relative, plus
 * the difference quotient's rounding (8 eps |loss| / h, 3e-9 here; it was an absolute 1e-6, a good part
 * of gradients of ~1e-3). Measured: at most 2.1e-7 relative, 3.4e-10 absolute.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { MT19937 } from '../../lib/util/random.js';
import { PARAM_NAMES } from '../../lib/probe/graph/mlp.js';
import { buildStepGraph, stateNames, trainStateDims } from '../../lib/probe/graph/trainGraph.js';
import { stateShape } from '../../lib/probe/state.js';
import { uniform01 } from '../../lib/probe/init.js';

test('analytic gradients match central finite differences (float64)', async () => {
  const L = 2,
    D = 5,
    C = 4,
    B = 6;
  const rng = new MT19937(3);
  const u = () => uniform01(rng) * 2 - 1;
  const sess = await ort.InferenceSession.create(buildStepGraph({ D, C, float: 'float64' }));
  const state: Record<string, Float64Array> = {};
  for (const n of stateNames()) {
    const [r, c] = stateShape(n, D, C);
    state[n] = Float64Array.from({ length: L * r * c }, () => (n.startsWith('p_') ? 0.4 * u() + (n.startsWith('p_g') ? 1 : 0) : 0));
  }
  const x = Float64Array.from({ length: L * B * D }, () => 2 * u());
  const y = new Float64Array(B * C);
  for (let i = 0; i < B; i++) y[i * C + (i % C)] = 1;
  const run = async () => {
    const feeds: Record<string, ort.Tensor> = {};
    for (const n of stateNames()) feeds[n] = new ort.Tensor('float64', state[n], trainStateDims(n, L, { D, C }));
    feeds.x = new ort.Tensor('float64', x, [L, B, D]);
    feeds.y = new ort.Tensor('float64', y, [B, C]);
    feeds.stepSize = new ort.Tensor('float64', new Float64Array(L), [L]);
    feeds.bc2sqrt = new ort.Tensor('float64', Float64Array.from([1]), []);
    return sess.run(feeds);
  };
  const base = await run();
  const h = 1e-6;
  let checked = 0;
  for (const n of PARAM_NAMES) {
    const key = `p_${n}`;
    const grad = base[`grad_${n}`].data as Float64Array;
    const len = state[key].length;
    for (let s = 0; s < 4; s++) {
      const i = Math.floor(uniform01(rng) * len);
      const layer = Math.floor(i / (len / L));
      const keep = state[key][i];
      state[key][i] = keep + h;
      const up = (await run()).loss.data as Float64Array;
      state[key][i] = keep - h;
      const down = (await run()).loss.data as Float64Array;
      state[key][i] = keep;
      const fd = (up[layer] - down[layer]) / (2 * h);
      // relative 1e-6, plus the central difference's own rounding: a few ulps of the loss over 2h
      const floor = (8 * Number.EPSILON * Math.max(Math.abs(up[layer]), Math.abs(down[layer]))) / h;
      assert.ok(
        Math.abs(fd - grad[i]) <= 1e-6 * Math.abs(grad[i]) + floor,
        `${n}[${i}]: finite difference ${fd}, analytic ${grad[i]} (${(Math.abs(fd - grad[i]) / Math.abs(grad[i])).toExponential(2)} relative)`,
      );
      const other = 1 - layer; // the other stacked probe's loss must not move
      assert.ok(Math.abs(up[other] - down[other]) === 0, `${n}[${i}] leaks into probe ${other}`);
      checked++;
    }
  }
  assert.equal(checked, PARAM_NAMES.length * 4);
  await sess.release();
});
