/** The `channel` option: one channel (0-based) instead of the channel mean, for every reader. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeAudio, loadClip } from '../../lib/audio/index.js';
import { chunk, fitTone, fmtChunk, sampleBytes, tempDir, wavBytes } from './wavbytes.js';

const tmp = tempDir();
after(() => tmp.cleanup());
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url)));

test('PCM WAV: channel 0, channel 1, mean, and a channel the file lacks', async () => {
  const bytes = wavBytes([
    fmtChunk({ tag: 1, channels: 2, rate: 8000, bits: 16 }),
    chunk('data', sampleBytes([1000, -3000, 2000, 5000], 's16')),
  ]);
  const get = async (channel?: number) =>
    Array.from((await decodeAudio(bytes, 'st.wav', { channel })).samples, (x) => Math.round(x * 32768));
  assert.deepEqual(await get(), [-1000, 3500]);
  assert.deepEqual(await get(0), [1000, 2000]);
  assert.deepEqual(await get(1), [-3000, 5000]);
  await assert.rejects(
    decodeAudio(bytes, 'st.wav', { channel: 2 }),
    (e: any) => e.code === 'channel-out-of-range' && /channel 2 asked, the file has 2 channels/.test(e.oneLine()),
  );
});

test('ADPCM, AIFF and MP3 pick channels too', async () => {
  // SoX's decode of the stereo IMA file, right channel.
  const ref = fixture('ima-adpcm-stereo.sox.wav');
  const v = new DataView(ref.buffer, ref.byteOffset, ref.byteLength);
  const right = await decodeAudio(fixture('ima-adpcm-stereo.wav'), 'ima.wav', { channel: 1 });
  for (let i = 0; i < right.samples.length; i++)
    assert.ok(Math.abs(right.samples[i] - v.getInt16(44 + 4 * i + 2, true) / 32768) <= 1e-7, `sample ${i}`);
  const aiffRight = await decodeAudio(fixture('aiff-16.aiff'), 'a.aiff', { channel: 1 });
  assert.ok(
    Math.abs(fitTone(aiffRight.samples, 22050, 880, 0, aiffRight.samples.length).amplitude - 0.5) < 0.01,
    'right channel of the AIFF is the 880 Hz tone',
  );
  const left = await decodeAudio(fixture('tone-left.mp3'), 'l.mp3', { channel: 0 });
  const silent = await decodeAudio(fixture('tone-left.mp3'), 'l.mp3', { channel: 1 });
  assert.ok(Math.abs(fitTone(left.samples, 22050, 1000, 2000, 9000).amplitude - 0.5) < 0.05);
  assert.ok(fitTone(silent.samples, 22050, 1000, 2000, 9000).amplitude < 0.01);
  await assert.rejects(decodeAudio(fixture('tone.mp3'), 'mono.mp3', { channel: 1 }), (e: any) => e.code === 'channel-out-of-range');
});

test('large-file reads by position honour the channel', async () => {
  const frames = Array.from({ length: 16000 * 2 }, (_, i) => (i % 2 ? 7000 : -2000));
  const p = tmp.write(
    'st.wav',
    wavBytes([fmtChunk({ tag: 1, channels: 2, rate: 16000, bits: 16 }), chunk('data', sampleBytes(frames, 's16'))]),
  );
  const item = { index: 0, path: p, label: '', start: 0.1, end: 0.6 };
  const a = await loadClip(item, { channel: 1, randomAccessBytes: 0, normalize: false });
  const b = await loadClip(item, { channel: 1, normalize: false });
  assert.deepEqual(a.samples, b.samples);
  assert.ok(Math.abs(a.samples[4000] - 7000 / 32768) < 1e-4);
});
