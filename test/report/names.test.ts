import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetName, modelName, slug } from '../../lib/report/names.js';

test('dataset specs get short names', () => {
  assert.equal(datasetName('imv:/data/imv'), 'IMV');
  assert.equal(datasetName('watkins:/data/w/'), 'Watkins');
  assert.equal(datasetName('csv:/data/birds/labels.csv'), 'birds');
  assert.equal(datasetName('csv:/data/x/frogs.csv'), 'frogs');
  assert.equal(datasetName('folder:/data/cats/'), 'cats');
  assert.equal(datasetName('synthetic:40'), 'Synthetic (40)');
  assert.equal(datasetName('plain name'), 'plain name');
});

test('model ids get the paper\'s names; paths their base name', () => {
  assert.equal(modelName('w2v2-base-960h'), 'W2V2-960h');
  assert.equal(modelName('/m/my model.onnx'), 'my model');
  assert.equal(modelName('custom'), 'custom');
});

test('slugs are file-name safe whatever the input', () => {
  assert.equal(slug('</script><img src=x>'), 'script-img-src-x');
  assert.equal(slug('../../etc'), 'etc');
  assert.equal(slug('///'), 'x');
});
