import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { accuracy, argmaxRows, confusionMatrix, uar } from '../../lib/probe/metrics.js';
import { EarlyStopping, ReduceLROnPlateau } from '../../lib/probe/schedule.js';

test('UAR: the mean of per-class recalls', () => {
  assert.equal(uar([0, 0, 1, 1], [0, 0, 1, 1], 2), 1);
  // class 0 recall 1/2, class 1 recall 1
  assert.equal(uar([0, 1, 1, 1], [0, 0, 1, 1], 2), 0.75);
  assert.equal(accuracy([0, 1, 1, 1], [0, 0, 1, 1]), 0.75);
});

test('UAR: a class absent from targets and never predicted is left out of the average', () => {
  // C = 3, class 2 never appears anywhere: mean over classes 0 and 1 only
  assert.equal(uar([0, 1, 1, 1], [0, 0, 1, 1], 3), 0.75);
});

test('UAR: a class predicted but absent from targets counts as recall 0', () => {
  // class 2 predicted once, never a target: recalls 1/2, 1, 0 -> 0.5
  assert.equal(uar([0, 2, 1, 1], [0, 0, 1, 1], 3), 0.5);
});

test('UAR: a class present but never predicted counts as recall 0', () => {
  assert.equal(uar([0, 0, 0, 0], [0, 0, 1, 1], 2), 0.5);
});

test('UAR and accuracy equal torchmetrics (the paper\'s Recall(task="multiclass", average="macro")) on edge and random cases', () => {
  // fixture: tools/make_uar_fixtures.py (torchmetrics 1.9); torchmetrics divides in float32, hence 1e-7 relative
  const ref = JSON.parse(readFileSync('test/fixtures/probe/uar_torchmetrics.json', 'utf8')) as {
    cases: { name: string; C: number; pred: number[]; target: number[]; uar: number; uar_all: number; accuracy: number }[];
  };
  assert.ok(ref.cases.length >= 50);
  let differ = 0;
  for (const c of ref.cases) {
    const u = uar(c.pred, c.target, c.C);
    assert.ok(Math.abs(u - c.uar) <= 1e-7 * Math.max(1, c.uar), `${c.name}: UAR ${u} vs torchmetrics ${c.uar}`);
    // torchmetrics 0.11's macro recall (the paper's environment): every class counts, absent ones as 0
    const all = uar(c.pred, c.target, c.C, 'all');
    assert.ok(Math.abs(all - c.uar_all) <= 1e-7 * Math.max(1, c.uar_all), `${c.name}: UAR over all classes ${all} vs torchmetrics 0.11's ${c.uar_all}`);
    if (Math.abs(c.uar - c.uar_all) > 1e-6) differ++;
    const a = accuracy(c.pred, c.target);
    assert.ok(Math.abs(a - c.accuracy) <= 1e-7, `${c.name}: accuracy ${a} vs torchmetrics ${c.accuracy}`);
  }
  assert.ok(differ >= 10, `the two class sets must differ on the cases with absent classes (${differ} differ)`);
});

test('argmax takes the first of tied maxima; confusion rows are targets', () => {
  assert.deepEqual([...argmaxRows([0.2, 0.5, 0.5, 0.9, 0.1, 0], 2, 3)], [1, 0]);
  assert.deepEqual([...confusionMatrix([1, 0], [0, 0], 2)], [1, 1, 0, 0]);
});

test('ReduceLROnPlateau follows torch 1.13 step for step (fixture from tools/make_probe_reference.py)', () => {
  const ref = JSON.parse(readFileSync('test/fixtures/probe/plateau.json', 'utf8')) as { losses: number[]; lrs: number[] };
  const s = new ReduceLROnPlateau(1e-3);
  const got = ref.losses.map((v) => s.step(v));
  assert.ok(new Set(ref.lrs).size >= 3, 'the fixture reduces the lr at least twice');
  got.forEach((lr, i) => assert.ok(Math.abs(lr - ref.lrs[i]) <= 1e-15, `epoch ${i + 1}: lr ${lr} vs torch ${ref.lrs[i]}`));
});

test('early stopping: strictly better resets, patience 10 stops', () => {
  const e = new EarlyStopping(10);
  assert.equal(e.update(0.5, 1), true);
  for (let k = 2; k <= 10; k++) { assert.equal(e.update(0.5, k), false); assert.equal(e.stopped, false); }
  assert.equal(e.update(0.4, 11), false);
  assert.equal(e.stopped, true);
  assert.equal(e.bestEpoch, 1);
});
