import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStudy } from '../../lib/report/study.js';
import { Warnings } from '../../lib/util/warnings.js';
import { memDir, row } from './helpers.js';

/** Val peaks at layer 2, test peaks at layer 1: the honest and the paper's choices differ. */
function curve(model: string, dataset: string, seeds: number[]) {
  const val = [50, 55, 60];
  const test = [52, 64, 58];
  return seeds.flatMap((s, k) =>
    [0, 1, 2].flatMap((l) => [row(model, dataset, l, s, 'val', val[l] + k), row(model, dataset, l, s, 'test', test[l] + k)]),
  );
}

test("best layer is chosen on validation; the paper's best-on-test is kept apart", () => {
  const s = buildStudy([memDir('/r/a', curve('hubert-base', 'imv:/x', [1]))]);
  const r = s.datasets[0].results[0];
  assert.equal(r.selected?.layer, 2);
  assert.equal(r.selected?.by, 'val');
  assert.equal(r.selected?.test.mean, 58);
  assert.equal(r.oracle?.layer, 1);
  assert.equal(r.oracle?.test.mean, 64);
  assert.equal(s.datasets[0].name, 'IMV');
  assert.equal(r.model.name, 'HuBERT');
});

test('several seeds are summarised per layer; selection uses the mean', () => {
  const s = buildStudy([memDir('/r/a', curve('m', 'd', [1, 2, 3]))]);
  const sel = s.datasets[0].results[0].selected!;
  assert.equal(sel.layer, 2);
  assert.equal(sel.test.n, 3);
  assert.equal(sel.test.mean, 59);
  assert.equal(sel.test.std, 1);
  assert.deepEqual(s.seeds, ['1', '2', '3']);
});

test('without validation rows the layer is chosen on test, and said so', () => {
  const rows = curve('m', 'd', [1]).filter((r) => r.split === 'test');
  const sel = buildStudy([memDir('/r/a', rows)]).datasets[0].results[0].selected!;
  assert.equal(sel.by, 'test');
  assert.equal(sel.layer, 1);
});

test("fusion rows become the dataset's fusion, unknown layers are left out with a warning, duplicates warned", () => {
  const w = new Warnings();
  const s = buildStudy(
    [
      memDir('/r/a', [...curve('m', 'd', [1]), row('m', 'd', 'weird', 1, 'test', 10)]),
      memDir('/r/f', [row('fusion', 'd', 'fusion', 1, 'test', 70), row('fusion', 'd', 'fusion', 1, 'val', 69)]),
      memDir('/r/dup', [row('m', 'd', 0, 1, 'val', 99)]),
    ],
    w,
  );
  assert.equal(s.models.length, 1, 'fusion is not a model');
  assert.equal(s.datasets[0].fusion?.test?.mean, 70);
  assert.ok(w.list.some((m) => m.includes('"weird"')));
  assert.ok(w.list.some((m) => m.startsWith('duplicate result')));
  assert.equal(s.datasets[0].results[0].layers[0].val?.mean, 50, 'first duplicate wins');
});

test('models are ordered as in the paper: PT animal, PT speech, PT+FT, others (kinds from the recorded type and corpus)', () => {
  const s = buildStudy([
    memDir('/1', curve('my-model.onnx', 'd', [1])),
    memDir('/2', curve('w2v2-base-100h', 'd', [1])),
    memDir('/3', curve('hubert-base', 'd', [1])),
    memDir('/4', curve('aves-bio', 'd', [1])),
  ]);
  assert.deepEqual(
    s.models.map((m) => m.name),
    ['AVES-Bio', 'HuBERT', 'W2V2-100h', 'my-model'],
  );
  assert.deepEqual(
    s.models.map((m) => m.kind),
    ['PT animal', 'PT speech', 'PT+FT', 'other'],
  );
});

test('modelInfo.type and family decide the kind and family; a demonstration is recognised from the manifests', () => {
  const s = buildStudy([
    memDir('/1', curve('tiny', 'synthetic:40', [1]), {
      manifest: { features: { modelInfo: { id: 'tiny', type: 'PT+FT', family: 'hubert', randomInit: true } } },
    }),
  ]);
  assert.equal(s.models[0].kind, 'PT+FT');
  assert.equal(s.models[0].family, 'hubert');
  assert.match(s.demo ?? '', /synthetic/);
  assert.match(s.demo ?? '', /random/);
  assert.equal(buildStudy([memDir('/1', curve('m', 'csv:/a/b.csv', [1]))]).demo, undefined);
});

test('a dataset is named by its features manifest even when a fused dir (no name) comes first', () => {
  const s = buildStudy([
    memDir('/r/fusion', [row('a+b', 'synthetic:600', 'fusion', 1, 'test', 70)]),
    memDir('/r/a', curve('a', 'synthetic:600', [1]), { manifest: { features: { datasetName: 'calls' } } }),
  ]);
  assert.equal(s.datasets[0].name, 'calls');
  assert.equal(s.datasets[0].fusion?.test?.mean, 70);
});
