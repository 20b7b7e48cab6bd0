import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBatching, defaultCheckClips, formatBatchCheck } from '../../lib/features/batchCheck.js';
import { cache, TINY } from './helpers.js';

test('batch invariance report: tiling/padding move features, equal-length batching does not', async () => {
  const r = await checkBatching({ file: TINY, id: 'hubert_tiny', layer0: 'encoder-input', cacheDir: cache, threads: 1 });
  assert.equal(r.layers.length, 5);
  assert.equal(r.clips, defaultCheckClips().length);
  assert.equal(r.paddedTo, 24000);
  for (const l of r.layers) {
    assert.ok(l.tiled > 0.01, `layer ${l.layer}: tiled moved only ${l.tiled}`);
    assert.ok(l.zeroPadded > 0.01, `layer ${l.layer}: zero padding moved only ${l.zeroPadded}`);
    assert.ok(l.batched < 1e-5, `layer ${l.layer}: equal-length batching moved ${l.batched}`);
  }
  const text = formatBatchCheck(r);
  assert.match(text, /layer +tiled \(paper\) +zero-padded +batched equal-length/);
  assert.equal(text.split('\n').length, 2 + 5 + 1);
  await assert.rejects(
    checkBatching({ file: TINY, id: 'x', layer0: 'encoder-input', cacheDir: cache }, [new Float32Array(8000)]),
    /at least 2 clips/,
  );
});
