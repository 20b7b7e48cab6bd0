/**
 * Equal-length batching (features/batching.ts): batched rows equal clip-by-clip rows (the check runs the
 * first batch both ways and keeps batching only within 1e-6; built graphs are bit-identical), graphs that
 * cannot batch fall back to one clip per pass, and extraction with batching writes the same store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { Batcher, BATCH_TOLERANCE } from '../../lib/features/batching.js';
import { forwardOf } from '../../lib/features/model.js';
import { poolClip } from '../../lib/features/pipeline.js';
import { readManifest } from '../../lib/features/manifest.js';
import { openLayerModel } from '../../lib/models/layerModel.js';
import { inspectModel } from '../../lib/models/inspect.js';
import { cache, extract, storeBytes, tmp, toneWav, TINY } from './helpers.js';

const CKPT = join(import.meta.dirname, '..', 'fixtures', 'checkpoints', 'hf_wavlm_seqcls');
const clip = (seed: number, n = 5000) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * (0.01 + 0.003 * seed)) * 0.6 + 0.2 * Math.sin(i * 0.37 * seed));

test('the first batch is checked against clip-by-clip rows; batched rows then equal them bit for bit', async () => {
  const model = await openLayerModel(CKPT, { cacheDir: cache, session: { threads: 1 } });
  const b = new Batcher(model, 4);
  const clips = [1, 2, 3, 4].map((s) => [clip(s)]);
  const singles = await Promise.all(clips.map((c) => poolClip(forwardOf(model), c)));
  const first = await b.run(clips);
  assert.equal(b.report.state, 'on');
  assert.equal(b.report.check?.bitIdentical, true);
  assert.ok(b.report.check!.maxRelDiff <= BATCH_TOLERANCE);
  first.forEach((r, k) => assert.deepEqual('rows' in r && r.rows, singles[k].rows, 'the checked batch writes the clip-by-clip rows'));
  const again = await b.run(clips);
  again.forEach((r, k) => assert.deepEqual('rows' in r && r.rows, singles[k].rows, 'batched rows'));
  assert.deepEqual([b.report.batches, b.report.batchedClips], [2, 8]);
  assert.ok(b.accepts([clip(5)], 5000));
  assert.ok(!b.accepts([clip(5, 6000)], 5000), 'only clips of one length');
  assert.ok(!b.accepts([clip(5), clip(6)], 5000), 'only single-chunk clips');
  await model.dispose();
});

test('a graph whose batched rows differ (even by ~1e-7) runs one clip per forward pass', async () => {
  const model = await openLayerModel(join(import.meta.dirname, '..', 'fixtures', 'models', 'hf_tiny.onnx'), {
    cacheDir: cache,
    session: { threads: 1 },
  });
  const b = new Batcher(model, 4);
  const clips = [1, 2, 3, 4].map((s) => [clip(s, 24000)]);
  const singles = await Promise.all(clips.map((c) => poolClip(forwardOf(model), c)));
  const out = await b.run(clips);
  assert.equal(b.report.check?.bitIdentical, false, 'the HF-style export is not bit-identical when batched');
  assert.ok(b.report.check!.maxRelDiff < 1e-5);
  assert.equal(b.report.state, 'off');
  out.forEach((r, k) => assert.deepEqual('rows' in r && r.rows, singles[k].rows, 'clip-by-clip rows are written'));
  assert.ok(!b.accepts(clips[0], 24000));
  await model.dispose();
});

test('a graph that cannot take a batch falls back to one clip per forward pass', async () => {
  const model = await openLayerModel(CKPT, { cacheDir: cache, session: { threads: 1 } });
  const broken = {
    ...model,
    layers: model.layers,
    dim: model.dim,
    embed: (x: Float32Array) => model.embed(x),
    embedBatch: async () => {
      throw new Error('no batch axis');
    },
  };
  const b = new Batcher(broken as typeof model, 4);
  const out = await b.run([[clip(1)], [clip(2)]]);
  assert.equal(b.report.state, 'off');
  assert.match(b.report.check?.error ?? '', /no batch axis/);
  assert.ok(out.every((r) => 'rows' in r));
  assert.ok(!b.accepts([clip(3)], 5000));
  await model.dispose();
});

test('extraction with batching (default) writes the same store as one clip per pass, and records it', async () => {
  const dir = tmp();
  const rows = ['path,label'];
  for (let i = 0; i < 10; i++) {
    writeFileSync(join(dir, `c${i}.wav`), toneWav(i + 1, i < 8 ? 3000 : 7000)); // 8 clips tiled to 5000 samples
    rows.push(`c${i}.wav,${i % 2 ? 'a' : 'b'}`);
  }
  writeFileSync(join(dir, 'labels.csv'), rows.join('\n') + '\n');
  const ds = `csv:${join(dir, 'labels.csv')}`;
  for (const model of [TINY, CKPT]) {
    const a = tmp();
    const b = tmp();
    const ra = await extract({ model, dataset: ds, out: a, threads: 1 });
    await extract({ model, dataset: ds, out: b, threads: 1, batch: 1 });
    assert.deepEqual(storeBytes(a, ra.manifest.layers), storeBytes(b, ra.manifest.layers), `${model}: same bytes`);
    const run = readManifest(a)!.run as { batching: { max: number; state: string } };
    assert.equal(run.batching.max, 16);
    assert.notEqual(run.batching.state, 'off');
    assert.equal((readManifest(b)!.run as { batching: { max: number } }).batching.max, 1);
    assert.ok(readFileSync(join(a, 'manifest.json'), 'utf8').includes('"batching"'));
    // parameter counts at extraction, for an ONNX file (its initializers) and a checkpoint (every tensor)
    const info = readManifest(a)!.modelInfo;
    assert.equal(info.params, model === TINY ? inspectModel(TINY).parameters : 33_666);
  }
});
