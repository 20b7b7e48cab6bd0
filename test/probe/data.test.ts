/** From a features directory to stacks: split over all clips then non-ok dropped; standardisation; stack planning. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paperSplit } from '../../lib/datasets/split.js';
import { loadStack, partition, standardise } from '../../lib/probe/data.js';
import { openFeatures } from '../../lib/probe/features.js';
import { writeSyntheticFeatures } from '../../lib/probe/synthetic.js';

const root = mkdtempSync(join(tmpdir(), 'bioprobe-probe-data-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

test('standardise: train columns get mean 0 and unbiased std 1; others use the train statistics', () => {
  const train = Float32Array.from([1, 10, 3, 10, 5, 10]); // D = 2, column 1 constant
  const other = Float32Array.from([3, 11]);
  standardise(train, [other], 2);
  assert.deepEqual(
    [...train].filter((_, i) => i % 2 === 0).map((v) => +v.toFixed(6)),
    [-1, 0, 1],
  ); // std of 1,3,5 is 2
  assert.equal(train[1], 0);
  assert.equal(other[0], 0);
  assert.ok(Math.abs(other[1] - 1e10) / 1e10 < 1e-6, 'constant column: (x - mu) / 1e-10, as the reference');
});

test('the paper split is over every clip; non-ok clips are then dropped from their part', () => {
  const dir = join(root, 'f');
  writeSyntheticFeatures(dir, { n: 50, dim: 4, classes: 3, layers: 2, seed: 1 });
  const csv = readFileSync(join(dir, 'clips.csv'), 'utf8').split('\n');
  csv[1 + 7] = csv[1 + 7].replace(',ok,', ',decode error,'); // the status column (then the empty extension columns)
  writeFileSync(join(dir, 'clips.csv'), csv.join('\n'));
  const fs = openFeatures(dir);
  const split = paperSplit(50);
  const p = partition(fs, split);
  assert.equal(p.train.length + p.val.length + p.test.length, 49);
  assert.ok(![...p.train, ...p.val, ...p.test].includes(7));
  for (const i of p.val) assert.equal(split[i], 'val');
  const s = loadStack(fs, p, [1]);
  assert.equal(s.train.X.length, p.train.length * 4);
  // row r of the val stack is clip p.val[r] standardised
  let mean = 0;
  for (let r = 0; r < p.train.length; r++) mean += s.train.X[r * 4];
  assert.ok(Math.abs(mean / p.train.length) < 1e-5);
});

test('openFeatures names the problem: missing layer file, wrong count', () => {
  const dir = join(root, 'g');
  writeSyntheticFeatures(dir, { n: 10, dim: 4, classes: 2, layers: 1, seed: 1 });
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, layers: 2 }));
  assert.throws(() => openFeatures(dir), /layer file missing/);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, count: 11 }));
  assert.throws(() => openFeatures(dir), /clips\.csv has 10 rows but the manifest says count 11/);
});
