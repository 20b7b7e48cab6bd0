/**
 * Finite-difference check of the weighted probe's analytic backward pass (float64 graph, as
 * gradcheck.test.ts for the layer probe): dL/dw through the softmax and the layer mix for every
 * element of w, at a random w and at w = 0 (the initial, uniform mix), and sampled elements of every
 * MLP parameter (whose input is now the mix). Tolerance: 1e-6 relative plus the difference quotient's
 * rounding (8 eps |loss| / h). Measured: worst 2.7e-7 relative (random w), 7.8e-8 (w = 0).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { MT19937 } from '../../lib/util/random.js';
import { PARAM_NAMES } from '../../lib/probe/graph/mlp.js';
import { stateNames, trainStateDims } from '../../lib/probe/graph/trainGraph.js';
import { MIX, buildWeightedStepGraph, layerMix } from '../../lib/probe/graph/weightedGraph.js';
import { uniform01 } from '../../lib/probe/init.js';

const L = 4,
  D = 5,
  C = 4,
  B = 6;
const stage = layerMix(L);

for (const start of ['random', 'zero'] as const)
  test(`weighted probe: analytic gradients match central finite differences (float64; w ${start})`, async () => {
    const rng = new MT19937(start === 'random' ? 5 : 8);
    const u = () => uniform01(rng) * 2 - 1;
    const sess = await ort.InferenceSession.create(buildWeightedStepGraph(L, { D, C, float: 'float64' }));
    const state: Record<string, Float64Array> = {};
    for (const n of stateNames(stage)) {
      const dims = trainStateDims(n, 1, { D, C, stage });
      const size = dims.reduce((a, b) => a * b, 1);
      const param = n.startsWith('p_');
      state[n] = Float64Array.from({ length: size }, () =>
        !param || (n === `p_${MIX}` && start === 'zero') ? 0 : n === `p_${MIX}` ? 1.5 * u() : 0.4 * u() + (n.startsWith('p_g') ? 1 : 0),
      );
    }
    // layers that differ in scale and content, so that dL/dw is far from zero
    const x = Float64Array.from({ length: L * B * D }, (_, i) => (1 + Math.floor(i / (B * D))) * u());
    const y = new Float64Array(B * C);
    for (let i = 0; i < B; i++) y[i * C + (i % C)] = 1;
    const run = async () => {
      const feeds: Record<string, ort.Tensor> = {};
      for (const n of stateNames(stage)) feeds[n] = new ort.Tensor('float64', state[n], trainStateDims(n, 1, { D, C, stage }));
      feeds.x = new ort.Tensor('float64', x, [L, B, D]);
      feeds.y = new ort.Tensor('float64', y, [B, C]);
      feeds.stepSize = new ort.Tensor('float64', new Float64Array(1), [1]);
      feeds.bc2sqrt = new ort.Tensor('float64', Float64Array.from([1]), []);
      return sess.run(feeds);
    };
    const base = await run();
    const h = 1e-6;
    let worst = 0;
    const check = async (n: string, i: number) => {
      const key = `p_${n}`;
      const grad = (base[`grad_${n}`].data as Float64Array)[i];
      const keep = state[key][i];
      state[key][i] = keep + h;
      const up = ((await run()).loss.data as Float64Array)[0];
      state[key][i] = keep - h;
      const down = ((await run()).loss.data as Float64Array)[0];
      state[key][i] = keep;
      const fd = (up - down) / (2 * h);
      const floor = (8 * Number.EPSILON * Math.max(Math.abs(up), Math.abs(down))) / h;
      if (grad !== 0) worst = Math.max(worst, Math.abs(fd - grad) / Math.abs(grad));
      assert.ok(Math.abs(fd - grad) <= 1e-6 * Math.abs(grad) + floor, `${n}[${i}]: finite difference ${fd}, analytic ${grad}`);
    };
    const gw = base[`grad_${MIX}`].data as Float64Array;
    assert.ok(
      gw.some((g) => Math.abs(g) > 1e-3),
      `dL/dw is not trivially small here: ${[...gw]}`,
    );
    assert.ok(Math.abs(gw.reduce((a, b) => a + b, 0)) < 1e-12, 'the softmax gradient sums to zero over the layers');
    for (let i = 0; i < L; i++) await check(MIX, i);
    for (const n of PARAM_NAMES) {
      const len = state[`p_${n}`].length;
      for (let s = 0; s < 3; s++) await check(n, Math.floor(uniform01(rng) * len));
    }
    assert.ok(worst < 1e-6, `worst relative error ${worst}`);
    await sess.release();
  });
