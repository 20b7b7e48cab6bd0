/**
 * The probe graphs against PyTorch 1.13 (fixture: tools/make_probe_reference.py): one step's loss,
 * gradients and Adam update, a 3-step epoch through the Loop graph (short last batch, a different lr
 * per stacked probe), and the evaluation graph's log-posteriors.
 * Tolerances are relative. A tensor's elements: |ours - torch| <= 1e-5 |torch| + 2e-6 max|torch| (the
 * second term is float32 rounding at the tensor's own scale: an element far below its tensor's largest
 * comes out of sums of larger terms; measured worst 4.2e-7 of the scale for gradients).
 * Updated parameters are held relative to how far Adam moves them, |ours - torch| <= 1e-4 lr x steps +
 * 2 ulp (measured worst 3e-5 of it): holding p to 1e-5 of max(1, |p|), as before, let a step of 1e-3 be
 * 1 % off, and gradients (|g| <= 0.3 here) be held only to an absolute 1e-5.
 * Adam's update m/(sqrt(v)+eps) is ill-conditioned where |grad| is near eps (1e-8): its derivative there
 * is about lr/eps, so float32 rounding in a gradient of 1e-9 moves the update by a good part of lr.
 * Those elements (step-1 |grad| < 1e-6, counted below) are held to within one Adam step (lr) of PyTorch's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { PARAM_NAMES } from '../../lib/probe/graph/mlp.js';
import { buildStepGraph, stateNames, trainStateDims } from '../../lib/probe/graph/trainGraph.js';
import { ProbeEngine } from '../../lib/probe/engine.js';
import { zeroState, stateShape, type ProbeState } from '../../lib/probe/state.js';
import { f32 } from './fixtures.js';

interface Probe {
  init: Record<string, string>; lr: number; losses: number[]; loss1: number; grads1: Record<string, string>;
  step1: { p: Record<string, string>; v: Record<string, string> }; epoch: { p: Record<string, string> }; logp: string;
}
const ref = JSON.parse(readFileSync('test/fixtures/probe/reference.json', 'utf8')) as {
  L: number; N: number; D: number; C: number; batch: number; X: string; y: number[]; perm: number[]; probes: Probe[];
};
const { L, N, D, C, batch } = ref;
const X = f32(ref.X);
const Y = new Float32Array(N * C);
ref.y.forEach((c, i) => { Y[i * C + c] = 1; });

/** Stack a per-probe record (name -> base64) into [L, ...] arrays. */
function stack(get: (p: Probe) => Record<string, string>, name: string): Float32Array {
  const parts = ref.probes.map((p) => f32(get(p)[name]));
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function initState(): ProbeState {
  const s = zeroState(L, D, C);
  for (const n of PARAM_NAMES) s.arrays[`p_${n}`] = stack((p) => p.init, n);
  return s;
}

/** Relative closeness per element, with a float32 floor at the tensor's scale (see above); per stacked probe. */
function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, probes = L, rtol = 1e-5, floor = 2e-6): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const per = actual.length / probes;
  for (let l = 0; l < probes; l++) {
    let scale = 0;
    for (let i = l * per; i < (l + 1) * per; i++) scale = Math.max(scale, Math.abs(expected[i]));
    for (let i = l * per; i < (l + 1) * per; i++) {
      const err = Math.abs(actual[i] - expected[i]);
      assert.ok(err <= rtol * Math.abs(expected[i]) + floor * scale, `${what}[${i}]: ${actual[i]} vs torch ${expected[i]} (error ${err.toExponential(2)}, ${(err / Math.abs(expected[i])).toExponential(2)} relative; tensor scale ${scale.toExponential(2)})`);
    }
  }
}

/** One float32 ulp at v. */
function ulp(v: number): number {
  const f = new Float32Array([Math.abs(v)]);
  const u = new Uint32Array(f.buffer);
  u[0]++;
  return f[0] - Math.abs(v);
}

/**
 * Updated parameters after `steps` Adam steps: where the gradient is well-conditioned, the error is held
 * relative to how far Adam moves an element, about lr per step (step 1: |update| = lr |g| / (|g| + eps));
 * the net update of several steps can cancel to far less, so it is not the scale. Where |grad| < 1e-6:
 * within `lr` per step.
 */
function closeUpdate(actual: ArrayLike<number>, expected: ArrayLike<number>, grads: ArrayLike<number>, lrs: number[], steps: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const per = actual.length / lrs.length;
  let illConditioned = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    const path = lrs[Math.floor(i / per)] * steps;
    if (Math.abs(grads[i]) >= 1e-6) {
      assert.ok(err <= 1e-4 * path + 2 * ulp(expected[i]), `${what}[${i}]: error ${err.toExponential(2)}, ${(err / path).toExponential(2)} of lr x steps (grad ${grads[i]})`);
    } else {
      if (grads[i] !== 0) illConditioned++;
      assert.ok(err <= path * 1.01, `${what}[${i}]: error ${err} beyond one Adam step per step (grad ${grads[i]})`);
    }
  }
  assert.ok(illConditioned <= Math.max(4, actual.length * 0.01), `${what}: ${illConditioned} tiny non-zero gradients, too many to excuse`);
}

test('one training step: loss, gradients and Adam update equal PyTorch (relative tolerances)', async () => {
  const sess = await ort.InferenceSession.create(buildStepGraph({ D, C }));
  const s = initState();
  const feeds: Record<string, ort.Tensor> = {};
  for (const n of stateNames()) feeds[n] = new ort.Tensor('float32', s.arrays[n] as Float32Array, trainStateDims(n, L, { D, C }));
  const rows = ref.perm.slice(0, batch);
  const x = new Float32Array(L * batch * D);
  for (let l = 0; l < L; l++) rows.forEach((r, j) => x.set(X.subarray((l * N + r) * D, (l * N + r + 1) * D), (l * batch + j) * D));
  const y = new Float32Array(batch * C);
  rows.forEach((r, j) => { y[j * C + ref.y[r]] = 1; });
  feeds.x = new ort.Tensor('float32', x, [L, batch, D]);
  feeds.y = new ort.Tensor('float32', y, [batch, C]);
  feeds.stepSize = new ort.Tensor('float32', Float32Array.from(ref.probes.map((p) => p.lr / (1 - 0.9))), [L]);
  feeds.bc2sqrt = new ort.Tensor('float32', Float32Array.from([Math.sqrt(1 - 0.999)]), []);
  const out = await sess.run(feeds);
  close(out.loss.data as Float32Array, ref.probes.map((p) => p.loss1), 'loss', L, 1e-6, 0);
  for (const n of PARAM_NAMES) {
    close(out[`grad_${n}`].data as Float32Array, stack((p) => p.grads1, n), `grad ${n}`);
    closeUpdate(out[`out_p_${n}`].data as Float32Array, stack((p) => p.step1.p, n), stack((p) => p.grads1, n), ref.probes.map((p) => p.lr), 1, `updated ${n}`);
    close(out[`out_v_${n}`].data as Float32Array, stack((p) => p.step1.v, n), `second moment ${n}`);
  }
  await sess.release();
});

for (const w1Rows of [6, 3, 2]) test(`an epoch in one Loop run (short last batch, per-probe lr, W1 in chunks of ${w1Rows} rows) and evaluation equal PyTorch (relative tolerances)`, async () => {
  const engine = await ProbeEngine.create({ D, C, batch, w1Rows });
  const r = await engine.runEpoch(initState(), X, N, Y, ref.perm, 0, ref.probes.map((p) => p.lr));
  assert.equal(r.steps, 3);
  const losses = ref.probes[0].losses.flatMap((_, s) => ref.probes.map((p) => p.losses[s]));
  close(r.losses, losses, 'per-step losses', 1, 1e-6, 0);
  for (const n of PARAM_NAMES) {
    closeUpdate(r.state.arrays[`p_${n}`], stack((p) => p.epoch.p, n), stack((p) => p.grads1, n), ref.probes.map((p) => p.lr), 3, `after epoch ${n}`);
  }
  const logp = await engine.logPosteriors(r.state, X, N);
  close(logp, stack((p) => ({ logp: p.logp }), 'logp'), 'log-posteriors');
  await engine.release();
});

test('a probe with learning rate 0 keeps its weights bit for bit', async () => {
  const engine = await ProbeEngine.create({ D, C, batch });
  const s0 = initState();
  const r = await engine.runEpoch(s0, X, N, Y, ref.perm, 0, [1e-3, 0]);
  for (const n of PARAM_NAMES) {
    const k = s0.arrays[`p_${n}`].length / L;
    assert.deepEqual(r.state.arrays[`p_${n}`].subarray(k), s0.arrays[`p_${n}`].subarray(k), n);
  }
  await engine.release();
});
