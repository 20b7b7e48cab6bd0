/**
 * The log-mel baseline through the features store: one layer of width 2 * 64, row i = [mean, unbiased
 * std] over the frames of clip i's prepared audio, recomputed here from the clip and LogMel directly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../lib/datasets/load.js';
import { loadClip } from '../../lib/audio/clips.js';
import { readNpy } from '../../lib/util/npy.js';
import { extractLogMelFeatures } from '../../lib/baselines/extract.js';
import { LogMel } from '../../lib/baselines/logmel.js';
import { logMelFingerprint, LOGMEL_ID } from '../../lib/baselines/forward.js';

test('log-mel features of a synthetic dataset are pooled mean + unbiased std of its frames', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bp-lm-'));
  const dataset = await loadDataset('synthetic:6', { cacheDir: join(tmp, 'cache') });
  const out = join(tmp, 'features');
  const manifest = await extractLogMelFeatures({ dataset, out });
  assert.equal(manifest.model, LOGMEL_ID);
  assert.equal(manifest.layers, 1);
  assert.equal(manifest.dim, 128);
  assert.equal(manifest.count, 6);
  assert.equal(manifest.modelInfo.sha256, logMelFingerprint());
  const { data, shape } = readNpy(join(out, 'layer_00.npy'));
  assert.deepEqual(shape, [6, 128]);
  assert.match(readFileSync(join(out, 'clips.csv'), 'utf8').split('\n')[1], /,ok,/);

  const clip = await loadClip(dataset.items[2], { minSamples: 5000 });
  const f = new LogMel().compute(clip.samples);
  for (const m of [0, 17, 63]) {
    let mean = 0;
    for (let t = 0; t < f.frames; t++) mean += f.data[t * 64 + m];
    mean /= f.frames;
    let ss = 0;
    for (let t = 0; t < f.frames; t++) ss += (f.data[t * 64 + m] - mean) ** 2;
    const std = Math.sqrt(ss / (f.frames - 1));
    assert.ok(Math.abs(data[2 * 128 + m] - mean) < 1e-4, `mean of band ${m}`);
    assert.ok(Math.abs(data[2 * 128 + 64 + m] - std) < 1e-4, `std of band ${m}`);
  }
  // a second call finds the finished store and computes nothing
  const again = await extractLogMelFeatures({ dataset, out });
  assert.equal(again.identityHash, manifest.identityHash);
});
