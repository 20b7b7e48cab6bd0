import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EarlyStopping, ReduceLROnPlateau } from '../../lib/probe/schedule.js';

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
  for (let k = 2; k <= 10; k++) {
    assert.equal(e.update(0.5, k), false);
    assert.equal(e.stopped, false);
  }
  assert.equal(e.update(0.4, 11), false);
  assert.equal(e.stopped, true);
  assert.equal(e.bestEpoch, 1);
});
