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
import { zeroState, type ProbeState } from '../../lib/probe/state.js';
import { closeRel, closeUpdate, f32 } from './fixtures.js';

interface Probe {
  init: Record<string, string>;
  lr: number;
  losses: number[];
  loss1: number;
  grads1: Record<string, string>;
  step1: { p: Record<string, string>; v: Record<string, string> };
  epoch: { p: Record<string, string> };
  logp: string;
}
const ref = JSON.parse(readFileSync('test/fixtures/probe/reference.json', 'utf8')) as {
  L: number;
  N: number;
  D: number;
  C: number;
  batch: number;
  X: string;
  y: number[];
  perm: number[];
  probes: Probe[];
};
const { L, N, D, C, batch } = ref;
const X = f32(ref.X);
const Y = new Float32Array(N * C);
ref.y.forEach((c, i) => {
  Y[i * C + c] = 1;
});

/** Stack a per-probe record (name -> base64) into [L, ...] arrays. */
function stack(get: (p: Probe) => Record<string, string>, name: string): Float32Array {
  const parts = ref.probes.map((p) => f32(get(p)[name]));
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function initState(): ProbeState {
  const s = zeroState(L, D, C);
  for (const n of PARAM_NAMES) s.arrays[`p_${n}`] = stack((p) => p.init, n);
  return s;
}

/** Relative closeness per element, with a float32 floor at the tensor's scale (see above); per stacked probe. */
const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, probes = L, rtol = 1e-5, floor = 2e-6) =>
  closeRel(actual, expected, what, probes, rtol, floor);

test('one training step: loss, gradients and Adam update equal PyTorch (relative tolerances)', async () => {
  const sess = await ort.InferenceSession.create(buildStepGraph({ D, C }));
  const s = initState();
  const feeds: Record<string, ort.Tensor> = {};
  for (const n of stateNames()) feeds[n] = new ort.Tensor('float32', s.arrays[n] as Float32Array, trainStateDims(n, L, { D, C }));
  const rows = ref.perm.slice(0, batch);
  const x = new Float32Array(L * batch * D);
  for (let l = 0; l < L; l++) rows.forEach((r, j) => x.set(X.subarray((l * N + r) * D, (l * N + r + 1) * D), (l * batch + j) * D));
  const y = new Float32Array(batch * C);
  rows.forEach((r, j) => {
    y[j * C + ref.y[r]] = 1;
  });
  feeds.x = new ort.Tensor('float32', x, [L, batch, D]);
  feeds.y = new ort.Tensor('float32', y, [batch, C]);
  feeds.stepSize = new ort.Tensor('float32', Float32Array.from(ref.probes.map((p) => p.lr / (1 - 0.9))), [L]);
  feeds.bc2sqrt = new ort.Tensor('float32', Float32Array.from([Math.sqrt(1 - 0.999)]), []);
  const out = await sess.run(feeds);
  close(
    out.loss.data as Float32Array,
    ref.probes.map((p) => p.loss1),
    'loss',
    L,
    1e-6,
    0,
  );
  for (const n of PARAM_NAMES) {
    close(
      out[`grad_${n}`].data as Float32Array,
      stack((p) => p.grads1, n),
      `grad ${n}`,
    );
    closeUpdate(
      out[`out_p_${n}`].data as Float32Array,
      stack((p) => p.step1.p, n),
      stack((p) => p.grads1, n),
      ref.probes.map((p) => p.lr),
      1,
      `updated ${n}`,
    );
    close(
      out[`out_v_${n}`].data as Float32Array,
      stack((p) => p.step1.v, n),
      `second moment ${n}`,
    );
  }
  await sess.release();
});

for (const w1Rows of [6, 3, 2])
  test(`an epoch in one Loop run (short last batch, per-probe lr, W1 in chunks of ${w1Rows} rows) and evaluation equal PyTorch (relative tolerances)`, async () => {
    const engine = await ProbeEngine.create({ D, C, batch, w1Rows });
    const r = await engine.runEpoch(
      initState(),
      X,
      N,
      Y,
      ref.perm,
      0,
      ref.probes.map((p) => p.lr),
    );
    assert.equal(r.steps, 3);
    const losses = ref.probes[0].losses.flatMap((_, s) => ref.probes.map((p) => p.losses[s]));
    close(r.losses, losses, 'per-step losses', 1, 1e-6, 0);
    for (const n of PARAM_NAMES) {
      closeUpdate(
        r.state.arrays[`p_${n}`],
        stack((p) => p.epoch.p, n),
        stack((p) => p.grads1, n),
        ref.probes.map((p) => p.lr),
        3,
        `after epoch ${n}`,
      );
    }
    const logp = await engine.logPosteriors(r.state, X, N);
    close(
      logp,
      stack((p) => ({ logp: p.logp }), 'logp'),
      'log-posteriors',
    );
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
