import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMethods, commonFolder } from '../../lib/report/methods.js';
import { buildStudy } from '../../lib/report/study.js';
import { memDir, row } from './helpers.js';

test('commonFolder finds the deepest shared folder', () => {
  assert.equal(commonFolder(['/a/b/c', '/a/b/d/e']), '/a/b');
  assert.equal(commonFolder(['/a/b']), '/a/b');
  assert.equal(commonFolder(['/x/1', '/y/2']), '');
});

test('methods merge manifests and write the commands that regenerate the study', () => {
  const rows = (m: string) => [row(m, 'imv:/d', 0, 7, 'val', 50), row(m, 'imv:/d', 0, 7, 'test', 50), row(m, 'imv:/d', 0, 8, 'test', 51)];
  const study = buildStudy([
    memDir('/w/res/a', rows('hubert-base'), {
      manifest: {
        protocol: { lr: 0.001 },
        versions: { node: 'v20' },
        features: { preprocessing: { sampleRate: 16000 }, modelInfo: { file: '/m/h.onnx', sha256: 'ff', layer0: 'hidden_states[0]' } },
      },
    }),
    memDir('/w/res/b', rows('/models/my model.onnx'), {
      manifest: { protocol: { lr: 0.01 }, features: { modelInfo: { file: '/models/my model.onnx' } } },
    }),
  ]);
  const m = buildMethods(study, new Map(), '/w/report', ['/w/res']);
  assert.deepEqual(m.protocol, [{ key: 'lr', value: '0.001 / 0.01' }]);
  assert.deepEqual(m.preprocessing, [{ key: 'sampleRate', value: '16000' }]);
  assert.equal(m.seeds, '2 seeds 7 and 8');
  assert.equal(m.root, '/w/res');
  assert.deepEqual(
    m.inputs.map((i) => i.dir),
    ['a', 'b'],
  );
  assert.deepEqual(m.modelFiles[0], { name: 'HuBERT', file: 'h.onnx', sha256: 'ff', layer0: 'hidden_states[0]' });
  assert.deepEqual(m.commands, [
    'cd /w/res',
    'bioprobe extract --model hubert-base --dataset imv:/d --out features/hubert-base/IMV',
    'bioprobe probe --features features/hubert-base/IMV --out a --seed 7 --seeds 2',
    `bioprobe extract --model '/models/my model.onnx' --dataset imv:/d --out features/_models_my_model.onnx/IMV`,
    'bioprobe probe --features features/_models_my_model.onnx/IMV --out b --seed 7 --seeds 2',
    'bioprobe report --results . --out ../report',
  ]);
});
