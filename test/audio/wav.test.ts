import { test } from 'node:test';
import assert from 'node:assert/strict';
import wavefilePkg from 'wavefile';
import { decodeAudio, walkWav } from '../../lib/audio/index.js';
import { chunk, fmtChunk, pcm16Wav, sampleBytes, wavBytes } from './wavbytes.js';

const { WaveFile } = wavefilePkg;

function close(actual: Float32Array, expected: number[], tol = 1e-7): void {
  assert.equal(actual.length, expected.length, 'length');
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) <= tol, `sample ${i}: ${actual[i]} vs ${e}`));
}

test('integer PCM 8/16/24/32-bit scale by the container full scale (8-bit is unsigned)', async () => {
  const cases = [
    { bits: 8, kind: 'u8' as const, raw: [128, 255, 0, 192], want: [0, 127 / 128, -1, 0.5] },
    { bits: 16, kind: 's16' as const, raw: [0, 32767, -32768, 16384], want: [0, 32767 / 32768, -1, 0.5] },
    { bits: 24, kind: 's24' as const, raw: [0, 8388607, -8388608, -4194304], want: [0, 8388607 / 8388608, -1, -0.5] },
    { bits: 32, kind: 's32' as const, raw: [0, 2147483647, -2147483648, 1073741824], want: [0, 2147483647 / 2147483648, -1, 0.5] },
  ];
  for (const c of cases) {
    const bytes = wavBytes([fmtChunk({ tag: 1, channels: 1, rate: 8000, bits: c.bits }), chunk('data', sampleBytes(c.raw, c.kind))]);
    const a = await decodeAudio(bytes, `pcm${c.bits}.wav`);
    assert.equal(a.codec, c.bits === 8 ? 'pcm-u8' : `pcm-s${c.bits}`);
    close(a.samples, c.want);
    assert.equal(a.clipped, 2, `${c.bits}-bit: both full-scale samples counted as clipped`);
  }
});

test('float 32/64 decode exactly; NaN/Inf become 0 and are counted, or fail on request', async () => {
  for (const [bits, kind] of [
    [32, 'f32'],
    [64, 'f64'],
  ] as const) {
    const bytes = wavBytes([
      fmtChunk({ tag: 3, channels: 1, rate: 8000, bits }),
      chunk('data', sampleBytes([0.25, -0.5, NaN, Infinity, -Infinity, 0.125], kind)),
    ]);
    const a = await decodeAudio(bytes, 'f.wav');
    assert.equal(a.codec, `float${bits}`);
    close(a.samples, [0.25, -0.5, 0, 0, 0, 0.125]);
    assert.equal(a.nonFinite, 3);
    await assert.rejects(
      decodeAudio(bytes, 'f.wav', { nonFinite: 'error' }),
      (e: any) => e.code === 'non-finite' && /f\.wav/.test(e.oneLine()),
    );
  }
});

test("A-law and mu-law match wavefile's independent G.711 decoder for all 256 codes", async () => {
  const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (const [tag, name] of [
    [6, 'alaw'],
    [7, 'mulaw'],
  ] as const) {
    const bytes = wavBytes([fmtChunk({ tag, channels: 1, rate: 8000, bits: 8 }), chunk('data', codes)]);
    const a = await decodeAudio(bytes, `${name}.wav`);
    assert.equal(a.codec, name);
    const wf = new WaveFile(bytes);
    if (tag === 6) wf.fromALaw();
    else wf.fromMuLaw();
    const ref = Array.from(wf.getSamples(false) as unknown as Float64Array, (s) => s / 32768);
    close(a.samples, ref, 0);
  }
});

test('stereo is mixed to the channel mean; WAVE_FORMAT_EXTENSIBLE resolves its sub-format', async () => {
  const frames = [1000, -1000, 2000, 0, -4000, 4000]; // (L, R) pairs
  for (const extensible of [false, true]) {
    const bytes = wavBytes([
      fmtChunk({ tag: 1, channels: 2, rate: 44100, bits: 16, extensible }),
      chunk('data', sampleBytes(frames, 's16')),
    ]);
    const a = await decodeAudio(bytes, 'st.wav');
    assert.equal(a.channels, 2);
    close(a.samples, [0, 1000 / 32768, 0], 1e-9);
    assert.equal(walkWav(bytes, 'st.wav').format.extensible, extensible);
  }
  const f32 = wavBytes([
    fmtChunk({ tag: 3, channels: 3, rate: 48000, bits: 32, extensible: true }),
    chunk('data', sampleBytes([0.3, 0.6, 0.9], 'f32')),
  ]);
  close((await decodeAudio(f32, 'x.wav')).samples, [0.6], 1e-7);
});

test('misordered and odd chunks: data before fmt, LIST/JUNK, odd chunk with and without its pad byte', async () => {
  const data = chunk('data', sampleBytes([100, 200, 300], 's16'));
  const fmt = fmtChunk({ tag: 1, channels: 1, rate: 16000, bits: 16 });
  const want = [100 / 32768, 200 / 32768, 300 / 32768];
  const variants = {
    dataFirst: [data, fmt],
    listAndJunk: [chunk('LIST', new Uint8Array(10)), fmt, chunk('JUNK', new Uint8Array(7)), data, chunk('LIST', new Uint8Array(4))],
    oddPadded: [fmt, chunk('bext', new Uint8Array(5)), data],
    oddUnpadded: [fmt, chunk('bext', new Uint8Array(5), { pad: false }), data],
  };
  for (const [name, chunks] of Object.entries(variants)) {
    const a = await decodeAudio(wavBytes(chunks), `${name}.wav`);
    close(a.samples, want, 1e-9);
    assert.equal(a.truncated, false, name);
  }
  // An odd-sized data chunk without a pad byte, followed by a LIST chunk (as in the animal-sounds set).
  const odd = wavBytes([
    fmtChunk({ tag: 1, channels: 1, rate: 8000, bits: 8 }),
    chunk('data', Uint8Array.from([128, 255, 0]), { pad: false }),
    chunk('LIST', new Uint8Array(8)),
  ]);
  close((await decodeAudio(odd, 'odd.wav')).samples, [0, 127 / 128, -1]);
});

test('lying sizes: RIFF size ignored, data larger than the file is decoded as far as it goes and flagged', async () => {
  const samples = Array.from({ length: 50 }, (_, i) => i * 100);
  const a = await decodeAudio(
    wavBytes([fmtChunk({ tag: 1, channels: 1, rate: 16000, bits: 16 }), chunk('data', sampleBytes(samples, 's16'), { size: 1_000_000 })], {
      riffSize: 7,
    }),
    'lie.wav',
  );
  assert.equal(a.truncated, true);
  assert.equal(a.samples.length, 50);
  assert.match(a.warnings.join(), /claims 1000000 bytes but the file holds 100/);
  // A half frame at the end of a truncated file is dropped.
  const cut = pcm16Wav(samples).subarray(0, 44 + 99);
  const b = await decodeAudio(cut, 'cut.wav');
  assert.equal(b.samples.length, 49);
  assert.equal(b.truncated, true);
});

test('unfinished recording: data size 0 (or 0xFFFFFFFF) takes the rest of the file, with a warning', async () => {
  for (const size of [0, 0xffffffff]) {
    const bytes = wavBytes([
      fmtChunk({ tag: 1, channels: 1, rate: 16000, bits: 16 }),
      chunk('data', sampleBytes([1, 2, 3, 4], 's16'), { size }),
    ]);
    const a = await decodeAudio(bytes, 'rec.wav');
    assert.equal(a.samples.length, 4);
    assert.match(a.warnings.join(), /took the 8 bytes to the end/);
  }
});

test('RF64 with a ds64 chunk gives the data size', async () => {
  const ds64 = new Uint8Array(28);
  new DataView(ds64.buffer).setUint32(8, 6, true); // data size low = 6 bytes (3 samples)
  const bytes = wavBytes(
    [
      chunk('ds64', ds64),
      fmtChunk({ tag: 1, channels: 1, rate: 16000, bits: 16 }),
      chunk('data', sampleBytes([5, 6, 7, 8], 's16'), { size: 0xffffffff }),
    ],
    { magic: 'RF64', riffSize: 0xffffffff },
  );
  const a = await decodeAudio(bytes, 'big.wav');
  assert.equal(a.samples.length, 3);
});

test('trailing garbage after the last chunk is ignored', async () => {
  const good = pcm16Wav([1, 2, 3]);
  const bytes = new Uint8Array(good.length + 12);
  bytes.set(good);
  bytes.set([0xff, 0x00, 0x13, 0x80, 1, 2, 3, 4, 5, 6, 7, 8], good.length);
  const a = await decodeAudio(bytes, 'tail.wav');
  assert.equal(a.samples.length, 3);
  assert.match(a.warnings.join(), /trailing data/);
});
