/**
 * Choosing the resampling engine: `auto` falls back to kaiser (and says why and how to fix it) where
 * libsoxr cannot be opened, `libsoxr` then fails with the fix, the fallback is warned about once per
 * process, and a store made with one engine is never resumed with another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadLibsoxr, resolveResampler, ResamplerCache } from '../../lib/audio/index.js';
import { libsoxrCandidates } from '../../lib/audio/soxr.js';
import { checkResampler } from '../../lib/doctor/audio.js';
import { assertSameIdentity, FEATURES_FORMAT, type StoreIdentity } from '../../lib/features/identity.js';
import type { BioprobeError } from '../../lib/util/errors.js';

const MISSING = { BIOPROBE_LIBSOXR: '/nonexistent/libsoxr.so.0' };

test('libsoxr is looked up by its usual names per platform, or only where BIOPROBE_LIBSOXR points', () => {
  assert.deepEqual(libsoxrCandidates({}, 'linux'), ['libsoxr.so.0', 'libsoxr.so']);
  assert.equal(libsoxrCandidates({}, 'darwin')[0], 'libsoxr.0.dylib');
  assert.equal(libsoxrCandidates({}, 'win32')[0], 'soxr.dll');
  assert.deepEqual(libsoxrCandidates({ BIOPROBE_LIBSOXR: '/opt/x.so' }, 'linux'), ['/opt/x.so']);
});

test('auto falls back to the kaiser engine where libsoxr is missing; libsoxr then fails with the fix', () => {
  const s = loadLibsoxr(MISSING);
  assert.equal(s.ok, false);
  const auto = resolveResampler('auto', {}, MISSING);
  assert.equal(auto.info.engine, 'bioprobe-kaiser');
  assert.equal(auto.info.exact, false);
  assert.match(auto.fallback!.reason, /BIOPROBE_LIBSOXR=\/nonexistent\/libsoxr\.so\.0 cannot be opened/);
  assert.match(auto.fallback!.fix, /libsoxr/);
  assert.equal(resolveResampler('kaiser', {}, MISSING).fallback, undefined, 'an explicit kaiser choice is no fallback');
  assert.throws(
    () => resolveResampler('libsoxr', {}, MISSING),
    (e: BioprobeError) => e.code === 'resampler-missing' && /apt-get install libsoxr0|brew install libsoxr/.test(e.hint ?? ''),
  );
  assert.throws(() => resolveResampler('soxr' as 'auto'), /resampler must be auto, libsoxr, kaiser/);
  // the fallback still resamples (kaiser), with librosa's output length
  const y = new ResamplerCache(auto).get(44100, 16000).process(new Float32Array(441).fill(0.5));
  assert.equal(y.length, 160);
});

test('the fallback is said once per process, as a Node warning, with its fix', () => {
  const code = `import('./lib/audio/index.ts').then((a) => {
    for (let i = 0; i < 3; i++) new a.ResamplerCache({}).get(44100 + i, 16000).process(new Float32Array(100));
    new a.ResamplerCache({ resampler: 'kaiser' }).get(8000, 16000);
  });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', env: { ...process.env, ...MISSING } });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.includes('BioprobeWarning'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0],
    /resampling with bioprobe-kaiser .*inexact.* Fix: point BIOPROBE_LIBSOXR at libsoxr or unset it; (apt-get install libsoxr0|brew install libsoxr|put soxr.dll)/,
  );
});

test('doctor: libsoxr found (version, core, path) or a warning with the fix', () => {
  const ok = checkResampler(() => ({ ok: true, lib: { version: '0.1.3', core: 'cr32s', path: 'libsoxr.so.0', resample: (x) => x } }));
  assert.equal(ok.status, 'ok');
  assert.match(ok.detail, /libsoxr 0\.1\.3 \(cr32s\) at libsoxr\.so\.0/);
  const miss = checkResampler(() => loadLibsoxr(MISSING));
  assert.equal(miss.status, 'warn');
  assert.equal(miss.area, 'audio');
  assert.match(miss.detail, /falls back to bioprobe's kaiser engine/);
  assert.match(miss.fix!, /libsoxr/);
});

test('a features store made with one resampler is never resumed with another: both are named', () => {
  const base: StoreIdentity = {
    format: FEATURES_FORMAT,
    modelSha256: 'ab',
    layer0: 'x',
    layers: 2,
    dim: 4,
    itemsHash: 'cd',
    count: 3,
    device: 'cpu',
    shard: null,
    preprocessing: {
      sampleRate: 16000,
      mono: 'channel-mean',
      normalise: 'peak',
      minSamples: 5000,
      maxChunk: 300000,
      batching: 'per-clip',
      resampler: { engine: 'libsoxr', version: '0.1.3', quality: 'HQ', core: 'cr32s', exact: true },
    },
  };
  const kaiser = { ...base, preprocessing: { ...base.preprocessing, resampler: resolveResampler('kaiser').info } };
  assert.throws(
    () => assertSameIdentity('/f', base, kaiser),
    /another resampler \(the store: libsoxr 0\.1\.3 HQ .*; this run: bioprobe-kaiser/,
  );
  assert.throws(
    () => assertSameIdentity('/f', base, { ...base, preprocessing: { ...base.preprocessing, resampler: 'bioprobe-kaiser-polyphase' } }),
    /another resampler/,
  );
  assertSameIdentity('/f', base, structuredClone(base));
});
