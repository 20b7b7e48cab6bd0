import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeAudio } from '../../lib/audio/index.js';
import { aiffBytes } from './wavbytes.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url)));

test('SoX-written AIFF 16-bit, 8-bit and AIFF-C float decode to the same signal as the WAV', async () => {
  const ref = await decodeAudio(fixture('aiff-16.sox.wav'), 'ref.wav');
  for (const [name, codec, tol] of [
    ['aiff-16.aiff', 'pcm-s16', 0],
    ['aiff-float.aifc', 'float32', 0],
    ['aiff-8.aiff', 'pcm-s8', 1 / 128],
  ] as const) {
    const a = await decodeAudio(fixture(name), name);
    assert.deepEqual(
      [a.container, a.codec, a.channels, a.sampleRate, a.samples.length],
      ['aiff', codec, 2, 22050, ref.samples.length],
      name,
    );
    let d = 0;
    for (let i = 0; i < ref.samples.length; i++) d = Math.max(d, Math.abs(a.samples[i] - ref.samples[i]));
    assert.ok(d <= tol, `${name}: max difference ${d}`);
  }
});

test('AIFF-C sowt (little-endian), odd Mac rate 22254.5454 Hz, lying sizes, unsupported compression', async () => {
  const le = Uint8Array.from([0x00, 0x40, 0x00, 0xc0]); // 16384, -16384 little-endian
  const a = await decodeAudio(aiffBytes({ channels: 1, bits: 16, rate: 22254.545454, data: le, compression: 'sowt' }), 'le.aifc');
  assert.deepEqual(Array.from(a.samples), [0.5, -0.5]);
  assert.equal(a.sampleRate, 22255);
  assert.match(a.warnings.join(), /rounded to 22255 Hz/);
  const lie = await decodeAudio(
    aiffBytes({ channels: 1, bits: 16, rate: 8000, data: Uint8Array.from([0x40, 0, 0x20, 0]), frames: 1000, ssndSize: 99999 }),
    'lie.aiff',
  );
  assert.deepEqual([Array.from(lie.samples), lie.truncated], [[0.5, 0.25], true]);
  await assert.rejects(
    decodeAudio(aiffBytes({ channels: 1, bits: 16, rate: 8000, data: new Uint8Array(8), compression: 'ima4' }), 'x.aifc'),
    (e: any) => e.code === 'unsupported-codec' && /'ima4'/.test(e.message),
  );
  await assert.rejects(
    decodeAudio(aiffBytes({ channels: 1, bits: 16, rate: 0, data: new Uint8Array(8) }), 'r0.aiff'),
    (e: any) => e.code === 'bad-sample-rate',
  );
  await assert.rejects(
    decodeAudio(aiffBytes({ channels: 0, bits: 16, rate: 8000, data: new Uint8Array(8) }), 'c0.aiff'),
    (e: any) => e.code === 'bad-header',
  );
});
