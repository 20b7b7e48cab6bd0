import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findHiddenStateOutputs, findLayersByStructure } from '../../lib/models/detect.js';
import { openLayerModel } from '../../lib/models/layerModel.js';
import { tapModel } from '../../lib/models/tap.js';
import { loadModel } from '../../lib/onnx/proto.js';
import { readNpy } from '../../lib/util/npy.js';
import { clip, fixturePath, index, relErr } from './fixtures.js';

const TOL = 1e-4; // max|ours - torchaudio| / max|torchaudio|, per layer and clip
const cacheDir = mkdtempSync(join(tmpdir(), 'bioprobe-tap-'));

for (const [id, m] of Object.entries(index.models)) {
  for (const layer0 of ['encoder-input', 'projection'] as const) {
    test(`${id} (${m.outputs.join(',')} only, opset ${m.opset}) tapped with layer 0 = ${layer0} matches torchaudio to ${TOL}`, async () => {
      const model = await openLayerModel(fixturePath(m.file), { layer0, cacheDir, expectLayers: m.layers, session: { threads: 1 } });
      try {
        assert.equal(model.layers, m.layers);
        assert.equal(model.dim, m.dim);
        for (const [name, ref] of Object.entries(m.refs)) {
          const out = await model.embed(clip(name));
          assert.equal(out.frames, ref.frames, `${name} frames`);
          const layers = readNpy(fixturePath(ref.layers));
          const proj = readNpy(fixturePath(ref.projection)).data;
          const size = ref.frames * m.dim;
          for (let l = 0; l < m.layers; l++) {
            const want = l === 0 && layer0 === 'projection' ? proj : layers.data.subarray(l * size, (l + 1) * size);
            const err = relErr(out.layers[l], want);
            assert.ok(err <= TOL, `${id} ${name} layer ${l}: relative error ${err.toExponential(2)} > ${TOL}`);
          }
        }
      } finally {
        await model.dispose();
      }
    });
  }
}

test('an onnxruntime-optimised graph (fused LayerNorm/Gelu/MatMul ops) taps and matches too', async () => {
  const m = index.models.hubert_tiny_op14_anon;
  const optimised = join(cacheDir, 'optimised.onnx');
  const s = await ort.InferenceSession.create(fixturePath(m.file), {
    graphOptimizationLevel: 'extended',
    optimizedModelFilePath: optimised,
  });
  await s.release();
  const ops = new Set(loadModel(optimised).model.graph!.node!.map((n) => n.opType));
  assert.ok(ops.has('BiasGelu') && ops.has('FusedMatMul') && ops.has('LayerNormalization'), [...ops].join(','));
  const model = await openLayerModel(optimised, { cacheDir, expectLayers: m.layers });
  try {
    const ref = m.refs.chirp;
    const out = await model.embed(clip('chirp'));
    const layers = readNpy(fixturePath(ref.layers)).data;
    const size = ref.frames * m.dim;
    for (let l = 0; l < m.layers; l++) assert.ok(relErr(out.layers[l], layers.subarray(l * size, (l + 1) * size)) <= TOL, `layer ${l}`);
  } finally {
    await model.dispose();
  }
});

test('tapped files are cached by the source sha256 and layer-0 choice', async () => {
  const src = fixturePath(index.models.w2v2_ctc_tiny.file);
  const dir = mkdtempSync(join(tmpdir(), 'bioprobe-cache-'));
  const a = await tapModel(src, { cacheDir: dir });
  const mtime = statSync(a.path).mtimeMs;
  const b = await tapModel(src, { cacheDir: dir });
  assert.equal(b.path, a.path);
  assert.equal(statSync(b.path).mtimeMs, mtime, 'not rewritten');
  const c = await tapModel(src, { cacheDir: dir, layer0: 'projection' });
  assert.notEqual(c.path, a.path);
  assert.ok(a.path.includes(a.sha256.slice(0, 16)));
  assert.deepEqual(a.outputs, ['layer_00', 'layer_01', 'layer_02', 'layer_03']);
  // the tapped file outputs only the layers: the CTC head is pruned
  const outs = loadModel(a.path).model.graph!.output!.map((o) => o.name);
  assert.deepEqual(outs, a.outputs);
});

test('graphs that already output hidden_states.N are recognised by those names too', () => {
  const g = loadModel(fixturePath(index.models.hf_tiny_hidden_states.file)).model.graph!;
  const named = findHiddenStateOutputs(g)!;
  assert.equal(named.encoderInput, 'hidden_states.0');
  assert.deepEqual(named.layers, ['hidden_states.1', 'hidden_states.2', 'hidden_states.3']);
  const byStructure = findLayersByStructure(g)!;
  assert.equal(byStructure.layers.length, 3);
  assert.equal(byStructure.encoderInput, 'hidden_states.0');
});
