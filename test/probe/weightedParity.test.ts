/**
 * The weighted probe's graphs against PyTorch 1.13 (fixture: tools/make_weighted_reference.py, 380 KB):
 * w in R^3 and softmax(w)-weighted rows of 3 layers into the paper's MLP, one Adam over both. From the
 * same parameters (w, gamma and beta random: a non-uniform mix, every gradient exercised) and batch:
 * one step's loss, the gradient of every parameter (w's included), the updated parameters and both Adam
 * moments; a 3-step epoch through the Loop graph (short last batch); the evaluation graph's
 * log-posteriors through the mix.
 * Tolerances (test/probe/fixtures.ts, as the layer probe's parity test): loss 1e-6 relative; gradients,
 * moments and log-posteriors 1e-5 of themselves plus 2e-6 of their tensor's largest; updated parameters
 * 1e-4 of how far Adam moves them (lr per step) plus 2 ulp. For scale, torch's own float32 gradient of w
 * is 3.4e-6 (relative) from its float64 one on the smallest element (the fixture holds both).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { ProbeEngine } from '../../lib/probe/engine.js';
import { PARAM_NAMES } from '../../lib/probe/graph/mlp.js';
import { stateNames, trainStateDims } from '../../lib/probe/graph/trainGraph.js';
import { MIX, buildWeightedStepGraph, layerMix, mixWeights } from '../../lib/probe/graph/weightedGraph.js';
import { zeroState, type ProbeState } from '../../lib/probe/state.js';
import { closeRel, closeUpdate, f32 } from './fixtures.js';

type Arrays = Record<string, string>;
interface Run {
  init: Arrays;
  loss1: number;
  losses: number[];
  grads1: Arrays;
  grad_mix_f64: number[];
  step1: { p: Arrays; m: Arrays; v: Arrays };
  epoch: { p: Arrays };
  logp: string;
  weights: number[];
}
const ref = JSON.parse(readFileSync('test/fixtures/probe/weighted_reference.json', 'utf8')) as {
  L: number;
  N: number;
  D: number;
  C: number;
  batch: number;
  lr: number;
  X: string;
  y: number[];
  perm: number[];
  float32: Run;
};
const { L, N, D, C, batch, lr } = ref;
const torch = ref.float32;
const X = f32(ref.X); // [L, N, D]
const Y = new Float32Array(N * C);
ref.y.forEach((c, i) => {
  Y[i * C + c] = 1;
});
const NAMES = [...PARAM_NAMES, MIX];
const stage = layerMix(L);

/** The fixture's initial parameters as a one-probe state with zero moments. */
function initial(): ProbeState {
  const s = zeroState(1, D, C);
  for (const k of ['m', 'v']) s.arrays[`${k}_${MIX}`] = new Float32Array(L);
  for (const n of NAMES) s.arrays[`p_${n}`] = f32(torch.init[n]);
  return s;
}

test('one training step of the weighted probe: loss, every gradient (w included), updated parameters and Adam moments equal PyTorch', async () => {
  const sess = await ort.InferenceSession.create(buildWeightedStepGraph(L, { D, C }));
  const s = initial();
  const feeds: Record<string, ort.Tensor> = {};
  for (const n of stateNames(stage))
    feeds[n] = new ort.Tensor('float32', s.arrays[n] as Float32Array, trainStateDims(n, 1, { D, C, stage }));
  const rows = ref.perm.slice(0, batch);
  const x = new Float32Array(L * batch * D);
  for (let l = 0; l < L; l++) rows.forEach((r, j) => x.set(X.subarray((l * N + r) * D, (l * N + r + 1) * D), (l * batch + j) * D));
  const y = new Float32Array(batch * C);
  rows.forEach((r, j) => {
    y[j * C + ref.y[r]] = 1;
  });
  feeds.x = new ort.Tensor('float32', x, [L, batch, D]);
  feeds.y = new ort.Tensor('float32', y, [batch, C]);
  feeds.stepSize = new ort.Tensor('float32', Float32Array.from([lr / (1 - 0.9)]), [1]);
  feeds.bc2sqrt = new ort.Tensor('float32', Float32Array.from([Math.sqrt(1 - 0.999)]), []);
  const out = await sess.run(feeds);
  closeRel(out.loss.data as Float32Array, [torch.loss1], 'loss', 1, 1e-6, 0);
  for (const n of NAMES) {
    closeRel(out[`grad_${n}`].data as Float32Array, f32(torch.grads1[n]), `grad ${n}`);
    closeUpdate(out[`out_p_${n}`].data as Float32Array, f32(torch.step1.p[n]), f32(torch.grads1[n]), [lr], 1, `updated ${n}`);
    closeRel(out[`out_m_${n}`].data as Float32Array, f32(torch.step1.m[n]), `first moment ${n}`);
    closeRel(out[`out_v_${n}`].data as Float32Array, f32(torch.step1.v[n]), `second moment ${n}`);
  }
  // w's gradient also against torch's float64 one (float32 itself is 3.4e-6 off on the smallest element)
  closeRel(out[`grad_${MIX}`].data as Float32Array, torch.grad_mix_f64, 'grad w vs float64', 1, 1e-5, 2e-6);
  await sess.release();
});

test('a weighted epoch in one Loop run (short last batch) and the evaluation through the mix equal PyTorch', async () => {
  const engine = await ProbeEngine.create({ D, C, batch, stage });
  const r = await engine.runEpoch(initial(), X, N, Y, ref.perm, 0, [lr]);
  assert.equal(r.steps, 3);
  closeRel(r.losses, torch.losses, 'per-step losses', 1, 1e-6, 0);
  for (const n of NAMES) closeUpdate(r.state.arrays[`p_${n}`], f32(torch.epoch.p[n]), f32(torch.grads1[n]), [lr], 3, `after epoch ${n}`);
  closeRel(await engine.logPosteriors(r.state, X, N), f32(torch.logp), 'log-posteriors');
  const w = mixWeights(r.state.arrays[`p_${MIX}`]);
  w.forEach((v, l) => assert.ok(Math.abs(v - torch.weights[l]) <= 1e-6, `softmax(w)[${l}] ${v} vs torch ${torch.weights[l]}`));
  await engine.release();
});
