import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeAudio } from '../../lib/audio/index.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url)));

/** Big-endian AIFF/AIFF-C bytes: COMM (+ compression) and SSND, optionally lying about sizes. */
function aiff(o: { channels: number; bits: number; rate: number; data: Uint8Array; frames?: number; compression?: string; ssndSize?: number }): Uint8Array {
  const aifc = o.compression !== undefined;
  const commSize = aifc ? 24 : 18;
  const out = new Uint8Array(12 + 8 + commSize + 16 + o.data.length);
  const v = new DataView(out.buffer);
  const put = (pos: number, s: string) => [...s].forEach((c, i) => (out[pos + i] = c.charCodeAt(0)));
  put(0, 'FORM'); v.setUint32(4, out.length - 8); put(8, aifc ? 'AIFC' : 'AIFF');
  put(12, 'COMM'); v.setUint32(16, commSize);
  const frames = o.frames ?? o.data.length / (o.channels * Math.ceil(o.bits / 8));
  v.setInt16(20, o.channels); v.setUint32(22, frames); v.setInt16(26, o.bits);
  // 80-bit extended rate: exponent and a 64-bit mantissa with the leading 1 at bit 63.
  const e = Math.floor(Math.log2(o.rate));
  v.setUint16(28, 16383 + e);
  const m = o.rate / 2 ** e; // in [1, 2)
  v.setUint32(30, Math.floor(m * 2 ** 31));
  v.setUint32(34, Math.floor((m * 2 ** 31 - Math.floor(m * 2 ** 31)) * 2 ** 32));
  if (aifc) { put(38, o.compression!); v.setUint16(42, 0); }
  const s = 20 + commSize;
  put(s, 'SSND'); v.setUint32(s + 4, o.ssndSize ?? o.data.length + 8);
  out.set(o.data, s + 16);
  return out;
}

test('SoX-written AIFF 16-bit, 8-bit and AIFF-C float decode to the same signal as the WAV', async () => {
  const ref = await decodeAudio(fixture('aiff-16.sox.wav'), 'ref.wav');
  for (const [name, codec, tol] of [['aiff-16.aiff', 'pcm-s16', 0], ['aiff-float.aifc', 'float32', 0], ['aiff-8.aiff', 'pcm-s8', 1 / 128]] as const) {
    const a = await decodeAudio(fixture(name), name);
    assert.deepEqual([a.container, a.codec, a.channels, a.sampleRate, a.samples.length], ['aiff', codec, 2, 22050, ref.samples.length], name);
    let d = 0;
    for (let i = 0; i < ref.samples.length; i++) d = Math.max(d, Math.abs(a.samples[i] - ref.samples[i]));
    assert.ok(d <= tol, `${name}: max difference ${d}`);
  }
});

test('AIFF-C sowt (little-endian), odd Mac rate 22254.5454 Hz, lying sizes, unsupported compression', async () => {
  const le = Uint8Array.from([0x00, 0x40, 0x00, 0xc0]); // 16384, -16384 little-endian
  const a = await decodeAudio(aiff({ channels: 1, bits: 16, rate: 22254.545454, data: le, compression: 'sowt' }), 'le.aifc');
  assert.deepEqual(Array.from(a.samples), [0.5, -0.5]);
  assert.equal(a.sampleRate, 22255);
  assert.match(a.warnings.join(), /rounded to 22255 Hz/);
  const lie = await decodeAudio(aiff({ channels: 1, bits: 16, rate: 8000, data: Uint8Array.from([0x40, 0, 0x20, 0]), frames: 1000, ssndSize: 99999 }), 'lie.aiff');
  assert.deepEqual([Array.from(lie.samples), lie.truncated], [[0.5, 0.25], true]);
  await assert.rejects(decodeAudio(aiff({ channels: 1, bits: 16, rate: 8000, data: new Uint8Array(8), compression: 'ima4' }), 'x.aifc'), (e: any) => e.code === 'unsupported-codec' && /'ima4'/.test(e.message));
  await assert.rejects(decodeAudio(aiff({ channels: 1, bits: 16, rate: 0, data: new Uint8Array(8) }), 'r0.aiff'), (e: any) => e.code === 'bad-sample-rate');
  await assert.rejects(decodeAudio(aiff({ channels: 0, bits: 16, rate: 8000, data: new Uint8Array(8) }), 'c0.aiff'), (e: any) => e.code === 'bad-header');
});
