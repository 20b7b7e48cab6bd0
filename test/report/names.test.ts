import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetName, modelKind, modelName, slug } from '../../lib/report/names.js';

test('dataset specs get short names', () => {
  assert.equal(datasetName('imv:/data/imv'), 'IMV');
  assert.equal(datasetName('watkins:/data/w/'), 'Watkins');
  assert.equal(datasetName('csv:/data/birds/labels.csv'), 'birds');
  assert.equal(datasetName('csv:/data/x/frogs.csv'), 'frogs');
  assert.equal(datasetName('folder:/data/cats/'), 'cats');
  assert.equal(datasetName('synthetic:40'), 'Synthetic (40)');
  assert.equal(datasetName('plain name'), 'plain name');
});

test('a model without a recorded name is named by its id; paths by their base name (the report keeps no list of models)', () => {
  assert.equal(modelName('w2v2-base-960h'), 'w2v2-base-960h');
  assert.equal(modelName('/m/my model.onnx'), 'my model');
  assert.equal(modelName('custom'), 'custom');
});

test('kinds come from the recorded type and pre-training corpus, never from the id', () => {
  assert.equal(modelKind({ type: 'PT', pretraining: 'FSD50K + AudioSet/VGGSound animal sounds (360 h)' }), 'PT animal');
  assert.equal(modelKind({ type: 'PT', pretraining: 'LibriSpeech 960 h' }), 'PT speech');
  assert.equal(modelKind({ type: 'PT+FT', pretraining: 'LibriSpeech 960 h; CTC fine-tuning on 960 h' }), 'PT+FT');
  assert.equal(modelKind({ type: 'PT animal' }), 'PT animal');
  assert.equal(modelKind({ type: 'baseline' }), 'baseline');
  assert.equal(modelKind({ id: 'hubert-base' }), 'other');
  assert.equal(modelKind(undefined), 'other');
});

test('slugs are file-name safe whatever the input', () => {
  assert.equal(slug('</script><img src=x>'), 'script-img-src-x');
  assert.equal(slug('../../etc'), 'etc');
  assert.equal(slug('///'), 'x');
});
