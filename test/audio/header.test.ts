/**
 * readAudioHeader: rate, channels and length from the header alone, on the decoder's own parsers.
 * The rule tested here: the header and `readAudio` agree on every file (rate, channels, frames where
 * the header can know them, codec, truncation, and the error code of a file the decoder refuses at
 * its header), on the committed fixtures, on generated odd files, and on every real file in
 * ../shared/data (skipped, saying why, without it).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AudioError } from '../../lib/util/errors.js';
import { readAudio, readAudioHeader, type AudioHeader, type DecodedAudio } from '../../lib/audio/index.js';
import { aiffBytes, chunk, fmtChunk, pcm16Wav, sampleBytes, tempDir, wavBytes, type Chunk } from './wavbytes.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const FIXTURES = new URL('../fixtures/audio/', import.meta.url).pathname;
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const u32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
};

/** What the decoder says (or its error code). */
async function decoded(path: string): Promise<DecodedAudio | string> {
  try {
    return await readAudio(path);
  } catch (err) {
    assert.ok(err instanceof AudioError, `${path}: decoder threw ${String(err)}`);
    return err.code;
  }
}

function header(path: string): AudioHeader | string {
  try {
    return readAudioHeader(path);
  } catch (err) {
    assert.ok(err instanceof AudioError, `${path}: header threw ${String(err)}`);
    assert.ok(err.oneLine().startsWith(path + ': '), `names the file: ${err.oneLine()}`);
    return err.code;
  }
}

/**
 * The agreement rule for one file. Frames may be undefined only for MPEG audio (a bare MP3 or MP3 in
 * WAV: its length needs mpg123), and then `note` says why. A decoder error the header cannot see
 * (a broken compressed stream) is allowed; any error the header reports, the decoder reports too.
 */
async function agree(path: string, expectError?: string): Promise<AudioHeader | undefined> {
  const h = header(path);
  const a = await decoded(path);
  const name = path.split('/').pop();
  if (typeof h === 'string') {
    assert.equal(h, a, `${name}: header error ${h}, decoder ${typeof a === 'string' ? a : 'decoded'}`);
    if (expectError) assert.equal(h, expectError, name);
    return undefined;
  }
  assert.equal(expectError, undefined, `${name}: header read, ${expectError} expected`);
  if (typeof a === 'string') {
    assert.equal(a, 'decode-failed', `${name}: the decoder refused (${a}) what the header read`);
    assert.notEqual(h.container, 'wav', `${name}: only compressed streams fail past their header`);
    return h;
  }
  assert.deepEqual(
    [h.container, h.codec, h.sampleRate, h.channels, h.truncated],
    [a.container, a.codec, a.sampleRate, a.channels, a.truncated],
    name,
  );
  if (h.frames === undefined) {
    assert.equal(h.codec, 'mp3', `${name}: only MPEG lengths are unknown`);
    assert.match(h.note ?? '', /needs decoding/, name);
  } else {
    assert.equal(h.frames, a.samples.length, `${name}: frames`);
    assert.equal(h.note, undefined, name);
  }
  return h;
}

test('WAV: chunks in any order, odd sizes with or without the pad byte, PCM length from the data size', async () => {
  const d16 = chunk(
    'data',
    sampleBytes(
      Array.from({ length: 2000 }, (_, i) => i),
      's16',
    ),
  );
  const f = tmp.write(
    'a.wav',
    wavBytes([
      chunk('LIST', Buffer.from('odd')),
      fmtChunk({ tag: 1, channels: 2, rate: 22050, bits: 16 }),
      d16,
      chunk('fact', u32(999999)),
    ]),
  );
  assert.deepEqual(readAudioHeader(f), {
    container: 'wav',
    codec: 'pcm-s16',
    sampleRate: 22050,
    channels: 2,
    frames: 1000,
    truncated: false,
    warnings: [],
  });
  await agree(f);
  const g = tmp.write(
    'b.wav',
    wavBytes([
      fmtChunk({ tag: 1, channels: 1, rate: 11025, bits: 8 }),
      chunk('data', new Uint8Array(301).fill(128), { pad: false }),
      chunk('DISP', new Uint8Array(5)),
    ]),
  );
  assert.deepEqual([readAudioHeader(g).frames, readAudioHeader(g).codec], [301, 'pcm-u8']);
  await agree(g);
});

test("WAV: MPEG payloads take the stream's rate and channels; their length needs decoding, said with the fact chunk's count", async () => {
  const mp3 = fixture('tone.mp3'); // 22050 Hz mono
  const fmt = (rate: number, channels: number) => fmtChunk({ tag: 0x55, channels, rate, bits: 0, blockAlign: 1 });
  const f = tmp.write('mp3.wav', wavBytes([fmt(22050, 1), chunk('fact', u32(11025)), chunk('data', mp3)]));
  const h = (await agree(f))!;
  assert.deepEqual([h.codec, h.sampleRate, h.channels, h.frames], ['mp3', 22050, 1, undefined]);
  assert.match(h.note!, /MP3 in WAV: the length needs decoding \(its fact chunk says 11025 frames\)/);
  // A fmt chunk that lies about rate and channels: both follow the stream, as the decoder's do.
  const lie = (await agree(tmp.write('mp3-lie.wav', wavBytes([fmt(8000, 2), chunk('data', mp3)]))))!;
  assert.deepEqual([lie.sampleRate, lie.channels], [22050, 1]);
  assert.match(lie.warnings.join(), /header says 8000 Hz, MPEG stream is 22050 Hz/);
});

test('WAV: extensible, float, G.711, 24-bit, ADPCM with and without fact, a data chunk longer than the file (flagged)', async () => {
  const files: Record<string, Chunk[]> = {
    extFloat: [
      fmtChunk({ tag: 3, channels: 1, rate: 48000, bits: 32, extensible: true }),
      chunk('data', sampleBytes(new Array(480).fill(0.25), 'f32')),
    ],
    extStereo: [
      fmtChunk({ tag: 1, channels: 2, rate: 44100, bits: 16, extensible: true }),
      chunk('data', sampleBytes(new Array(200).fill(7), 's16')),
    ],
    float64: [fmtChunk({ tag: 3, channels: 2, rate: 8000, bits: 64 }), chunk('data', sampleBytes(new Array(60).fill(0.5), 'f64'))],
    alaw: [fmtChunk({ tag: 6, channels: 2, rate: 48000, bits: 8 }), chunk('data', new Uint8Array(200).fill(0xd5))],
    mulaw: [fmtChunk({ tag: 7, channels: 1, rate: 8000, bits: 8 }), chunk('data', new Uint8Array(99).fill(0xff))],
    s24: [fmtChunk({ tag: 1, channels: 1, rate: 96000, bits: 24 }), chunk('data', sampleBytes([1, 2, 3, 4, 5], 's24'))],
    pcm12: [fmtChunk({ tag: 1, channels: 1, rate: 16000, bits: 12 }), chunk('data', sampleBytes([16, 32, 48], 's16'))],
    smallAlign: [
      fmtChunk({ tag: 1, channels: 2, rate: 16000, bits: 16, blockAlign: 2 }),
      chunk('data', sampleBytes([1, 2, 3, 4, 5, 6], 's16')),
    ],
    partialFrame: [fmtChunk({ tag: 1, channels: 2, rate: 16000, bits: 16 }), chunk('data', new Uint8Array(4 * 10 + 3))],
    lying: [fmtChunk({ tag: 1, channels: 1, rate: 16000, bits: 16 }), chunk('data', new Uint8Array(600), { size: 1000 })],
    // MS ADPCM whose block nibbles do not split evenly over 3 channels (found by fuzzing): whole frames only.
    msOdd: [fmtChunk({ tag: 2, channels: 3, rate: 8000, bits: 4, blockAlign: 26 }), chunk('data', new Uint8Array(52))],
  };
  for (const [name, chunks] of Object.entries(files)) await agree(tmp.write(`${name}.wav`, wavBytes(chunks)));
  const lying = readAudioHeader(join(tmp.dir, 'lying.wav'));
  assert.deepEqual([lying.frames, lying.truncated], [300, true]);
  assert.match(lying.warnings.join(), /data chunk claims 1000 bytes but the file holds 600/);
  assert.match(readAudioHeader(join(tmp.dir, 'partialFrame.wav')).warnings.join(), /3 bytes of a partial last frame were ignored/);
  assert.equal(readAudioHeader(join(tmp.dir, 'extFloat.wav')).codec, 'float32');
  // ADPCM: the length follows from the block layout, trimmed by a fact chunk; without one the block padding counts.
  for (const f of ['ima-adpcm-mono.wav', 'ima-adpcm-stereo.wav', 'ms-adpcm-mono.wav', 'ms-adpcm-stereo.wav'])
    await agree(join(FIXTURES, f));
  const ima = fixture('ima-adpcm-mono.wav');
  await agree(tmp.write('ima-cut.wav', ima.subarray(0, ima.length - 300)));
  const noFact = readAudioHeader(tmp.write('ima-nofact.wav', withoutChunk(ima, 'fact')));
  assert.ok(noFact.frames! > readAudioHeader(join(FIXTURES, 'ima-adpcm-mono.wav')).frames!);
  await agree(join(tmp.dir, 'ima-nofact.wav'));
});

/** The same RIFF file without its chunk `id` (sizes rewritten). */
function withoutChunk(b: Uint8Array, id: string): Uint8Array {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: Chunk[] = [];
  for (let pos = 12; pos + 8 <= b.length; ) {
    const cid = String.fromCharCode(...b.subarray(pos, pos + 4));
    const size = v.getUint32(pos + 4, true);
    if (cid !== id) parts.push(chunk(cid, b.subarray(pos + 8, pos + 8 + size)));
    pos += 8 + size + (size % 2);
  }
  return wavBytes(parts);
}

test('WAV: RF64/BW64 with ds64, 0 and 0xFFFFFFFF sizes, trailing garbage, and headers beyond the first 64 KiB', async () => {
  const fmt16 = fmtChunk({ tag: 1, channels: 1, rate: 16000, bits: 16 });
  const ds64 = new Uint8Array(28);
  new DataView(ds64.buffer).setUint32(8, 6, true); // data size: 6 bytes = 3 frames
  const samples = chunk('data', sampleBytes([5, 6, 7, 8], 's16'), { size: 0xffffffff });
  const rf64 = (await agree(
    tmp.write('rf64.wav', wavBytes([chunk('ds64', ds64), fmt16, samples], { magic: 'RF64', riffSize: 0xffffffff })),
  ))!;
  assert.equal(rf64.frames, 3);
  await agree(tmp.write('bw64.wav', wavBytes([chunk('ds64', ds64), fmt16, samples], { magic: 'BW64', riffSize: 0xffffffff })));
  assert.equal((await agree(tmp.write('rf64-nods64.wav', wavBytes([fmt16, samples], { magic: 'RF64' }))))!.frames, 4);
  for (const size of [0, 0xffffffff]) {
    const h = (await agree(
      tmp.write(`unfinished-${size}.wav`, wavBytes([fmt16, chunk('data', sampleBytes([1, 2, 3, 4], 's16'), { size })])),
    ))!;
    assert.equal(h.frames, 4);
    assert.match(h.warnings.join(), /took the 8 bytes to the end/);
  }
  const good = pcm16Wav([1, 2, 3]);
  const tail = new Uint8Array(good.length + 12);
  tail.set(good);
  tail.set([0xff, 0x00, 0x13, 0x80, 1, 2, 3, 4, 5, 6, 7, 8], good.length);
  assert.match((await agree(tmp.write('tail.wav', tail)))!.warnings.join(), /trailing data/);
  await agree(tmp.write('dataFirst.wav', wavBytes([chunk('data', sampleBytes([1, 2, 3], 's16')), fmt16])));
  // fmt after 300 KB of LIST, data after it: the reader reads on until it has them.
  const far = (await agree(
    tmp.write(
      'far.wav',
      wavBytes([chunk('LIST', new Uint8Array(300_001), { pad: false }), fmt16, chunk('data', sampleBytes([9, 9, 9, 9, 9], 's16'))]),
    ),
  ))!;
  assert.equal(far.frames, 5);
  // IMA ADPCM with 200 KB of data and its fact chunk after it: the fact chunk still trims the length.
  const big = wavBytes([
    fmtChunk({ tag: 0x11, channels: 1, rate: 8000, bits: 4, blockAlign: 256 }),
    chunk('data', new Uint8Array(256 * 800)),
    chunk('fact', u32(400_000)),
  ]);
  assert.equal((await agree(tmp.write('ima-big.wav', big)))!.frames, 400_000);
});

test("AIFF / AIFF-C: COMM's 80-bit rate rounded as the decoder rounds it, lying sizes, SSND first, COMM beyond 64 KiB", async () => {
  for (const f of ['aiff-16.aiff', 'aiff-8.aiff', 'aiff-float.aifc']) {
    const h = (await agree(join(FIXTURES, f)))!;
    assert.deepEqual([h.container, h.sampleRate, h.channels], ['aiff', 22050, 2]);
  }
  const le = Uint8Array.from([0x00, 0x40, 0x00, 0xc0]);
  const odd = (await agree(tmp.write('le.aifc', aiffBytes({ channels: 1, bits: 16, rate: 22254.545454, data: le, compression: 'sowt' }))))!;
  assert.deepEqual([odd.sampleRate, odd.codec, odd.frames], [22255, 'pcm-s16', 2]);
  assert.match(odd.warnings.join(), /rounded to 22255 Hz/);
  const lie = (await agree(
    tmp.write(
      'lie.aiff',
      aiffBytes({ channels: 1, bits: 16, rate: 8000, data: Uint8Array.from([0x40, 0, 0x20, 0]), frames: 1000, ssndSize: 99999 }),
    ),
  ))!;
  assert.deepEqual([lie.frames, lie.truncated], [2, true]);
  await agree(tmp.write('zero-frames.aiff', aiffBytes({ channels: 2, bits: 8, rate: 11025, data: new Uint8Array(10), frames: 0 })));
  await agree(
    tmp.write('alaw.aifc', aiffBytes({ channels: 1, bits: 8, rate: 8000, data: new Uint8Array(9).fill(0xd5), compression: 'alaw' })),
  );
  const first = (await agree(
    tmp.write('ssnd-first.aiff', aiffBytes({ channels: 1, bits: 16, rate: 16000, data: new Uint8Array(200_000), ssndFirst: true })),
  ))!;
  assert.equal(first.frames, 100_000);
  await agree(tmp.write('far.aiff', aiffBytes({ channels: 2, bits: 24, rate: 48000, data: new Uint8Array(60), filler: 100_001 })));
  await agree(
    tmp.write('ima4.aifc', aiffBytes({ channels: 1, bits: 16, rate: 8000, data: new Uint8Array(8), compression: 'ima4' })),
    'unsupported-codec',
  );
  await agree(tmp.write('r0.aiff', aiffBytes({ channels: 1, bits: 16, rate: 0, data: new Uint8Array(8) })), 'bad-sample-rate');
  await agree(tmp.write('c0.aiff', aiffBytes({ channels: 0, bits: 16, rate: 8000, data: new Uint8Array(8) })), 'bad-header');
});

test('FLAC STREAMINFO and Ogg Vorbis (identification header + last granule) give rate, channels and length', async () => {
  const si = new Uint8Array(34);
  // 44100 Hz (20 bits), 2 channels (3 bits: 1), 16 bits (5 bits: 15), total 123456 (36 bits)
  const rate = 44100,
    ch = 2,
    bps = 16,
    total = 123456;
  si[10] = rate >> 12;
  si[11] = (rate >> 4) & 0xff;
  si[12] = ((rate & 0xf) << 4) | ((ch - 1) << 1) | ((bps - 1) >> 4);
  si[13] = (((bps - 1) & 0xf) << 4) | Math.floor(total / 2 ** 32);
  new DataView(si.buffer).setUint32(14, total >>> 0);
  const flac = Buffer.concat([Buffer.from('fLaC'), Buffer.from([0x80, 0, 0, 34]), si, Buffer.alloc(20)]);
  assert.deepEqual(readAudioHeader(tmp.write('a.flac', flac)), {
    container: 'flac',
    codec: 'flac',
    sampleRate: 44100,
    channels: 2,
    frames: 123456,
    note: undefined,
    truncated: false,
    warnings: [],
  });
  si.fill(0, 13, 18);
  const open = readAudioHeader(tmp.write('b.flac', Buffer.concat([Buffer.from('fLaC'), Buffer.from([0x80, 0, 0, 34]), si])));
  assert.deepEqual([open.frames, open.note], [undefined, 'FLAC STREAMINFO gives no total: the length needs decoding']);

  const page = (granule: bigint, body: Buffer, serial = 7) => {
    const h = Buffer.alloc(27 + 1);
    h.write('OggS', 0, 'latin1');
    h.writeBigInt64LE(granule, 6);
    h.writeUInt32LE(serial, 14);
    h[26] = 1;
    h[27] = body.length;
    return Buffer.concat([h, body]);
  };
  const id = Buffer.alloc(30);
  id[0] = 1;
  id.write('vorbis', 1, 'latin1');
  id[11] = 1;
  id.writeUInt32LE(32000, 12);
  // The last page of the stream with a granule counts: not one without (-1), not another stream's.
  const ogg = Buffer.concat([
    page(0n, id),
    page(-1n, Buffer.alloc(50)),
    page(96000n, Buffer.alloc(50)),
    page(-1n, Buffer.alloc(50)),
    page(5n, Buffer.alloc(20), 8),
  ]);
  assert.deepEqual(readAudioHeader(tmp.write('a.ogg', ogg)), {
    container: 'ogg',
    codec: 'vorbis',
    sampleRate: 32000,
    channels: 1,
    frames: 96000,
    note: undefined,
    truncated: false,
    warnings: [],
  });
  for (const f of ['tone.flac', 'tone.ogg']) await agree(join(FIXTURES, f));
});

test('bare MP3: rate and channel mode of the first frame (after an ID3 tag); length unknown, said', async () => {
  const mono = (await agree(join(FIXTURES, 'tone.mp3')))!;
  assert.deepEqual(
    [mono.container, mono.sampleRate, mono.channels, mono.frames, mono.note],
    ['mp3', 22050, 1, undefined, 'MP3: the length needs decoding'],
  );
  assert.equal((await agree(join(FIXTURES, 'tone-left.mp3')))!.channels, 2);
  const tag = new Uint8Array(10 + 300);
  tag.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 2, 44]); // ID3v2.3, 300 bytes
  const tagged = new Uint8Array(tag.length + fixture('tone.mp3').length);
  tagged.set(tag);
  tagged.set(fixture('tone.mp3'), tag.length);
  assert.equal((await agree(tmp.write('tagged.mp3', tagged)))!.sampleRate, 22050);
});

test("bad input: the decoder's error codes (docs/AUDIO.md), one line naming the file", async () => {
  const data = chunk('data', sampleBytes([1, 2], 's16'));
  const full = pcm16Wav([1, 2, 3, 4]);
  const fmt16 = fmtChunk({ tag: 1, channels: 1, rate: 16000, bits: 16 });
  const opus = new Uint8Array(64);
  opus.set(Buffer.from('OggS'), 0);
  opus.set(Buffer.from('OpusHead'), 28);
  const cases: [string, Uint8Array | string | undefined, string][] = [
    ['missing.wav', undefined, 'file-missing'],
    ['empty.wav', '', 'file-empty'],
    ['text.wav', 'path,label\na.wav,dog\n', 'not-audio'],
    ['noise.wav', Uint8Array.from([0, 1, 2, 3, 0xfe, 0]), 'not-audio'],
    ['x.m4a', Uint8Array.from([0, 0, 0, 32, ...Buffer.from('ftypM4A '), 0, 0, 0, 0]), 'unsupported-format'],
    ['x.rifx', Uint8Array.from([...Buffer.from('RIFX'), 0, 0, 0, 4, ...Buffer.from('WAVE')]), 'unsupported-format'],
    ['x.opus', opus, 'unsupported-codec'],
    ['t1.wav', full.subarray(0, 10), 'truncated'],
    ['t2.wav', full.subarray(0, 30), 'truncated'],
    ['t3.wav', full.subarray(0, 45), 'truncated'],
    ['t4.wav', full.subarray(0, 16), 'truncated'],
    ['t5.aiff', Uint8Array.from([...Buffer.from('FORM'), 0, 0, 0, 4, ...Buffer.from('AIFF')]), 'truncated'],
    ['c0.wav', wavBytes([fmtChunk({ tag: 1, channels: 0, rate: 16000, bits: 16, blockAlign: 2 }), data]), 'bad-header'],
    ['r0.wav', wavBytes([fmtChunk({ tag: 1, channels: 1, rate: 0, bits: 16 }), data]), 'bad-sample-rate'],
    ['rbig.wav', wavBytes([fmtChunk({ tag: 1, channels: 1, rate: 4e9, bits: 16 }), data]), 'bad-sample-rate'],
    ['b0.wav', wavBytes([fmtChunk({ tag: 1, channels: 1, rate: 8000, bits: 0, blockAlign: 2 }), data]), 'bad-header'],
    ['nodata.wav', wavBytes([fmt16, chunk('LIST', new Uint8Array(4))]), 'no-audio-data'],
    ['nofmt.wav', wavBytes([data]), 'bad-header'],
    ['zero.wav', wavBytes([fmt16, chunk('data', new Uint8Array(0)), chunk('LIST', new Uint8Array(4))]), 'no-audio-data'],
    [
      'gsm.wav',
      wavBytes([fmtChunk({ tag: 0x31, channels: 1, rate: 8000, bits: 4, blockAlign: 65 }), chunk('data', new Uint8Array(650))]),
      'unsupported-codec',
    ],
    [
      'adpcm.wav',
      wavBytes([fmtChunk({ tag: 0x11, channels: 2, rate: 8000, bits: 4, blockAlign: 6 }), chunk('data', new Uint8Array(60))]),
      'bad-header',
    ],
  ];
  for (const [name, bytes, code] of cases) await agree(bytes === undefined ? join(tmp.dir, name) : tmp.write(name, bytes), code);
  assert.equal(header(tmp.dir), 'file-unreadable');
  assert.match(
    (() => {
      try {
        readAudioHeader(join(tmp.dir, 'r0.wav'));
      } catch (e) {
        return (e as AudioError).oneLine();
      }
    })()!,
    /r0\.wav: WAV header gives sample rate 0 Hz/,
  );
  // Broken compressed streams fail only in the decoder (decode-failed); the header reads or fails with a code of its own.
  const cutMp3 = new Uint8Array(24).fill(0x55);
  cutMp3.set([0xff, 0xfb, 0x90, 0x64]);
  await agree(tmp.write('cut.mp3', cutMp3));
  const ogg = new Uint8Array(300).fill(1);
  ogg.set(Buffer.from('OggS'));
  ogg.set(Buffer.from('\x01vorbis'), 28);
  await agree(tmp.write('junk.ogg', ogg));
  const tagOnly = new Uint8Array(40);
  tagOnly.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 10]);
  assert.equal(header(tmp.write('tag-only.mp3', tagOnly)), 'no-audio-data');
});

const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const REAL = ['animal-sounds', 'birds'].map((d) => join(DATA, d)).filter((d) => existsSync(d));

function audioFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? audioFiles(p) : /\.wav$/i.test(e) ? [p] : [];
  });
}

test('every real recording in ../shared/data: header = decoder', {
  skip: REAL.length === 0 && `no ${DATA} beside the repo (real recordings are never copied into it)`,
}, async (t) => {
  let n = 0,
    unknown = 0;
  const codecs = new Map<string, number>();
  for (const dir of REAL) {
    for (const f of audioFiles(dir)) {
      const h = (await agree(f))!;
      n++;
      if (h.frames === undefined) unknown++;
      codecs.set(h.codec, (codecs.get(h.codec) ?? 0) + 1);
    }
  }
  // Measured when written: 966 files (875 + 91); 56 MP3-in-WAV (length by decoding), the rest exact.
  assert.ok(n >= 900, `${n} files`);
  t.diagnostic(
    `${n} files agree; codecs ${[...codecs].map(([k, v]) => `${k} ${v}`).join(', ')}; ${unknown} with the length left to the decoder`,
  );
});
