/**
 * Parity of the log-mel baseline with torchaudio 0.13's MelSpectrogram + log(x + 1e-6), against the
 * committed references of tools/make_logmel_reference.py. Tolerance: 1e-4 absolute on log values
 * against torchaudio in float64 (our computation is float64 too; the fixture is stored as float32, so
 * ~1e-6 is the floor), and 2e-4 against torchaudio's own float32 result (its rounding noise reaches
 * ~9e-5 on these clips, see cases.json).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy } from '../../lib/util/npy.js';
import { LogMel, logMelFrameCount, DEFAULT_LOGMEL, type LogMelSettings } from '../../lib/baselines/logmel.js';
import { melFilterbank, hzToMel, melToHz } from '../../lib/baselines/melscale.js';

const dir = 'test/fixtures/baselines/logmel';
interface Case {
  name: string;
  samples: number;
  frames: number;
  settings: Record<string, unknown>;
}
const cases: Case[] = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')).cases;

function toSettings(s: Record<string, unknown>): Partial<LogMelSettings> {
  return {
    sampleRate: s.sample_rate as number,
    nFft: s.n_fft as number,
    winLength: s.win_length as number,
    hopLength: s.hop_length as number,
    nMels: s.n_mels as number,
    fMin: s.f_min as number,
    fMax: s.f_max as number,
    melScale: s.mel_scale as 'htk' | 'slaney',
    norm: (s.norm as 'slaney' | null) ?? null,
  };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const c of cases) {
  test(`log-mel matches torchaudio on ${c.name} (${c.samples} samples)`, () => {
    const wave = readNpy(join(dir, `${c.name}.wave.npy`)).data;
    const ref64 = readNpy(join(dir, `${c.name}.ref64.npy`));
    const ref32 = readNpy(join(dir, `${c.name}.ref32.npy`));
    const lm = new LogMel(toSettings(c.settings));
    const out = lm.compute(wave);
    assert.deepEqual([out.frames, out.nMels], ref64.shape);
    assert.equal(out.frames, logMelFrameCount(wave.length, lm.settings));
    const d64 = maxAbsDiff(out.data, ref64.data);
    const d32 = maxAbsDiff(out.data, ref32.data);
    assert.ok(d64 <= 1e-4, `max |ours - torchaudio float64| = ${d64}`);
    assert.ok(d32 <= 2e-4, `max |ours - torchaudio float32| = ${d32}`);
  });
}

test('the reference set covers both mel scales and an odd length', () => {
  assert.ok(cases.some((c) => c.settings.mel_scale === 'slaney'));
  assert.ok(cases.some((c) => c.samples % 160 !== 0));
});

test('mel scale round-trips and the default filterbank has no empty filter', () => {
  for (const scale of ['htk', 'slaney'] as const) {
    for (const f of [0, 100, 999, 1000, 4321, 8000]) assert.ok(Math.abs(melToHz(hzToMel(f, scale), scale) - f) < 1e-6);
  }
  const fb = melFilterbank({ nFreqs: 257, fMin: 0, fMax: 8000, nMels: 64, sampleRate: 16000, scale: 'htk', norm: null });
  for (let m = 0; m < 64; m++) {
    let s = 0;
    for (let k = 0; k < 257; k++) s += fb[k * 64 + m];
    assert.ok(s > 0, `filter ${m} is empty`);
  }
});

test('silence gives log(eps) everywhere, never -Infinity or NaN', () => {
  const out = new LogMel().compute(new Float32Array(8000));
  for (const v of out.data) assert.equal(v, Math.fround(Math.log(DEFAULT_LOGMEL.logEps)));
});

test('bad settings are refused', () => {
  assert.throws(() => new LogMel({ winLength: 1024 }), /winLength/);
  assert.throws(() => new LogMel({ fMax: 9000 }), /mel range/);
  assert.throws(() => new LogMel({ nFft: 500 }), /power of two/);
});
