/**
 * Every kind of bad input the issue lists, written to a temp dir at test time: each gives a typed
 * AudioError with a stable code and a one-line reason naming the file, or a documented NaN-free
 * treatment (silent, non-finite, tiny clips). Nothing may throw anything else or crash.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AudioError } from '../../lib/util/errors.js';
import { AUDIO_ERROR_CODES, loadClip, readAudio } from '../../lib/audio/index.js';
import { chunk, fmtChunk, pcm16Wav, sampleBytes, tempDir, wavBytes } from './wavbytes.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const item = (path: string, start?: number, end?: number) => ({ index: 0, path, label: 'x', start, end });

async function expectCode(path: string, code: string, reason: RegExp): Promise<void> {
  await assert.rejects(loadClip(item(path)), (err: unknown) => {
    assert.ok(err instanceof AudioError, `expected AudioError, got ${String(err)}`);
    assert.equal(err.code, code, err.oneLine());
    assert.ok((AUDIO_ERROR_CODES as readonly string[]).includes(err.code));
    const line = err.oneLine();
    assert.ok(line.startsWith(path + ': '), `names the file: ${line}`);
    assert.doesNotMatch(line, /\n/);
    assert.match(line, reason);
    return true;
  });
}

const fmt16 = fmtChunk({ tag: 1, channels: 1, rate: 16000, bits: 16 });

test('missing file, folder, empty file', async () => {
  await expectCode(join(tmp.dir, 'nope.wav'), 'file-missing', /no such file/);
  await expectCode(tmp.dir, 'file-unreadable', /is a folder/);
  await expectCode(tmp.write('empty.wav', new Uint8Array(0)), 'file-empty', /empty \(0 bytes\)/);
});

test('not audio: text, random bytes, other containers, other Ogg codecs', async () => {
  await expectCode(tmp.write('labels.wav', 'path,label\na.wav,dog\n'), 'not-audio', /text, not audio \(starts "path,label"\)/);
  await expectCode(tmp.write('noise.wav', Uint8Array.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0x00])), 'not-audio', /first bytes 00 01 02 03/);
  await expectCode(
    tmp.write('x.m4a', Uint8Array.from([0, 0, 0, 32, ...Buffer.from('ftypM4A '), 0, 0, 0, 0])),
    'unsupported-format',
    /MP4\/M4A/,
  );
  await expectCode(
    tmp.write('x.rifx', Uint8Array.from([...Buffer.from('RIFX'), 0, 0, 0, 4, ...Buffer.from('WAVE')])),
    'unsupported-format',
    /big-endian WAV/,
  );
  await expectCode(
    tmp.write('x.avi', Uint8Array.from([...Buffer.from('RIFF'), 4, 0, 0, 0, ...Buffer.from('AVI ')])),
    'unsupported-format',
    /'AVI '/,
  );
  const opus = new Uint8Array(64);
  opus.set(Buffer.from('OggS'), 0);
  opus.set(Buffer.from('OpusHead'), 28);
  await expectCode(tmp.write('x.opus', opus), 'unsupported-codec', /Opus/);
});

test('truncated: inside the RIFF header, inside fmt, before one whole frame', async () => {
  const full = pcm16Wav([1, 2, 3, 4]);
  await expectCode(tmp.write('t1.wav', full.subarray(0, 10)), 'truncated', /ends inside the RIFF header/);
  await expectCode(tmp.write('t2.wav', full.subarray(0, 30)), 'truncated', /fmt chunk is cut off/);
  await expectCode(tmp.write('t3.wav', full.subarray(0, 45)), 'truncated', /less than one 2-byte frame/);
  await expectCode(tmp.write('t4.wav', full.subarray(0, 16)), 'truncated', /no fmt chunk/);
  await expectCode(
    tmp.write('t5.aiff', Uint8Array.from([...Buffer.from('FORM'), 0, 0, 0, 4, ...Buffer.from('AIFF')])),
    'truncated',
    /AIFF file has no COMM chunk/,
  );
});

test('bad headers: 0 channels, sample rate 0, absurd rate, 0 bits, no data chunk, empty data', async () => {
  const data = chunk('data', sampleBytes([1, 2], 's16'));
  await expectCode(
    tmp.write('c0.wav', wavBytes([fmtChunk({ tag: 1, channels: 0, rate: 16000, bits: 16, blockAlign: 2 }), data])),
    'bad-header',
    /0 channels/,
  );
  await expectCode(
    tmp.write('r0.wav', wavBytes([fmtChunk({ tag: 1, channels: 1, rate: 0, bits: 16 }), data])),
    'bad-sample-rate',
    /sample rate 0 Hz/,
  );
  await expectCode(
    tmp.write('rbig.wav', wavBytes([fmtChunk({ tag: 1, channels: 1, rate: 4e9, bits: 16 }), data])),
    'bad-sample-rate',
    /sample rate 4000000000 Hz/,
  );
  await expectCode(
    tmp.write('b0.wav', wavBytes([fmtChunk({ tag: 1, channels: 1, rate: 8000, bits: 0, blockAlign: 2 }), data])),
    'bad-header',
    /0 bits/,
  );
  await expectCode(tmp.write('nodata.wav', wavBytes([fmt16, chunk('LIST', new Uint8Array(4))])), 'no-audio-data', /no data chunk/);
  await expectCode(tmp.write('nofmt.wav', wavBytes([data])), 'bad-header', /no fmt chunk/);
  await expectCode(
    tmp.write('zero.wav', wavBytes([fmt16, chunk('data', new Uint8Array(0)), chunk('LIST', new Uint8Array(4))])),
    'no-audio-data',
    /empty \(0 samples\)/,
  );
});

test('unsupported WAV codecs name the codec and say how to convert', async () => {
  for (const [tag, name] of [
    [0x31, 'GSM 6.10'],
    [0x160, 'Windows Media Audio'],
    [0x1234, 'unknown codec'],
  ] as const) {
    const p = tmp.write(
      `codec${tag}.wav`,
      wavBytes([fmtChunk({ tag, channels: 1, rate: 8000, bits: 4, blockAlign: 256 }), chunk('data', new Uint8Array(512))]),
    );
    await expectCode(
      p,
      'unsupported-codec',
      new RegExp(`format 0x${tag.toString(16).padStart(4, '0')} \\(${name.replace('/', '\\/')}\\).*sox`),
    );
  }
});

test('ADPCM with an impossible block size is a bad header (IMA and MS ADPCM themselves decode: adpcm.test.ts)', async () => {
  const p = tmp.write(
    'adpcm.wav',
    wavBytes([fmtChunk({ tag: 0x11, channels: 2, rate: 8000, bits: 4, blockAlign: 6 }), chunk('data', new Uint8Array(60))]),
  );
  await expectCode(p, 'bad-header', /IMA ADPCM block align 6 does not fit 2 channel/);
});

test("broken compressed streams: the wasm decoders' failures become decode-failed, the process lives", async () => {
  const cutMp3 = new Uint8Array(24).fill(0x55);
  cutMp3.set([0xff, 0xfb, 0x90, 0x64]); // one frame header, then the file ends
  await expectCode(tmp.write('cut.mp3', cutMp3), 'decode-failed', /MPEG decoder produced no samples/);
  const id3Only = new Uint8Array(40);
  id3Only.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 10]); // an ID3 tag and nothing after it
  await expectCode(tmp.write('tag-only.mp3', id3Only), 'decode-failed', /MPEG decoder produced no samples/);
  // MP3 frames carry no checksum: junk after a valid header decodes to noise, reported as a warning.
  const junkMp3 = new Uint8Array(2000).fill(0x55);
  junkMp3.set([0xff, 0xfb, 0x90, 0x64]);
  const junk = await readAudio(tmp.write('junk.mp3', junkMp3));
  assert.match(junk.warnings.join(), /MPEG decoder skipped 1 damaged frame/);
  const flac = new Uint8Array(300).fill(7);
  flac.set(Buffer.from('fLaC'));
  await expectCode(tmp.write('junk.flac', flac), 'decode-failed', /FLAC decoder/);
  const ogg = new Uint8Array(300).fill(1);
  ogg.set(Buffer.from('OggS'));
  ogg.set(Buffer.from('\x01vorbis'), 28);
  await expectCode(tmp.write('junk.ogg', ogg), 'decode-failed', /Ogg Vorbis decoder/);
  const mp3InWav = wavBytes([
    fmtChunk({ tag: 0x55, channels: 1, rate: 11025, bits: 0, blockAlign: 1 }),
    chunk('data', new Uint8Array(500).fill(3)),
  ]);
  await expectCode(tmp.write('mp3in.wav', mp3InWav), 'decode-failed', /MPEG decoder produced no samples/);
});

test('segments: inverted, out of range, not numbers', async () => {
  const p = tmp.write('one-second.wav', pcm16Wav(Array.from({ length: 16000 }, (_, i) => (i % 100) * 10)));
  const seg = (s: number, e: number) => loadClip(item(p, s, e));
  await assert.rejects(
    seg(0.5, 0.2),
    (e: any) => e.code === 'segment-inverted' && /segment \[0.5, 0.2\] s ends before it starts/.test(e.oneLine()),
  );
  await assert.rejects(seg(0.5, 0.5), (e: any) => e.code === 'segment-inverted');
  await assert.rejects(seg(-0.1, 0.5), (e: any) => e.code === 'segment-out-of-range');
  await assert.rejects(
    seg(1.2, 1.5),
    (e: any) => e.code === 'segment-out-of-range' && /outside the recording \(0 to 1.000 s\)/.test(e.oneLine()),
  );
  await assert.rejects(seg(0.5, 1.2), (e: any) => e.code === 'segment-out-of-range');
  await assert.rejects(seg(NaN, 0.5), (e: any) => e.code === 'segment-invalid');
  const clamped = await seg(0.5, 1.01); // within the 0.05 s tolerance
  assert.equal(clamped.flags.segmentClamped, true);
  assert.equal(clamped.durationSeconds, 0.5);
});

test('NaN-free treatments: all-zero clip stays zero and is flagged silent; NaN/Inf become 0; a 10-sample clip is tiled', async () => {
  const silent = await loadClip(item(tmp.write('silent.wav', pcm16Wav(new Array(8000).fill(0)))));
  assert.equal(silent.flags.silent, true);
  assert.equal(silent.peak, 0);
  assert.ok(silent.samples.every((x) => x === 0));

  const nan = wavBytes([
    fmtChunk({ tag: 3, channels: 1, rate: 16000, bits: 32 }),
    chunk('data', sampleBytes([...new Array(100).fill(0.1), NaN, Infinity, ...new Array(100).fill(-0.2)], 'f32')),
  ]);
  const c = await loadClip(item(tmp.write('nan.wav', nan)));
  assert.equal(c.flags.nonFinite, 2);
  assert.ok(c.samples.every(Number.isFinite));
  await assert.rejects(loadClip(item(join(tmp.dir, 'nan.wav')), { nonFinite: 'error' }), (e: any) => e.code === 'non-finite');

  const tiny = await loadClip(item(tmp.write('tiny.wav', pcm16Wav([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]))));
  assert.equal(tiny.flags.tiled, true);
  assert.equal(tiny.samples.length, 5000);
  assert.equal(tiny.samples[0], tiny.samples[10]);
  assert.equal(tiny.samples[9], 1);
  assert.equal(tiny.durationSeconds, 10 / 16000);
});
