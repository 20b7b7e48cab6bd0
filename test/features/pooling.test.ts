import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LayerPool, poolFrames } from '../../lib/features/pooling.js';

/** Hand computation: two-pass mean and unbiased std per column, in float64. */
function byHand(frames: number[][]): number[] {
  const T = frames.length;
  const D = frames[0].length;
  const mean = Array.from({ length: D }, (_, d) => frames.reduce((a, f) => a + f[d], 0) / T);
  const std = Array.from({ length: D }, (_, d) => Math.sqrt(frames.reduce((a, f) => a + (f[d] - mean[d]) ** 2, 0) / (T - 1)));
  return [...mean, ...std];
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

test('mean and unbiased std over frames, [mean(D), std(D)]', () => {
  const frames = [
    [1, 2, 3],
    [4, 6, 8],
    [7, 10, 20],
  ];
  const out = poolFrames(Float32Array.from(frames.flat()), 3, 3);
  assert.deepEqual([...out.subarray(0, 3)], [4, 6, 31 / 3].map(Math.fround));
  // column 0: deviations -3,0,3 -> var 18/2 = 9 -> std 3
  assert.equal(out[3], 3);
  assert.equal(out[4], 4);
  const expect = byHand(frames);
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(out[i] - expect[i]) <= 1e-6 * Math.abs(expect[i]));
});

test('frames split into chunks pool exactly like the concatenation', () => {
  const rnd = lcg(7);
  const T = 131;
  const D = 17;
  const frames = Array.from({ length: T }, () => Array.from({ length: D }, () => 100 + rnd() * 3));
  const flat = Float32Array.from(frames.flat());
  const whole = poolFrames(flat, T, D);
  const p = new LayerPool(D);
  const cuts = [0, 1, 50, 51, 120, T];
  for (let k = 0; k + 1 < cuts.length; k++) p.add(flat, cuts[k + 1] - cuts[k], cuts[k] * D);
  assert.equal(p.frames, T);
  const chunked = p.result();
  // exact against the float32 values actually stored
  const expect = byHand(Array.from({ length: T }, (_, t) => [...flat.subarray(t * D, (t + 1) * D)]));
  for (let i = 0; i < 2 * D; i++) {
    assert.ok(Math.abs(chunked[i] - expect[i]) <= 2e-7 * Math.abs(expect[i]), `col ${i}: ${chunked[i]} vs ${expect[i]}`);
    assert.ok(Math.abs(whole[i] - expect[i]) <= 2e-7 * Math.abs(expect[i]));
  }
});

test('float64 accumulation keeps a small spread on a large offset', () => {
  // float32 sum-of-squares would lose the std entirely here
  const T = 10000;
  const data = new Float32Array(T);
  for (let t = 0; t < T; t++) data[t] = 1000 + (t % 2 === 0 ? 0.0625 : -0.0625);
  const out = poolFrames(data, T, 1);
  assert.equal(out[0], 1000);
  const expectStd = 0.0625 * Math.sqrt(T / (T - 1));
  assert.ok(Math.abs(out[1] - expectStd) < 1e-7);
});

test('one frame: std is 0, not NaN (torch would give NaN)', () => {
  const out = poolFrames(Float32Array.from([0.5, -2]), 1, 2);
  assert.deepEqual([...out], [0.5, -2, 0, 0]);
});

test('reset reuses the pool; zero frames and bad shapes are errors', () => {
  const p = new LayerPool(2);
  p.add(Float32Array.from([1, 1, 3, 3]), 2);
  p.reset();
  assert.throws(() => p.result(), /no frames/);
  p.add(Float32Array.from([5, 6]), 1);
  assert.deepEqual([...p.result()], [5, 6, 0, 0]);
  assert.throws(() => p.add(Float32Array.from([1, 2, 3]), 2), /expected 2 x 2/);
  assert.throws(() => new LayerPool(0), /positive integer/);
});
