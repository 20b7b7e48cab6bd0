/**
 * The paper protocol needs the exact resampler (libsoxr HQ, as librosa): where only the kaiser engine
 * is available it refuses at plan time, before anything runs, unless the file or the command allows
 * it. The engine is part of every extraction key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLibsoxr } from '../../lib/audio/index.js';
import { parseExperiment } from '../../lib/experiment/load.js';
import { planExperiment } from '../../lib/experiment/plan.js';
import { runExperiment } from '../../lib/experiment/runner.js';
import type { BioprobeError } from '../../lib/util/errors.js';
import { fakeStages } from './fakeStages.js';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'bp-resampler-'));
  mkdirSync(join(root, 'data', 'alpha'), { recursive: true });
  for (const f of ['a1.wav', 'b1.wav']) writeFileSync(join(root, 'data', 'alpha', f), f);
  writeFileSync(join(root, 'm1.onnx'), 'model one');
  return root;
}

function load(root: string, extra: string, allow?: boolean) {
  const text = `name: t\ndatasets: [folder:data/alpha]\nmodels: [m1.onnx]\n${extra}`;
  return parseExperiment(text, join(root, 'exp.yaml'), { threads: 1, cacheDir: join(root, 'cache'), allowInexactResampler: allow });
}

/** Run `fn` as if libsoxr were not installed (BIOPROBE_LIBSOXR pointing nowhere). */
async function withoutLibsoxr<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.env.BIOPROBE_LIBSOXR;
  process.env.BIOPROBE_LIBSOXR = '/nonexistent/libsoxr.so.0';
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.BIOPROBE_LIBSOXR;
    else process.env.BIOPROBE_LIBSOXR = before;
  }
}

test('presets: paper requires the exact resampler unless allowed (file or command); default does not', () => {
  const root = setup();
  assert.deepEqual(load(root, 'protocol: paper\n').extract.requireExactResampler, true);
  assert.deepEqual(load(root, 'protocol: paper\nextract: {allowInexactResampler: true}\n').extract.requireExactResampler, false);
  assert.deepEqual(load(root, 'protocol: paper\n', true).extract.requireExactResampler, false);
  assert.deepEqual(load(root, '').extract, {
    threads: 1,
    device: 'cpu',
    limit: undefined,
    resampler: 'auto',
    requireExactResampler: false,
  });
  assert.equal(load(root, 'extract: {resampler: kaiser}\n').extract.resampler, 'kaiser');
  assert.throws(() => load(root, 'extract: {resampler: sinc}\n'), /extract\.resampler/);
});

test('paper protocol without libsoxr: refused at plan time with the fix; allowed explicitly it runs with kaiser', async () => {
  const root = setup();
  const { stages, calls } = fakeStages();
  await withoutLibsoxr(async () => {
    await assert.rejects(
      runExperiment(load(root, 'protocol: paper\n'), { stages }),
      (e: BioprobeError) =>
        e.code === 'inexact-resampler' && /libsoxr/.test(e.message) && /allowInexactResampler|--allow-inexact-resampler/.test(e.hint ?? ''),
    );
    assert.deepEqual(calls.extract, [], 'nothing ran');
    const r = await runExperiment(load(root, 'protocol: paper\n', true), { stages });
    assert.equal(r.plan.resampler.engine, 'bioprobe-kaiser');
    assert.deepEqual(calls.extract, ['m1/alpha']);
  });
  // an explicit kaiser choice is inexact too
  await assert.rejects(planExperiment(load(root, 'protocol: paper\nextract: {resampler: kaiser}\n'), stages), /inexact|exact resampler/);
});

test('the engine is part of the extraction key', async () => {
  const root = setup();
  const { stages } = fakeStages();
  const key = async (extra: string) => (await planExperiment(load(root, extra), stages)).stages.find((s) => s.kind === 'extract')!;
  const kaiser = await key('extract: {resampler: kaiser}\n');
  assert.equal((kaiser.inputs as { resampler: { engine: string } }).resampler.engine, 'bioprobe-kaiser');
  if (!loadLibsoxr().ok) return; // auto is kaiser here: same key, rightly
  const exact = await key('extract: {resampler: libsoxr}\n');
  assert.notEqual(exact.key, kaiser.key);
  assert.equal((await key('')).key, exact.key, 'auto = libsoxr where it is installed');
});
