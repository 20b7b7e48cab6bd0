/**
 * The features manifest records the resampling engine (preprocessing.resampler), the store identity
 * includes it, so a store started with one engine is never finished with another, and
 * `extract --resampler libsoxr` fails with the fix where libsoxr is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLibsoxr } from '../../lib/audio/index.js';
import { cli, extract, TINY, tmp, toneDataset } from './helpers.js';

test('the manifest names the engine; another engine on the same store is refused, naming both', async () => {
  const ds = toneDataset(2);
  const out = tmp();
  const { manifest } = await extract({ model: TINY, dataset: ds, out, threads: 1, resampler: 'kaiser' });
  assert.deepEqual(manifest.preprocessing.resampler, {
    engine: 'bioprobe-kaiser',
    passband: 0.913,
    stopband: 1,
    attenuationDb: 130,
    exact: false,
  });
  const soxr = loadLibsoxr();
  if (!soxr.ok) return;
  await assert.rejects(
    extract({ model: TINY, dataset: ds, out, threads: 1, resampler: 'libsoxr' }),
    /another resampler \(the store: bioprobe-kaiser.*this run: libsoxr/,
  );
  const exact = await extract({ model: TINY, dataset: ds, out: tmp(), threads: 1 });
  assert.deepEqual(exact.manifest.preprocessing.resampler, {
    engine: 'libsoxr',
    version: soxr.lib.version,
    quality: 'HQ',
    core: soxr.lib.core,
    exact: true,
  });
});

test('extract --resampler libsoxr without libsoxr: a clear error with the fix; a bad engine name is a usage error', () => {
  const ds = toneDataset(1);
  const r = cli(['extract', '--model', TINY, '--dataset', ds, '--out', tmp(), '--resampler', 'libsoxr'], {
    BIOPROBE_LIBSOXR: '/nonexistent/libsoxr.so.0',
  });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /libsoxr resampler was asked for but BIOPROBE_LIBSOXR=\/nonexistent\/libsoxr\.so\.0 cannot be opened/);
  assert.match(r.stderr, /libsoxr/);
  const bad = cli(['extract', '--model', TINY, '--dataset', ds, '--out', tmp(), '--resampler', 'sinc']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--resampler must be auto, libsoxr or kaiser/);
});
