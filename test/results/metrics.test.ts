import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { accuracy, argmaxRows, confusionMatrix, uar } from '../../lib/results/metrics.js';

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
    assert.ok(
      Math.abs(all - c.uar_all) <= 1e-7 * Math.max(1, c.uar_all),
      `${c.name}: UAR over all classes ${all} vs torchmetrics 0.11's ${c.uar_all}`,
    );
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
