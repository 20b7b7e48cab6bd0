import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Item } from '../../lib/datasets/types.js';
import { FEATURES_FORMAT, hashItems, type StoreIdentity } from '../../lib/features/identity.js';
import { readClipsCsv } from '../../lib/features/clipsCsv.js';
import { FeatureStore, PARTIAL_DIR, type ManifestInput } from '../../lib/features/store.js';
import { readNpy, readNpyHeader } from '../../lib/util/npy.js';
import { tmp } from './helpers.js';

/** The finished stores in folders a and b are byte-identical (every layer file and clips.csv). */
function assertSameStore(a: string, b: string): void {
  for (const f of ['layer_00.npy', 'layer_01.npy', 'layer_02.npy', 'clips.csv']) {
    assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f);
  }
}

const L = 3;
const DIM = 4;

function items(n: number): Item[] {
  return Array.from({ length: n }, (_, i) => ({ index: i, path: `/data/clip, ${i}.wav`, label: i % 2 ? 'a' : 'b' }));
}

function identity(its: Item[], over: Partial<StoreIdentity> = {}): StoreIdentity {
  return {
    format: FEATURES_FORMAT,
    modelSha256: 'abc',
    layer0: 'projection',
    layers: L,
    dim: DIM,
    itemsHash: hashItems(its),
    count: its.length,
    device: 'cpu',
    shard: null,
    preprocessing: {
      sampleRate: 16000,
      mono: 'channel-mean',
      resampler: 'test',
      normalise: 'peak',
      minSamples: 5000,
      maxChunk: 300000,
      batching: 'per-clip',
    },
    ...over,
  };
}

const input: ManifestInput = {
  model: 'm',
  dataset: 'synthetic:6',
  datasetName: 'synthetic',
  versions: { bioprobe: '0', onnxruntime: '0', node: process.version },
  run: {},
  modelInfo: { id: 'm', file: 'm.onnx', sha256: 'abc', layers: L, width: DIM / 2, layer0: 'projection' },
};

/** Deterministic rows of clip i; clips 4 and 5 share rows (a duplicate). */
function rowsOf(i: number): Float32Array[] {
  const k = i === 5 ? 4 : i;
  return Array.from({ length: L }, (_, l) => Float32Array.from({ length: DIM }, (_, d) => (d === 3 ? 7 : k * 10 + l + d / 8)));
}

/** A store of `its` written in one go (the reference the resumed ones must equal). */
function completeStore(its: Item[]): string {
  const dir = tmp();
  const s = FeatureStore.open({ dir, identity: identity(its), items: its });
  fill(
    s,
    its.map((x) => x.index),
  );
  s.finalize(input);
  return dir;
}

function fill(store: FeatureStore, which: number[]): void {
  for (const i of which) {
    if (i === 2) store.writeClip(i, null, { i, status: 'audio-empty: no samples' });
    else store.writeClip(i, rowsOf(i), { i, status: 'ok', duration_s: 1.5, sample_rate: 16000, channels: 1, frames: 74, chunks: 1 });
  }
}

test('a store is written, finalised atomically and readable', () => {
  const dir = tmp();
  const its = items(6);
  const store = FeatureStore.open({ dir, identity: identity(its), items: its });
  assert.equal(store.state, 'fresh');
  fill(store, [0, 1, 2, 3, 4, 5]);
  assert.ok(!existsSync(join(dir, 'manifest.json')));
  const m = store.finalize(input, { expectedDim: DIM });
  assert.deepEqual(readdirSync(dir).sort(), ['clips.csv', 'layer_00.npy', 'layer_01.npy', 'layer_02.npy', 'manifest.json']);
  assert.equal(m.format, 'bioprobe.features/1');
  assert.equal(m.count, 6);
  assert.deepEqual(m.summary, { ok: 5, skipped: 1, reasons: { 'audio-empty': 1 } });
  const h = readNpyHeader(join(dir, 'layer_01.npy'));
  assert.deepEqual([h.dtype, ...h.shape], ['<f4', 6, DIM]);
  assert.equal(h.dataOffset % 64, 0);
  const { data } = readNpy(join(dir, 'layer_01.npy'));
  assert.deepEqual([...data.subarray(3 * DIM, 4 * DIM)], [...rowsOf(3)[1]]);
  assert.deepEqual([...data.subarray(2 * DIM, 3 * DIM)], [0, 0, 0, 0]);
  const clips = readClipsCsv(join(dir, 'clips.csv'));
  assert.equal(clips[1].item.path, '/data/clip, 1.wav');
  assert.equal(clips[2].record.status, 'audio-empty: no samples');
  assert.equal(clips[0].record.frames, 74);
  assert.equal(
    readFileSync(join(dir, 'clips.csv'), 'utf8').split('\n')[0],
    'index,path,label,start,end,status,duration_s,sample_rate,channels,frames,chunks,flags',
  );
  // sanity: column 3 constant in every layer; clips 4 and 5 identical
  assert.deepEqual(m.sanity.constantColumns, [
    { layer: 0, count: 1 },
    { layer: 1, count: 1 },
    { layer: 2, count: 1 },
  ]);
  assert.deepEqual(m.sanity.duplicateExamples, [[4, 5]]);
  assert.equal(m.sanity.nonFinite, 0);
  assert.ok(m.sanity.width.ok);
  // reopening a complete store with the same identity: nothing to do
  const again = FeatureStore.open({ dir, identity: identity(its), items: its });
  assert.equal(again.state, 'complete');
  assert.equal(again.pendingItems().length, 0);
  again.close();
});

test('an interrupted store resumes and ends with the same bytes', () => {
  const its = items(6);
  const a = completeStore(its);

  const b = tmp();
  const s2 = FeatureStore.open({ dir: b, identity: identity(its), items: its, flushClips: 2 });
  fill(s2, [0, 1, 2]);
  // no close(): a kill leaves the lock and an unflushed journal line; add a torn line too
  appendFileSync(join(b, PARTIAL_DIR, 'progress.jsonl'), '{"i":4,"sta');
  writeFileSync(join(b, '.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started: 'x' }));
  const notices: string[] = [];
  const s3 = FeatureStore.open({ dir: b, identity: identity(its), items: its, notice: (l) => notices.push(l) });
  assert.equal(s3.state, 'resumed');
  assert.deepEqual(
    s3.pendingItems().map((x) => x.index),
    [2, 3, 4, 5],
  );
  assert.match(notices.join('\n'), /stale lock/);
  fill(
    s3,
    s3.pendingItems().map((x) => x.index),
  );
  s3.finalize(input);
  assertSameStore(a, b);
});

test('a finalisation that crashed after moving some files completes on the next open', () => {
  const its = items(6);
  const a = completeStore(its);
  const b = tmp();
  const s2 = FeatureStore.open({ dir: b, identity: identity(its), items: its });
  fill(s2, [0, 1, 2, 3, 4, 5]);
  s2.close();
  for (const f of ['layer_00.npy', 'layer_01.npy']) renameSync(join(b, PARTIAL_DIR, f), join(b, f));
  const s3 = FeatureStore.open({ dir: b, identity: identity(its), items: its });
  assert.deepEqual(s3.pendingItems(), []); // the skipped clip 2 is not retried: its files already moved
  s3.finalize(input);
  assertSameStore(a, b);
});

test('another model, dataset or setting is refused, --overwrite replaces', () => {
  const its = items(6);
  const dir = tmp();
  const s = FeatureStore.open({ dir, identity: identity(its), items: its });
  fill(s, [0, 1]);
  s.close();
  assert.throws(
    () => FeatureStore.open({ dir, identity: identity(its, { modelSha256: 'def' }), items: its }),
    /another model file.*refusing to mix/,
  );
  const fewer = items(5);
  assert.throws(() => FeatureStore.open({ dir, identity: identity(fewer), items: fewer }), /another dataset/);
  assert.throws(() => FeatureStore.open({ dir, identity: identity(its, { device: 'cuda' }), items: its }), /another device/);
  // --overwrite keeps a run of the same identity (resumed) and replaces one of another
  const same = FeatureStore.open({ dir, identity: identity(its), items: its, overwrite: true });
  assert.equal(same.state, 'resumed');
  same.close();
  const o = FeatureStore.open({ dir, identity: identity(its, { modelSha256: 'def' }), items: its, overwrite: true });
  assert.equal(o.state, 'fresh');
  fill(o, [0, 1, 2, 3, 4, 5]);
  o.finalize(input);
  assert.throws(() => FeatureStore.open({ dir, identity: identity(its), items: its }), /another model file/);
  const kept = FeatureStore.open({ dir, identity: identity(its, { modelSha256: 'def' }), items: its, overwrite: true });
  assert.equal(kept.state, 'complete');
  kept.close();
});

test('a live writer holds the folder: a second one is refused', () => {
  const its = items(6);
  const dir = tmp();
  const s = FeatureStore.open({ dir, identity: identity(its), items: its });
  assert.throws(() => FeatureStore.open({ dir, identity: identity(its), items: its }), /another bioprobe process \(pid \d+/);
  s.close();
  FeatureStore.open({ dir, identity: identity(its), items: its }).close();
});

test('stray store files without a manifest are not adopted', () => {
  const its = items(6);
  const dir = tmp();
  writeFileSync(join(dir, 'layer_00.npy'), 'junk');
  assert.throws(() => FeatureStore.open({ dir, identity: identity(its), items: its }), /no manifest/);
  FeatureStore.open({ dir, identity: identity(its), items: its, overwrite: true }).close();
});

test('non-finite rows and unfinished finalisation are refused', () => {
  const its = items(6);
  const dir = tmp();
  const s = FeatureStore.open({ dir, identity: identity(its), items: its });
  const bad = rowsOf(0);
  bad[1][2] = NaN;
  assert.throws(() => s.writeClip(0, bad, { i: 0, status: 'ok' }), /non-finite/);
  assert.throws(() => s.finalize(input), /6 clips are not done/);
  s.close();
  // numpy agrees with the header, where it is installed
  const py = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (py.status !== 0) return;
  const done = tmp();
  const t = FeatureStore.open({ dir: done, identity: identity(its), items: its });
  fill(t, [0, 1, 2, 3, 4, 5]);
  t.finalize(input);
  const r = spawnSync(
    '/usr/bin/python3',
    [
      '-c',
      `import numpy; a = numpy.load(${JSON.stringify(join(done, 'layer_02.npy'))}, mmap_mode="r"); print(a.dtype, a.shape, float(a[3, 1]))`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.stdout.trim(), `float32 (6, 4) ${rowsOf(3)[2][1]}`);
});
