import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeAudio } from '../../lib/audio/index.js';

/** SoX-encoded ADPCM and SoX's own decode of it (tools/make_audio_fixtures.sh). */
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url)));

/** SoX's 16-bit decode, averaged over channels like bioprobe's mono. */
function soxMono(name: string): Float32Array {
  const b = fixture(name);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const channels = v.getUint16(22, true);
  const frames = (b.length - 44) / (2 * channels);
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += v.getInt16(44 + 2 * (i * channels + c), true);
    out[i] = s / (32768 * channels);
  }
  return out;
}

for (const codec of ['ima', 'ms'] as const) {
  for (const layout of ['mono', 'stereo'] as const) {
    test(`${codec.toUpperCase()} ADPCM ${layout} decodes sample-exact with SoX`, async () => {
      const a = await decodeAudio(fixture(`${codec}-adpcm-${layout}.wav`), `${codec}.wav`);
      const ref = soxMono(`${codec}-adpcm-${layout}.sox.wav`);
      assert.equal(a.codec, `${codec}-adpcm`);
      assert.equal(a.channels, layout === 'mono' ? 1 : 2);
      // The fact chunk gives the true length (0.25 s at 8 kHz, 0.2 s at 11025 Hz); SoX also emits the last block's padding.
      assert.equal(a.samples.length, layout === 'mono' ? 2000 : 2205, 'length from the fact chunk');
      assert.ok(ref.length >= a.samples.length);
      let d = 0;
      for (let i = 0; i < a.samples.length; i++) d = Math.max(d, Math.abs(a.samples[i] - ref[i]));
      assert.ok(d <= 1e-7, `max difference ${d}`);
    });
  }
}

test('a truncated ADPCM file decodes its whole blocks and flags truncation', async () => {
  const full = fixture('ima-adpcm-mono.wav');
  const a = await decodeAudio(full.subarray(0, full.length - 300), 'cut.wav');
  assert.equal(a.truncated, true);
  const ref = soxMono('ima-adpcm-mono.sox.wav');
  assert.ok(a.samples.length > 0 && a.samples.length < ref.length);
  for (let i = 0; i < a.samples.length; i++) assert.ok(Math.abs(a.samples[i] - ref[i]) <= 1e-7, `sample ${i}`);
});
