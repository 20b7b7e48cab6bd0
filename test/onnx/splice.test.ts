import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { decodeModel, onnx } from '../../lib/onnx/proto.js';
import { floatOutput, spliceGraph } from '../../lib/onnx/splice.js';
import { externalDataFiles } from '../../lib/onnx/externalData.js';
import { GraphIndex } from '../../lib/onnx/graph.js';
import { countParameters } from '../../lib/onnx/params.js';
import { openLayerModel } from '../../lib/models/layerModel.js';
import { readNpy } from '../../lib/util/npy.js';
import { clip, fixturePath, index, relErr } from '../models/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'bioprobe-onnx-'));
const FIX = fixturePath(index.models.hubert_tiny.file);

test('spliceGraph replaces outputs and appends nodes, keeping every other byte', async () => {
  const bytes = readFileSync(FIX);
  const before = decodeModel(bytes, FIX);
  const proj = '/model/encoder/feature_projection/projection/Add_output_0';
  const out = Buffer.concat(
    spliceGraph(bytes, { nodes: [{ opType: 'Identity', input: [proj], output: ['p'] }], outputs: [floatOutput('p', 64)] }),
  );
  const after = decodeModel(out, 'spliced');
  assert.equal(after.graph!.node!.length, before.graph!.node!.length + 1);
  assert.deepEqual(
    after.graph!.output!.map((o) => o.name),
    ['p'],
  );
  assert.equal(after.graph!.initializer!.length, before.graph!.initializer!.length);
  after.graph!.initializer!.forEach((t, i) =>
    assert.ok(Buffer.from(t.rawData!).equals(Buffer.from(before.graph!.initializer![i].rawData!)), t.name!),
  );
  assert.equal(countParameters(after.graph!), countParameters(before.graph!));
  const p = join(dir, 'spliced.onnx');
  writeFileSync(p, out);
  const s = await ort.InferenceSession.create(p);
  const r = await s.run({ input: new ort.Tensor('float32', clip('chirp'), [1, 16000]) });
  assert.deepEqual(r.p.dims, [1, 49, 64]);
  const ref = readNpy(fixturePath(index.models.hubert_tiny.refs.chirp.projection)).data;
  assert.ok(relErr(r.p.data as Float32Array, ref) < 1e-5);
  await s.release();
});

test('GraphIndex finds the nodes between two tensors and constants', () => {
  const g = new GraphIndex(decodeModel(readFileSync(FIX), FIX).graph!);
  const from = '/model/encoder/feature_projection/projection/Add_output_0';
  const to = '/model/encoder/transformer/pos_conv_embed/Transpose_1_output_0';
  const ops = g.opTypes(g.between(from, to));
  assert.ok(ops.has('Conv') && !ops.has('Softmax'), [...ops].join(','));
  assert.equal(g.between(to, from).size, 0, 'no path backwards');
  assert.ok(g.isConstant('model.encoder.feature_projection.projection.bias'));
  assert.ok(!g.isConstant(from));
});

test('a model with external data taps from another folder, its weights linked next to the tapped file', async () => {
  const model = decodeModel(readFileSync(FIX), FIX);
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const t of model.graph!.initializer!) {
    if (!t.rawData || t.rawData.length < 1024) continue;
    const data = Buffer.from(t.rawData);
    t.externalData = [
      { key: 'location', value: 'weights/tiny.bin' },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(data.length) },
    ];
    t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    t.rawData = new Uint8Array(0);
    chunks.push(data);
    offset += data.length;
  }
  const src = mkdtempSync(join(dir, 'ext-'));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(src, 'weights'));
  writeFileSync(join(src, 'weights', 'tiny.bin'), Buffer.concat(chunks));
  writeFileSync(join(src, 'model.onnx'), onnx.ModelProto.encode(model).finish());
  assert.deepEqual(externalDataFiles(model.graph!), ['weights/tiny.bin']);
  const m = await openLayerModel(join(src, 'model.onnx'), { cacheDir: join(dir, 'cache') });
  try {
    assert.ok(lstatSync(join(m.tapped.path, '..', 'weights', 'tiny.bin')).isFile());
    const out = await m.embed(clip('am_tone'));
    const ref = readNpy(fixturePath(index.models.hubert_tiny.refs.am_tone.layers)).data;
    const size = out.frames * out.dim;
    assert.ok(relErr(out.layers[4], ref.subarray(4 * size, 5 * size)) < 1e-4);
  } finally {
    await m.dispose();
  }
});
