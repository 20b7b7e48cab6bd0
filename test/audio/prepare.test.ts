import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkSamples, cutSegment, prepareClip, tile, type DecodedAudio } from '../../lib/audio/index.js';
import { sine } from './wavbytes.js';

function decoded(samples: Float32Array, sampleRate: number): DecodedAudio {
  return { samples, sampleRate, channels: 1, container: 'wav', codec: 'pcm-s16', truncated: false, nonFinite: 0, clipped: 0, warnings: [] };
}
const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

test('segments pick samples as librosa.load(offset, duration): round half to even, count from the duration', () => {
  const a = decoded(ramp(40), 2); // 20 s at 2 Hz: sample i is at i/2 s
  const cut = (start?: number, end?: number) => Array.from(cutSegment(a, { start, end }, 'f.wav').samples);
  assert.deepEqual(cut(1.25, 2.75), [2, 3, 4]); // first round(2.5)=2, count round(3)=3
  assert.deepEqual(cut(1.75, 3.25), [4, 5, 6]); // first round(3.5)=4
  assert.deepEqual(cut(undefined, 1), [0, 1]);
  assert.deepEqual(cut(19), [38, 39]);
  assert.equal(cut().length, 40);
  assert.equal(cutSegment(a, { start: 19, end: 20.04 }, 'f.wav').clamped, false, 'within the file in samples');
  const clamped = cutSegment(a, { start: 19, end: 20.9 }, 'f.wav', 1); // tolerance 1 s; 4 samples asked, 2 exist
  assert.deepEqual([Array.from(clamped.samples), clamped.clamped], [[38, 39], true]);
});

test('prepareClip: resample to 16 kHz, divide by the peak, keep the source description', () => {
  const x = sine(440, 44100, 44100, 0.25);
  const clip = prepareClip(decoded(x, 44100), {}, 'a.wav');
  assert.equal(clip.samples.length, 16000);
  assert.equal(clip.sampleRate, 16000);
  assert.deepEqual([clip.sourceRate, clip.sourceChannels, clip.sourceCodec, clip.durationSeconds], [44100, 1, 'pcm-s16', 1]);
  assert.ok(Math.abs(clip.peak - 0.25) < 1e-3);
  let max = 0;
  for (const s of clip.samples) max = Math.max(max, Math.abs(s));
  assert.equal(max, 1);
  assert.equal(clip.chunks, undefined);
  assert.deepEqual(clip.flags, { silent: false, tiled: false, truncated: false, nonFinite: 0, clipped: 0, segmentClamped: false });
  const raw = prepareClip(decoded(x, 44100), {}, 'a.wav', { normalize: false });
  assert.ok(Math.abs(raw.samples[4000] / clip.samples[4000] - clip.peak) < 1e-6);
});

test('silent clips stay zero (no NaN) and are flagged; short clips are tiled from their start to 5000', () => {
  const silent = prepareClip(decoded(new Float32Array(3000), 8000), {}, 's.wav');
  assert.equal(silent.flags.silent, true);
  assert.equal(silent.samples.length, 6000);
  assert.ok(silent.samples.every((v) => v === 0));
  const short = prepareClip(decoded(sine(300, 16000, 1234, 0.5), 16000), {}, 'short.wav');
  assert.equal(short.flags.tiled, true);
  assert.equal(short.samples.length, 5000);
  for (let i = 0; i < 5000; i++) assert.equal(short.samples[i], short.samples[i % 1234]);
  assert.deepEqual(Array.from(tile(Float32Array.from([1, 2, 3]), 7)), [1, 2, 3, 1, 2, 3, 1]);
  assert.equal(prepareClip(decoded(sine(300, 16000, 1234), 16000), {}, 'x.wav', { minSamples: 0 }).samples.length, 1234);
});

test('long clips get chunks of at most maxChunkSamples: fixed (torch.split) or balanced', () => {
  const x = Float32Array.from({ length: 700_000 }, (_, i) => Math.sin(i / 7));
  const fixed = prepareClip(decoded(x, 16000), {}, 'long.wav', { maxChunkSamples: 300_000 });
  assert.deepEqual(fixed.chunks!.map((c) => c.length), [300_000, 300_000, 100_000]);
  assert.equal(fixed.chunks![1][0], fixed.samples[300_000], 'chunks are views of samples');
  assert.deepEqual(chunkSamples(x, 300_000, 'balanced').map((c) => c.length), [233_334, 233_334, 233_332]);
  assert.equal(prepareClip(decoded(x, 16000), {}, 'long.wav').chunks, undefined, 'default max 2,000,000');
  assert.deepEqual(chunkSamples(x, 700_000, 'fixed').map((c) => c.length), [700_000]);
});
