import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chunkSamples, cutSegment, prepareClip, segmentRange, tile, type DecodedAudio } from '../../lib/audio/index.js';
import { AudioError } from '../../lib/util/errors.js';
import { sine } from './wavbytes.js';

function decoded(samples: Float32Array, sampleRate: number): DecodedAudio {
  return { samples, sampleRate, channels: 1, container: 'wav', codec: 'pcm-s16', truncated: false, nonFinite: 0, clipped: 0, warnings: [] };
}
const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

test('segments pick samples as librosa.load(offset, duration) does: int() of the products, not round()', () => {
  const a = decoded(ramp(40), 2); // 20 s at 2 Hz: sample i is at i/2 s
  const cut = (start?: number, end?: number) => Array.from(cutSegment(a, { start, end }, 'f.wav').samples);
  assert.deepEqual(cut(1.25, 2.75), [2, 3, 4]); // first int(2.5)=2, count int(3)=3
  assert.deepEqual(cut(1.75, 3.25), [3, 4, 5]); // first int(3.5)=3 (round would give 4)
  assert.deepEqual(cut(1.75, 3.5), [3, 4, 5]); // count int(3.5)=3
  assert.deepEqual(cut(undefined, 1), [0, 1]);
  assert.deepEqual(cut(19), [38, 39]);
  assert.equal(cut().length, 40);
  assert.equal(cutSegment(a, { start: 19, end: 20.04 }, 'f.wav').clamped, false, 'within the file in samples');
  const clamped = cutSegment(a, { start: 19, end: 20.9 }, 'f.wav', 1); // tolerance 1 s; 4 samples asked, 2 exist
  assert.deepEqual([Array.from(clamped.samples), clamped.clamped], [[38, 39], true]);
});

interface LibrosaCase {
  rate: number;
  frames: number;
  start?: number;
  end: number | null;
  first: number | null;
  count: number;
  round_first?: number;
  round_count?: number | null;
}

test('segmentRange takes the frames librosa 0.11 + soundfile take (fixture from tools/make_segment_fixtures.py)', () => {
  // Each case: librosa.load(wav whose sample k holds k, sr=None, offset=start, duration=end - start); first = y[0], count = len(y).
  const ref = JSON.parse(readFileSync('test/fixtures/segments/librosa.json', 'utf8')) as { segments: LibrosaCase[]; whole: LibrosaCase[] };
  let differsFromRound = 0;
  for (const c of ref.segments) {
    const seg = { start: c.start, end: c.end ?? undefined };
    const what = `${c.rate} Hz [${c.start}, ${c.end}]`;
    if (c.count === 0) {
      assert.throws(
        () => segmentRange(c.frames, c.rate, seg, 'f.wav'),
        (e: unknown) => e instanceof AudioError && e.code === 'segment-invalid',
        `${what}: librosa returned no samples`,
      );
      continue;
    }
    const r = segmentRange(c.frames, c.rate, seg, 'f.wav');
    assert.deepEqual([r.first, r.count], [c.first, c.count], what);
    assert.equal(r.clamped, c.end !== null && c.end > c.frames / c.rate, `${what}: clamped only past the file's end`);
    if (c.round_first !== c.first || (c.round_count !== null && c.round_count !== c.count)) differsFromRound++;
  }
  assert.ok(differsFromRound >= 6, `the fixture has cases where numpy round() would pick other frames (${differsFromRound})`);
  // the paper's whole-file items: offset 0, duration = get_duration(path) = frames / rate: one frame short here
  for (const c of ref.whole) {
    const r = segmentRange(c.frames, c.rate, { start: 0, end: c.end ?? undefined }, 'w.wav');
    assert.deepEqual([r.first, r.count], [0, c.count], `${c.rate} Hz, ${c.frames} frames`);
    assert.equal(c.count, c.frames - 1);
  }
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
  assert.deepEqual(
    fixed.chunks!.map((c) => c.length),
    [300_000, 300_000, 100_000],
  );
  assert.equal(fixed.chunks![1][0], fixed.samples[300_000], 'chunks are views of samples');
  assert.deepEqual(
    chunkSamples(x, 300_000, 'balanced').map((c) => c.length),
    [233_334, 233_334, 233_332],
  );
  assert.equal(prepareClip(decoded(x, 16000), {}, 'long.wav').chunks, undefined, 'default max 2,000,000');
  assert.deepEqual(
    chunkSamples(x, 700_000, 'fixed').map((c) => c.length),
    [700_000],
  );
});
