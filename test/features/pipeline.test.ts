import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openLayerModel } from '../../lib/models/layerModel.js';
import { forwardOf } from '../../lib/features/model.js';
import { type ClipInput, type Forward, inThread, poolClip, prefetcher, runPipeline } from '../../lib/features/pipeline.js';
import type { ClipRecord } from '../../lib/features/journal.js';
import { openWorkerModel } from '../../lib/features/threadedModel.js';
import { BioprobeError } from '../../lib/util/errors.js';
import { cache, TINY } from './helpers.js';

function clip(n: number, f: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * f * i) / 16000) * (1 - i / n));
}

const item = (index: number) => ({ index, path: `/x/${index}.wav`, label: 'a' });

test('prefetcher keeps order, stays within its depth, and rethrows a failing source', async () => {
  let produced = 0;
  function* src() {
    for (let i = 0; i < 10; i++) {
      produced++;
      yield i;
    }
  }
  const next = prefetcher(src(), 3);
  const got: number[] = [];
  for (let v = await next(); v !== undefined; v = await next()) {
    assert.ok(produced - got.length <= 4, `prefetched ${produced - got.length} ahead`);
    got.push(v);
  }
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  async function* bad() {
    yield 1;
    throw new Error('source broke');
  }
  const n2 = prefetcher(bad(), 2);
  assert.equal(await n2(), 1);
  await assert.rejects(n2(), /source broke/);
});

test('pipeline: rows in source order, chunks pooled as one clip, failures recorded, NaN output skipped', async () => {
  const model = await openLayerModel(TINY, { cacheDir: cache, session: { threads: 1 } });
  try {
    const real = forwardOf(model);
    // the same model, except that any input of exactly 7777 samples comes back as NaN
    const nanFor7777: Forward = {
      ...real,
      async run(x) {
        const out = await real.run(x);
        return x.length === 7777 ? out.map((o) => ({ ...o, data: new Float32Array(o.data.length).fill(NaN) })) : out;
      },
    };
    const a = clip(16000, 440);
    const inputs: ClipInput[] = [
      { item: item(0), chunks: [a], info: { duration_s: 1, sample_rate: 16000, channels: 1 } },
      { item: item(1), error: new BioprobeError('audio', 'file-missing', 'no such file', { file: '/x/1.wav' }) },
      { item: item(2), chunks: [clip(7777, 300)], info: { duration_s: 0.5, sample_rate: 16000, channels: 1 } },
      { item: item(3), chunks: [a.subarray(0, 8000), a.subarray(8000)], info: { duration_s: 1, sample_rate: 16000, channels: 1 } },
      { item: item(4), chunks: [clip(300, 500)], info: { duration_s: 0.02, sample_rate: 16000, channels: 1 } },
    ];
    const written: { index: number; rows: readonly Float32Array[] | null; rec: ClipRecord }[] = [];
    await runPipeline(inputs, inThread(nanFor7777), { writeClip: (index, rows, rec) => written.push({ index, rows, rec }) });
    assert.deepEqual(
      written.map((w) => w.index),
      [0, 1, 2, 3, 4],
    );
    assert.equal(written[0].rec.status, 'ok');
    assert.equal(written[0].rec.frames, 49);
    assert.equal(written[1].rec.status, 'file-missing: no such file');
    assert.equal(written[1].rows, null);
    assert.match(written[2].rec.status, /^model-nonfinite: the model produced non-finite values/);
    assert.equal(written[2].rows, null);
    // two 8000-sample chunks: 24 + 24 frames pooled together, close to (not equal to) the whole clip
    assert.equal(written[3].rec.frames, 48);
    assert.equal(written[3].rec.chunks, 2);
    const direct = await poolClip(real, [a.subarray(0, 8000), a.subarray(8000)]);
    assert.deepEqual(written[3].rows, direct.rows);
    assert.match(written[4].rec.status, /^clip-too-short: /);
  } finally {
    await model.dispose();
  }
});

test('worker model gives the same rows as the model in this thread; a dead worker stops the run', async () => {
  const spec = { file: TINY, id: 'tiny', layer0: 'encoder-input' as const, cacheDir: cache, threads: 1 };
  const { model: w } = await openWorkerModel(spec);
  const local = await openLayerModel(TINY, { cacheDir: cache, session: { threads: 1 } });
  const x = clip(12000, 700);
  const [remote, here] = await Promise.all([w.embedClip([x]), poolClip(forwardOf(local), [x])]);
  assert.deepEqual(remote.rows, here.rows);
  assert.equal(x.length, 12000, 'the caller keeps its buffer');
  await local.dispose();
  await w.close();
  const inputs: ClipInput[] = [{ item: item(0), chunks: [x], info: { duration_s: 1, sample_rate: 16000, channels: 1 } }];
  await assert.rejects(runPipeline(inputs, w, { writeClip: () => assert.fail('nothing may be written') }), /model worker exited/);
});

test('pipeline: up to `inflight` clips handed ahead, but beyond two only while they hold fewer than `inflightSamples`', async () => {
  for (const [n, expected] of [
    [5000, 8],
    [600_000, 2],
  ] as const) {
    let live = 0;
    let most = 0;
    const model = {
      layers: 1,
      width: 1,
      async embedClip() {
        live++;
        most = Math.max(most, live);
        await new Promise((r) => setTimeout(r, 5));
        live--;
        return { rows: [new Float32Array(2)], frames: 1 };
      },
      async close() {},
    };
    // the pipeline hands clips ahead without waiting: count how many are out at once
    const inputs: ClipInput[] = Array.from({ length: 20 }, (_, i) => ({
      item: item(i),
      chunks: [new Float32Array(n)],
      info: { duration_s: n / 16000, sample_rate: 16000, channels: 1 },
    }));
    await runPipeline(inputs, model, { writeClip() {} }, { inflight: 8, inflightSamples: 1_000_000, prefetch: 20 });
    assert.equal(most, expected, `${n}-sample clips`);
  }
});
