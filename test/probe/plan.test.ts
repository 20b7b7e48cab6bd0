/** Laying out a probe run: stacks (cache-sized on the CPU, within the memory budget), then workers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultStackLayers, planStacks, planWork } from '../../lib/probe/plan.js';

test('planStacks: near-equal stacks within the budget', () => {
  const layers = Array.from({ length: 13 }, (_, l) => l);
  assert.deepEqual(planStacks(layers, 100, 10, 1e9), [layers]);
  const s = planStacks(layers, 1000, 100, 4000 * 100 * 9); // 9 layers fit -> 2 stacks of 7 and 6
  assert.deepEqual(
    s.map((x) => x.length),
    [7, 6],
  );
  assert.deepEqual(planStacks(layers, 1000, 100, 1).length, 13);
});

test('planStacks: a most-layers cap splits into near-equal stacks', () => {
  const layers = Array.from({ length: 13 }, (_, l) => l);
  assert.deepEqual(
    planStacks(layers, 100, 10, 1e9, 1).map((s) => s.length),
    Array(13).fill(1),
  );
  assert.deepEqual(
    planStacks(layers, 100, 10, 1e9, 12).map((s) => s.length),
    [7, 6],
  );
});

test('defaultStackLayers: one 1536-dim probe per stack on the CPU, more for small dims, all on CUDA', () => {
  assert.equal(defaultStackLayers(1536, 'cpu'), 1);
  assert.equal(defaultStackLayers(2048, 'cpu'), 1);
  assert.equal(defaultStackLayers(768, 'cpu'), 2);
  assert.equal(defaultStackLayers(160, 'cpu'), 12);
  assert.equal(defaultStackLayers(1536, 'cuda'), Infinity);
});

test('planWork: stacks do not depend on threads; workers = threads up to the stacks and the budget, one thread each', () => {
  const layers = Array.from({ length: 13 }, (_, l) => l);
  const base = { layers, rowsPerLayer: 10_000, D: 1536, budget: 4 * 1024 ** 3, device: 'cpu' as const };
  const one = planWork({ ...base, threads: 1 });
  const two = planWork({ ...base, threads: 2 });
  const many = planWork({ ...base, threads: 64 });
  assert.deepEqual(one.stacks, two.stacks);
  assert.deepEqual(one.stacks, many.stacks);
  assert.deepEqual([one.workers, one.threadsPerWorker], [1, 1]);
  assert.deepEqual([two.workers, two.threadsPerWorker], [2, 1]);
  assert.deepEqual([many.workers, many.threadsPerWorker], [13, 1]);
  // a budget for two layers' rows at once caps the workers, not the stacking
  const tight = planWork({ ...base, threads: 8, budget: 2 * 10_000 * 1536 * 4 });
  assert.deepEqual([tight.stacks.length, tight.workers, tight.threadsPerWorker], [13, 2, 1]);
  // an explicit --stack, and CUDA: one worker
  assert.deepEqual(planWork({ ...base, threads: 2, stack: 13 }).stacks, [layers]);
  const cuda = planWork({ ...base, threads: 2, device: 'cuda' });
  assert.deepEqual([cuda.stacks.length, cuda.workers, cuda.threadsPerWorker], [1, 1, 1]);
});
