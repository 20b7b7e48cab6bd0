import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from '../../lib/onnx/proto.js';
import { openLayerModel } from '../../lib/models/layerModel.js';
import { checkCudaAvailable, ortBinaryDir } from '../../lib/runtime/cuda.js';
import { createSession } from '../../lib/runtime/session.js';
import { tapModel } from '../../lib/models/tap.js';
import { verifyTapped } from '../../lib/models/verify.js';
import { BioprobeError, ModelError } from '../../lib/util/errors.js';
import { fixturePath, index } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'bioprobe-err-'));
const cacheDir = join(dir, 'cache');
const code =
  (c: string, re?: RegExp, kind: 'model' | 'runtime' = 'model') =>
  (err: BioprobeError) => {
    assert.ok(err instanceof BioprobeError && err.kind === kind && (kind !== 'model' || err instanceof ModelError), String(err));
    assert.equal(err.code, c, err.oneLine());
    if (re) assert.match(err.oneLine(), re);
    assert.equal(err.oneLine().split('\n').length, 1);
    return true;
  };

/** A valid ONNX graph with no transformer in it: y = relu(conv(x)). */
function writeNoLayerModel(path: string): void {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'test',
    graph: {
      name: 'g',
      node: [
        { opType: 'Unsqueeze', input: ['x', 'axes'], output: ['x3'] },
        { opType: 'Conv', input: ['x3', 'w'], output: ['c'], attribute: [{ name: 'strides', ints: [320], type: 7 }] },
        { opType: 'Relu', input: ['c'], output: ['y'] },
      ],
      initializer: [
        { name: 'axes', dims: [1], dataType: 7, int64Data: [1] },
        { name: 'w', dims: [4, 1, 400], dataType: 1, floatData: Array.from({ length: 1600 }, (_, i) => Math.sin(i)) },
      ],
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'b' }, { dimParam: 'n' }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1 } } }],
    },
  });
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
}

test('a file that is not ONNX is a one-line ModelError naming it', async () => {
  const p = join(dir, 'notes.onnx');
  writeFileSync(p, 'this is not a model, just text\n');
  await assert.rejects(tapModel(p, { cacheDir }), code('not-onnx', /notes\.onnx: not an ONNX model/));
  await assert.rejects(tapModel(join(dir, 'missing.onnx'), { cacheDir }), code('model-missing', /missing\.onnx/));
});

test('a graph with no detectable layers is refused loudly', async () => {
  const p = join(dir, 'conv_only.onnx');
  writeNoLayerModel(p);
  const s = await createSession(p); // it is a valid, runnable model
  await s.release();
  await assert.rejects(tapModel(p, { cacheDir }), code('no-layers', /conv_only\.onnx: no wav2vec2-family transformer layers/));
});

test('a layer count other than expected is refused', async () => {
  const m = index.models.hubert_tiny;
  await assert.rejects(tapModel(fixturePath(m.file), { cacheDir, expectLayers: 13 }), code('layer-count', /found 5 layers .* expected 13/));
});

test('clips shorter than the conv receptive field are refused with a hint', async () => {
  const model = await openLayerModel(fixturePath(index.models.hubert_tiny.file), { cacheDir });
  try {
    await assert.rejects(model.embed(new Float32Array(399)), code('clip-too-short', /399 samples/));
    const ok = await model.embed(new Float32Array(400).fill(0.1));
    assert.equal(ok.frames, 1);
  } finally {
    await model.dispose();
  }
});

test('cuda without its provider libraries names what to install', async () => {
  assert.throws(
    () => checkCudaAvailable(join(dir, 'no-such-bin')),
    code('cuda-unavailable', /ONNXRUNTIME_NODE_INSTALL=cuda12 node \S+onnxruntime-node\/script\/install\.js/, 'runtime'),
  );
});

const cudaInstalled = existsSync(join(ortBinaryDir(), 'libonnxruntime_providers_cuda.so'));
test('a cuda session on this machine fails with the install hint', { skip: cudaInstalled && 'CUDA provider installed here' }, async () => {
  await assert.rejects(
    createSession(fixturePath(index.models.hubert_tiny.file), { device: 'cuda' }),
    code('cuda-unavailable', /ONNXRUNTIME_NODE_INSTALL=cuda12 node \S+install\.js/, 'runtime'),
  );
});

test('bad session options are refused', async () => {
  await assert.rejects(
    createSession(fixturePath(index.models.hubert_tiny.file), { threads: 0 }),
    code('bad-threads', undefined, 'runtime'),
  );
  await assert.rejects(
    createSession(fixturePath(index.models.hubert_tiny.file), { device: 'tpu' as 'cpu' }),
    code('bad-device', undefined, 'runtime'),
  );
});

test('the verification run refuses outputs that are not [1, frames, dim] for every layer', async () => {
  const p = join(dir, 'conv_only_verify.onnx');
  writeNoLayerModel(p); // y: [1, 4 channels, frames]
  const inputs = [{ name: 'x', elemType: 1, rank: 2 }];
  await assert.rejects(verifyTapped(p, inputs, ['y'], 64, p), code('tap-shapes', /y=\[1,4,49\]/));
  await assert.rejects(verifyTapped(p, inputs, ['y', 'missing'], undefined, p), code('tap-shapes', /missing=\[missing\]/));
  assert.equal(await verifyTapped(p, inputs, ['y'], undefined, p), 49, 'consistent shapes pass; the width is read from the run');
});
