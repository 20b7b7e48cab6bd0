/**
 * The exact resampling engine: libsoxr HQ through koffi equals the paper's preprocessing
 * (librosa.resample(res_type='soxr_hq') as librosa.load(sr=16000) calls it, then y / max|y|).
 * Fixtures from librosa itself (tools/make_soxr_fixtures.py): 16 source rates from 5 kHz to 192 kHz
 * (incl. 11127, 22255, 43900, 166600, 191999), 2000-sample clips with 7-8 kHz tones, a chirp, noise
 * and full-scale impulses on the edge samples, 50- and 3-sample clips (shorter than the filter),
 * and long generated clips (2 min at 44.1 kHz, 10 min at 11025 Hz, crossing python-soxr's input chunks).
 * Asserted: max |bioprobe - librosa| <= 1e-6 everywhere (measured 0: the same bits).
 * Skips, saying why, where libsoxr (or koffi) is missing; CI installs libsoxr0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeAudio,
  loadClip,
  loadLibsoxr,
  prepareClip,
  ResamplerCache,
  resolveResampler,
  type DecodedAudio,
} from '../../lib/audio/index.js';

const FIX = new URL('../fixtures/audio/', import.meta.url);
const meta = JSON.parse(readFileSync(new URL('soxr-hq.json', FIX), 'utf8')) as {
  clips: { name: string; rate: number; input: [number, number]; output: [number, number] }[];
  long: {
    name: string;
    rate: number;
    seed: number;
    n: number;
    outputLength: number;
    sha256: string;
    inputSha256: string;
    slices: { at: number; values: number[] }[];
  }[];
};
const blob = readFileSync(new URL('soxr-hq.f32', FIX));
const floats = new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
const part = ([off, len]: [number, number]) => floats.subarray(off, off + len);

const soxr = loadLibsoxr();
const skip = soxr.ok ? false : `libsoxr is not available here (${soxr.reason}); fix: ${soxr.fix}`;

/** A decoded mono clip as the audio stage hands it to prepareClip. */
const audio = (samples: Float32Array, sampleRate: number): DecodedAudio => ({
  samples,
  sampleRate,
  channels: 1,
  container: 'wav',
  codec: 'float32',
  truncated: false,
  nonFinite: 0,
  clipped: 0,
  warnings: [],
});

function maxDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length, 'same length');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** tools/make_soxr_fixtures.py's hashnoise: lowbias32 of (index + seed * 2^24), 24 bits, in [-0.5, 0.5). */
function hashnoise(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let h = (i + seed * 2 ** 24) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b) >>> 0;
    h ^= h >>> 16;
    x[i] = ((h >>> 8) - 2 ** 23) / 2 ** 24;
  }
  return x;
}

const sha = (x: Float32Array) =>
  createHash('sha256')
    .update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength))
    .digest('hex');

test('libsoxr engine = librosa soxr_hq + peak normalisation, every rate 5-192 kHz, edges, 2000-, 50- and 3-sample clips', { skip }, (t) => {
  const cache = new ResamplerCache({ resampler: 'libsoxr' });
  assert.equal(cache.engine.info.engine, 'libsoxr');
  let worst = 0;
  for (const c of meta.clips) {
    const y = prepareClip(audio(part(c.input), c.rate), {}, c.name, { minSamples: 0 }, cache).samples;
    const d = maxDiff(y, part(c.output));
    worst = Math.max(worst, d);
    assert.ok(d <= 1e-6, `${c.name}: max |bioprobe - librosa| = ${d}`);
  }
  t.diagnostic(`${meta.clips.length} clips at ${new Set(meta.clips.map((c) => c.rate)).size} rates: max |bioprobe - librosa| = ${worst}`);
});

test('libsoxr engine on long clips (python-soxr feeds libsoxr in chunks): 2 min at 44.1 kHz, 10 min at 11025 Hz, 5 s at 191999 Hz', {
  skip,
}, (t) => {
  const engine = resolveResampler('libsoxr');
  for (const c of meta.long) {
    const x = hashnoise(c.n, c.seed);
    assert.equal(sha(x), c.inputSha256, `${c.name}: the generated input is the fixture's`);
    const y = engine.converter(c.rate, 16000).process(x);
    assert.equal(y.length, c.outputLength);
    let worst = 0;
    for (const s of c.slices) worst = Math.max(worst, maxDiff(y.subarray(s.at, s.at + s.values.length), Float32Array.from(s.values)));
    assert.ok(worst <= 1e-6, `${c.name}: slices differ by ${worst}`);
    assert.equal(sha(y), c.sha256, `${c.name}: every output sample equals librosa's (sha256 of the float32 output)`);
    t.diagnostic(`${c.name}: ${c.n} -> ${y.length} samples, bit-identical to librosa`);
  }
});

test('the kaiser fallback on the same fixtures: close to, not equal to, soxr HQ (measured, docs/AUDIO.md)', (t) => {
  const cache = new ResamplerCache({ resampler: 'kaiser' });
  assert.deepEqual(cache.engine.info, { engine: 'bioprobe-kaiser', passband: 0.913, stopband: 1, attenuationDb: 130, exact: false });
  const worst = new Map<string, number>();
  for (const c of meta.clips) {
    const y = prepareClip(audio(part(c.input), c.rate), {}, c.name, { minSamples: 0 }, cache).samples;
    const kind = c.name.split('@')[0];
    worst.set(kind, Math.max(worst.get(kind) ?? 0, maxDiff(y, part(c.output))));
  }
  t.diagnostic([...worst].map(([k, v]) => `${k}: ${v.toExponential(2)}`).join(', '));
  for (const [kind, d] of worst) assert.ok(d < KAISER_BOUND[kind], `${kind}: ${d} (bound ${KAISER_BOUND[kind]})`);
});

/** Peak-normalised max |kaiser - soxr HQ| per fixture kind, measured and rounded up (docs/AUDIO.md). */
const KAISER_BOUND: Record<string, number> = { mix2000: 0.1, short50: 0.06, short3: 0.08, 'tones7-8k': 0.05 };

const REAL = new URL('../../../shared/data/animal-sounds/', import.meta.url).pathname;

test('real clips: loadClip with libsoxr = decode + a direct libsoxr call + peak normalisation, bit for bit', {
  skip: skip || (!existsSync(join(REAL, 'labels.csv')) && 'no ../shared/data/animal-sounds beside the repo'),
}, async (t) => {
  if (!soxr.ok) return;
  const rows = readFileSync(join(REAL, 'labels.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const byRate = new Map<number, string>();
  // one clip per source rate (the collection has 8 kHz .. 48 kHz, incl. 11127 and 22000 Hz)
  for (const row of rows.filter((_, i) => i % 5 === 0)) {
    const path = join(REAL, row.slice(0, row.lastIndexOf(',')));
    const a = await decodeAudio(new Uint8Array(readFileSync(path)), path).catch(() => undefined);
    if (a && !byRate.has(a.sampleRate)) byRate.set(a.sampleRate, path);
  }
  const resamplers = new ResamplerCache({ resampler: 'libsoxr' });
  for (const [rate, path] of byRate) {
    const clip = await loadClip({ index: 0, path, label: '' }, { resamplers, minSamples: 0 });
    const a = await decodeAudio(new Uint8Array(readFileSync(path)), path);
    const y: Float32Array = soxr.lib.resample(a.samples, rate, 16000);
    let peak = 0;
    for (const v of y) peak = Math.max(peak, Math.abs(v));
    for (let i = 0; i < y.length; i++) y[i] /= peak;
    assert.equal(maxDiff(clip.samples, y), 0, `${path} at ${rate} Hz`);
  }
  t.diagnostic(`${byRate.size} source rates: ${[...byRate.keys()].sort((a, b) => a - b).join(', ')} Hz`);
});
