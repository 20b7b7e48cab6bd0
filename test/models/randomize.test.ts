import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLayerModel } from '../../lib/models/layerModel.js';
import { randomizeWeights } from '../../lib/models/randomize.js';
import { countParameters } from '../../lib/onnx/params.js';
import { loadModel } from '../../lib/onnx/proto.js';
import { readNpy } from '../../lib/util/npy.js';
import { clip, fixturePath, index, relErr, runCli } from './fixtures.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'bioprobe-random-'));
const m = index.models.hubert_tiny;
const src = fixturePath(m.file);

test('randomizeWeights shuffles every weight tensor: same values per tensor, same graph, other outputs', async () => {
  const r = await randomizeWeights(src, { seed: 7, cacheDir });
  const a = loadModel(src).model.graph!;
  const b = loadModel(r.path).model.graph!;
  assert.equal(
    r.shuffled,
    a.initializer!.filter((t) => t.dataType === 1 && (t.dims ?? []).reduce<number>((p, d) => p * Number(d), 1) > 1).length,
  );
  assert.deepEqual(r.skipped, []);
  assert.equal(countParameters(b), countParameters(a));
  assert.equal(b.node!.length, a.node!.length);
  let moved = 0;
  a.initializer!.forEach((t, i) => {
    const x = Buffer.from(t.rawData!);
    const y = Buffer.from(b.initializer![i].rawData!);
    if (t.dataType !== 1) return assert.ok(x.equals(y), `${t.name} untouched`);
    const sorted = (buf: Buffer) =>
      Float32Array.from(new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length))).sort();
    assert.deepEqual(sorted(y), sorted(x), `${t.name}: same multiset of values`);
    if (!x.equals(y)) moved++;
  });
  assert.ok(moved > 10);
  const model = await openLayerModel(r.path, { cacheDir, expectLayers: m.layers });
  try {
    const out = await model.embed(clip('chirp'));
    const ref = readNpy(fixturePath(m.refs.chirp.layers)).data;
    const size = out.frames * out.dim;
    for (let l = 1; l < m.layers; l++)
      assert.ok(relErr(out.layers[l], ref.subarray(l * size, (l + 1) * size)) > 0.1, `layer ${l} differs from the trained model`);
  } finally {
    await model.dispose();
  }
});

test('the shuffle is deterministic per seed and cached', async () => {
  const a = await randomizeWeights(src, { seed: 1, cacheDir: mkdtempSync(join(tmpdir(), 'bp-r1-')) });
  const b = await randomizeWeights(src, { seed: 1, cacheDir: mkdtempSync(join(tmpdir(), 'bp-r2-')) });
  const c = await randomizeWeights(src, { seed: 2, cacheDir });
  assert.ok(readFileSync(a.path).equals(readFileSync(b.path)));
  assert.ok(!readFileSync(a.path).equals(readFileSync(c.path)));
  await assert.rejects(randomizeWeights(src, { seed: -1, cacheDir }), /non-negative integer/);
});

test('bioprobe models randomize prints the copy it wrote', () => {
  const r = runCli(['models', 'randomize', src, '--seed', '3'], { env: { BIOPROBE_CACHE: cacheDir } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\d+ weight tensors shuffled \(seed 3\): .*seed3\/model\.onnx$/m);
});
