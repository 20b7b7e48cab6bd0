import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeAudio, sniffAudio } from '../../lib/audio/index.js';
import { chunk, fitTone, fmtChunk, wavBytes } from './wavbytes.js';

/** Fixtures from tools/make_audio_fixtures.sh: 0.5 s of 1 kHz at amplitude 0.5, 22050 Hz. */
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url)));

function tone(samples: Float32Array, rate: number) {
  return fitTone(samples, rate, 1000, 2000, samples.length - 2000);
}

test('FLAC decodes losslessly (16-bit sine, amplitude 0.5)', async () => {
  const a = await decodeAudio(fixture('tone.flac'), 'tone.flac');
  assert.deepEqual([a.container, a.codec, a.channels, a.sampleRate, a.samples.length], ['flac', 'flac', 1, 22050, 11025]);
  const fit = tone(a.samples, 22050);
  assert.ok(Math.abs(fit.amplitude - 0.5) < 1e-3, `amplitude ${fit.amplitude}`);
  assert.ok(fit.residualRms < 1e-3, `residual ${fit.residualRms}`);
});

test('MP3 and Ogg Vorbis decode to the same tone (lossy: amplitude within 10%, gapless length for MP3)', async () => {
  for (const [name, codec, container] of [
    ['tone.mp3', 'mp3', 'mp3'],
    ['tone.ogg', 'vorbis', 'ogg'],
  ] as const) {
    const a = await decodeAudio(fixture(name), name);
    assert.deepEqual([a.container, a.codec, a.channels, a.sampleRate], [container, codec, 1, 22050]);
    assert.ok(Math.abs(a.samples.length - 11025) <= (codec === 'mp3' ? 0 : 64), `${name}: ${a.samples.length} samples`);
    const fit = tone(a.samples, 22050);
    assert.ok(Math.abs(fit.amplitude - 0.5) < 0.05, `${name}: amplitude ${fit.amplitude}`);
    assert.ok(fit.residualRms < 0.05, `${name}: residual ${fit.residualRms}`);
  }
});

test('stereo MP3 (tone left, silence right) is mixed to the mean: amplitude 0.25, 2 channels reported', async () => {
  const a = await decodeAudio(fixture('tone-left.mp3'), 'tone-left.mp3');
  assert.equal(a.channels, 2);
  const fit = tone(a.samples, 22050);
  assert.ok(Math.abs(fit.amplitude - 0.25) < 0.025, `amplitude ${fit.amplitude}`);
});

test('MP3 inside a WAV container (format 0x55, fact chunk) decodes through mpg123', async () => {
  const mp3 = fixture('tone.mp3');
  const fact = new Uint8Array(4);
  new DataView(fact.buffer).setUint32(0, 11025, true);
  const bytes = wavBytes([
    fmtChunk({ tag: 0x55, channels: 1, rate: 22050, bits: 0, blockAlign: 1 }),
    chunk('fact', fact),
    chunk('data', mp3),
  ]);
  const a = await decodeAudio(bytes, 'mp3-in.wav');
  assert.deepEqual([a.container, a.codec, a.channels, a.sampleRate, a.samples.length], ['wav', 'mp3', 1, 22050, 11025]);
  assert.ok(Math.abs(tone(a.samples, 22050).amplitude - 0.5) < 0.05);
});

test('formats are sniffed from content, not the extension', async () => {
  assert.equal(sniffAudio(fixture('tone.flac'), 'x.wav'), 'flac');
  assert.equal(sniffAudio(fixture('tone.ogg'), 'x.mp3'), 'ogg-vorbis');
  assert.equal(sniffAudio(fixture('tone.mp3'), 'x.flac'), 'mp3');
  assert.equal(sniffAudio(fixture('sweep-44100.wav'), 'x.ogg'), 'wav');
  const a = await decodeAudio(fixture('tone.flac'), 'actually-flac.WAV');
  assert.equal(a.codec, 'flac');
});
