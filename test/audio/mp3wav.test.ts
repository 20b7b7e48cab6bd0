/**
 * MPEG streams read as librosa.load reads them (soundfile -> libsndfile 1.2.2 -> libmpg123 1.32.3):
 * libsndfile ignores a WAV's `fact` chunk and takes libmpg123's length, an estimate from the first frame
 * when no Xing/Info frame states it (lib/audio/mpegLength.ts, docs/AUDIO.md "MP3 inside WAV").
 * Fixtures: tools/make_mp3wav_fixtures.py (LAME inside libsndfile, wrapped as Windows' ACM writes MP3 in
 * WAV; librosa's decoded samples; 288 KB with real_lengths.json). Asserted: the same length as librosa, samples within 2e-6
 * (measured <= 8.9e-7: two builds of mpg123, float rounding), segments cut where librosa's seek cuts them.
 * Real data (skipped without ../shared/data): the 56 MP3-in-WAV files of animal-sounds against the lengths
 * and sums librosa gave (real_lengths.json; measured: 56/56 lengths equal, sums |x| within 1.1e-7 relative,
 * peaks within 1.1e-6).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudio, loadClip, loadLibsoxr, readAudio } from '../../lib/audio/index.js';
import { libsndfileMpegFrames, mpegFrameHeader } from '../../lib/audio/mpegLength.js';
import { walkWav } from '../../lib/audio/riff.js';

const DIR = new URL('../fixtures/audio/mp3wav/', import.meta.url).pathname;
interface Case {
  file: string;
  rate: number;
  channels: number;
  fact: number | null;
  mpeg_frames: number;
  samples_per_frame: number;
  info_frame: boolean;
  first_frame_bytes: number;
  file_bytes: number;
  estimate: number | null;
  sf_frames: number;
  native: number;
  resampled: number;
  segment: { start: number; end: number; samples: number };
}
const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { files: Record<string, Case> };
const cases = Object.entries(index.files);
const f32 = (p: string) => {
  const b = readFileSync(p);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const maxDiff = (a: Float32Array, b: Float32Array) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const TOL = 2e-6;

test("libsndfile's length: libmpg123's estimate trunc(file bytes / first frame bytes x samples per frame), none with an Info frame", () => {
  for (const [name, c] of cases) {
    const bytes = readFileSync(join(DIR, c.file));
    const start = c.file.endsWith('.wav') ? walkWav(bytes, c.file).dataOffset : 0;
    assert.equal(libsndfileMpegFrames(bytes, start), c.info_frame ? undefined : c.sf_frames, `${name}: sf.info says ${c.sf_frames}`);
    if (!c.info_frame) assert.equal(c.sf_frames, c.estimate, `${name}: the fixture's own estimate`);
  }
  // Frame sizes as libmpg123 computes them: MPEG-1 layer III 128 kbit/s 44.1 kHz: 144000 x 128 / 44100
  // = 417.96 -> 417 bytes, 418 with the padding bit.
  const h = mpegFrameHeader(Uint8Array.from([0xff, 0xfb, 0x90, 0xc4]), 0)!;
  assert.deepEqual([h.bytes, h.samples, h.layer, h.lsf, h.mono], [417, 1152, 3, false, true]);
  const padded = mpegFrameHeader(Uint8Array.from([0xff, 0xfb, 0x92, 0x44]), 0)!;
  assert.deepEqual([padded.bytes, padded.mono], [418, false]);
  // MPEG-2.5 layer III 16 kbit/s: 72000 x 16 / 11025 = 104.49 -> 104 bytes; at 8000 Hz 144; 576 samples.
  const lsf = (b2: number) => {
    const x = mpegFrameHeader(Uint8Array.from([0xff, 0xe3, b2, 0xc4]), 0)!;
    return [x.bytes, x.samples, x.lsf];
  };
  assert.deepEqual(
    [lsf(0x20), lsf(0x28)],
    [
      [104, 576, true],
      [144, 576, true],
    ],
  );
  assert.equal(mpegFrameHeader(Uint8Array.from([0xff, 0xfb, 0x02, 0xc4]), 0), undefined, 'free format: no size from the header');
});

test("MP3 in WAV and bare MP3: librosa's length and samples (fact chunk ignored, estimate shorter or longer than the stream)", async () => {
  for (const [name, c] of cases) {
    const a = await decodeAudio(readFileSync(join(DIR, c.file)), c.file);
    const ref = f32(join(DIR, `${name}.native.f32`));
    assert.equal(
      a.samples.length,
      c.native,
      `${name}: librosa read ${c.native} (sf.info ${c.sf_frames}, stream ${c.mpeg_frames * c.samples_per_frame})`,
    );
    assert.deepEqual([a.sampleRate, a.channels, a.codec], [c.rate, c.channels, 'mp3'], name);
    const d = maxDiff(a.samples, ref);
    assert.ok(d <= TOL, `${name}: max |bioprobe - librosa| ${d}`);
    const cut = c.native < (c.info_frame ? c.fact! : c.mpeg_frames * c.samples_per_frame);
    assert.equal(
      a.warnings.some((w) => w.startsWith(`MPEG stream cut to ${c.native} of its`)),
      cut,
      `${name}: ${a.warnings.join('; ')}`,
    );
  }
});

test("mpegLength: 'stream' keeps every decoded sample, trimmed to a WAV's fact chunk", async () => {
  for (const [name, c] of cases) {
    const a = await decodeAudio(readFileSync(join(DIR, c.file)), c.file, { mpegLength: 'stream' });
    const stream = c.info_frame ? c.fact! : c.mpeg_frames * c.samples_per_frame;
    assert.equal(a.samples.length, c.fact === null ? stream : Math.min(c.fact, stream), name);
    const ref = f32(join(DIR, `${name}.native.f32`));
    const n = Math.min(ref.length, a.samples.length);
    assert.ok(maxDiff(a.samples.subarray(0, n), ref.subarray(0, n)) <= TOL, `${name}: same samples where both have them`);
  }
});

test('format 0x50 (MPEG layer I/II in WAV), which libsndfile does not read: the whole stream, trimmed to the fact chunk', async () => {
  const c = index.files.vbr_mono_11025;
  const bytes = new Uint8Array(readFileSync(join(DIR, c.file)));
  assert.equal(bytes[20] | (bytes[21] << 8), 0x55);
  bytes[20] = 0x50;
  const a = await decodeAudio(bytes, 'tag50.wav');
  assert.equal(a.samples.length, c.fact, "fact chunk, not libsndfile's estimate");
  assert.ok(c.sf_frames < c.fact!);
});

test("segments with many decimals: cut where librosa.load(offset, duration) seeks, read up to libsndfile's length", async () => {
  for (const [name, c] of cases) {
    const { start, end, samples } = c.segment;
    // Past libsndfile's shortened length a segment is cut at it (librosa reads what there is): no tolerance.
    const clip = await loadClip(
      { path: join(DIR, c.file), start, end },
      { targetRate: c.rate, normalize: false, minSamples: 0, segmentTolerance: Infinity },
    );
    const first = Math.trunc(start * c.rate);
    assert.equal(clip.samples.length, samples, name);
    const d = maxDiff(clip.samples, f32(join(DIR, `${name}.native.f32`)).subarray(first, first + samples));
    assert.ok(d <= TOL, `${name}: segment max diff ${d}`);
  }
});

const soxr = loadLibsoxr();
test('whole clips at 16 kHz through libsoxr = librosa.load(sr=16000) within 2e-6', {
  skip: soxr.ok ? false : `libsoxr is not available here (${soxr.reason})`,
}, async () => {
  for (const [name, c] of cases.filter(([n]) => existsSync(join(DIR, `${n}.16k.f32`)))) {
    const clip = await loadClip({ path: join(DIR, c.file) }, { resampler: 'libsoxr', normalize: false, minSamples: 0 });
    const ref = f32(join(DIR, `${name}.16k.f32`));
    assert.equal(clip.samples.length, c.resampled, name);
    const d = maxDiff(clip.samples, ref);
    assert.ok(d <= TOL, `${name}: max diff ${d}`);
  }
});

const REAL = new URL('../../../shared/data/animal-sounds/', import.meta.url).pathname;
test("real MP3-in-WAV recordings (animal-sounds, 56): librosa's lengths, sums and peaks", {
  skip: !existsSync(join(REAL, 'labels.csv')) && 'no ../shared/data/animal-sounds beside the repo',
}, async () => {
  const real = JSON.parse(readFileSync(join(DIR, 'real_lengths.json'), 'utf8')) as {
    files: Record<string, { rate: number; channels: number; native: number; sum_abs: number; max_abs: number }>;
  };
  let cut = 0;
  for (const [rel, r] of Object.entries(real.files)) {
    const a = await readAudio(join(REAL, rel));
    assert.deepEqual([a.codec, a.sampleRate, a.channels, a.samples.length], ['mp3', r.rate, r.channels, r.native], rel);
    let sum = 0,
      peak = 0;
    for (const x of a.samples) {
      sum += Math.abs(x);
      peak = Math.max(peak, Math.abs(x));
    }
    assert.ok(Math.abs(sum - r.sum_abs) <= 1e-6 * r.sum_abs, `${rel}: sum |x| ${sum} vs ${r.sum_abs}`);
    assert.ok(Math.abs(peak - r.max_abs) <= TOL, `${rel}: peak ${peak} vs ${r.max_abs}`);
    if (a.warnings.some((w) => w.startsWith('MPEG stream cut'))) cut++;
  }
  assert.equal(Object.keys(real.files).length, 56);
  assert.ok(cut > 30, `${cut} files cut to libsndfile's estimate`);
});
