/**
 * The features identity covers what changes a store's numbers: an unfinished store is not resumed by
 * a run whose onnxruntime version, device or preprocessing (resampler) differs. Thread counts are
 * deliberately absent (threads.test.ts shows they do not change the bytes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Item } from '../../lib/datasets/types.js';
import { FEATURES_FORMAT, hashItems, identityHash, type StoreIdentity } from '../../lib/features/identity.js';
import { FeatureStore } from '../../lib/features/store.js';
import { tmp } from './helpers.js';

const its: Item[] = Array.from({ length: 3 }, (_, i) => ({ index: i, path: `c${i}.wav`, label: 'a' }));
const identity = (over: Partial<StoreIdentity> = {}): StoreIdentity => ({
  format: FEATURES_FORMAT,
  modelSha256: 'abc',
  layer0: 'projection',
  layers: 1,
  dim: 2,
  itemsHash: hashItems(its),
  count: 3,
  device: 'cpu',
  shard: null,
  onnxruntime: '1.30.0',
  preprocessing: {
    sampleRate: 16000,
    mono: 'channel-mean',
    resampler: 'r1',
    normalise: 'peak',
    minSamples: 5000,
    maxChunk: 300000,
    batching: 'per-clip',
  },
  ...over,
});

for (const [what, over, re] of [
  ['onnxruntime version', { onnxruntime: '1.31.0' }, /another onnxruntime version/],
  ['device', { device: 'cuda' }, /another device/],
  ['resampler', { preprocessing: { ...identity().preprocessing, resampler: 'r2' } }, /another resampler \(the store: r1; this run: r2\)/],
] as [string, Partial<StoreIdentity>, RegExp][]) {
  test(`an unfinished store is not resumed with another ${what}`, () => {
    const dir = tmp();
    const s = FeatureStore.open({ dir, identity: identity(), items: its });
    s.writeClip(0, [Float32Array.of(1, 2)], { i: 0, status: 'ok' });
    s.close();
    assert.notEqual(identityHash(identity(over)), identityHash(identity()));
    assert.throws(() => FeatureStore.open({ dir, identity: identity(over), items: its }), re);
    const again = FeatureStore.open({ dir, identity: identity(), items: its });
    assert.equal(again.state, 'resumed');
    again.close();
  });
}
