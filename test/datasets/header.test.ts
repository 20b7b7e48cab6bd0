import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readAudio } from '../../lib/audio/index.js';
import { readAudioHeader } from '../../lib/datasets/header.js';
import { put, tempDir, throwsLine } from './helpers.js';

function chunk(id: string, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.write(id, 0, 'latin1');
  h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body, body.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function fmt(tag: number, channels: number, rate: number, bits: number, extra: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(16);
  const align = tag === 0x55 ? 1 : (channels * bits) / 8;
  b.writeUInt16LE(tag, 0); b.writeUInt16LE(channels, 2); b.writeUInt32LE(rate, 4);
  b.writeUInt32LE(rate * align, 8); b.writeUInt16LE(align, 12); b.writeUInt16LE(bits, 14);
  return chunk('fmt ', Buffer.concat([b, extra]));
}

function riff(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE'), ...chunks]);
  const h = Buffer.alloc(8);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body]);
}

const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };

test('WAV: chunks in any order, odd sizes padded, PCM length from the data size', () => {
  const d = tempDir();
  const f = put(d, 'a.wav', riff(chunk('LIST', Buffer.from('odd')), fmt(1, 2, 22050, 16), chunk('data', Buffer.alloc(4 * 1000)), chunk('fact', u32(999999))));
  assert.deepEqual(readAudioHeader(f), { container: 'wav', codec: 'pcm16', sampleRate: 22050, channels: 2, frames: 1000, note: undefined });
  const g = put(d, 'b.wav', riff(fmt(1, 1, 11025, 8), chunk('data', Buffer.alloc(301)), chunk('DISP', Buffer.alloc(5))));
  assert.equal(readAudioHeader(g).frames, 301);
  assert.equal(readAudioHeader(g).codec, 'pcm8');
});

test('WAV: MP3 payload uses the fact chunk; without one the length is unknown with a reason', () => {
  const d = tempDir();
  const f = put(d, 'mp3.wav', riff(fmt(0x55, 1, 11025, 0, Buffer.alloc(14)), chunk('fact', u32(32894)), chunk('data', Buffer.alloc(8060))));
  assert.deepEqual(readAudioHeader(f), { container: 'wav', codec: 'mp3', sampleRate: 11025, channels: 1, frames: 32894, note: undefined });
  const g = put(d, 'nofact.wav', riff(fmt(0x55, 1, 11025, 0), chunk('data', Buffer.alloc(100))));
  const h = readAudioHeader(g);
  assert.equal(h.frames, undefined);
  assert.match(h.note!, /mp3 in WAV without a fact chunk/);
});

test('WAV: extensible sub-format, A-law, and a data chunk longer than the file (clamped, noted)', () => {
  const d = tempDir();
  const ext = Buffer.alloc(24);
  ext.writeUInt16LE(22, 0); ext.writeUInt16LE(32, 2); ext.writeUInt16LE(3, 8); // cbSize, valid bits, GUID starts with 0x0003 (float)
  const f = put(d, 'ext.wav', riff(fmt(0xfffe, 1, 48000, 32, ext), chunk('data', Buffer.alloc(4 * 480))));
  assert.deepEqual([readAudioHeader(f).codec, readAudioHeader(f).frames], ['float32', 480]);
  const a = put(d, 'alaw.wav', riff(fmt(6, 2, 48000, 8), chunk('data', Buffer.alloc(200))));
  assert.deepEqual([readAudioHeader(a).codec, readAudioHeader(a).frames], ['alaw', 100]);
  const full = riff(fmt(1, 1, 16000, 16), chunk('data', Buffer.alloc(1000)));
  const lying = full.subarray(0, full.length - 400);
  const h = readAudioHeader(put(d, 'short.wav', lying));
  assert.equal(h.frames, 300);
  assert.match(h.note!, /data chunk claims 1000 bytes but only 600/);
});

test('bad headers: one-line errors naming the file', () => {
  const d = tempDir();
  throwsLine(() => readAudioHeader(put(d, 'zero.wav', riff(fmt(1, 1, 0, 16), chunk('data', Buffer.alloc(10))))), /zero\.wav: sample rate 0/);
  throwsLine(() => readAudioHeader(put(d, 'nodata.wav', riff(fmt(1, 1, 8000, 16)))), /nodata\.wav: WAV has no data chunk/);
  throwsLine(() => readAudioHeader(put(d, 'nofmt.wav', riff(chunk('data', Buffer.alloc(10))))), /nofmt\.wav: WAV has no usable fmt chunk/);
  throwsLine(() => readAudioHeader(put(d, 'empty.wav', '')), /empty\.wav: empty file/);
  throwsLine(() => readAudioHeader(put(d, 'text.wav', 'hello, I am not audio')), /text\.wav: not a WAV, FLAC, Ogg or MP3 file/);
  throwsLine(() => readAudioHeader(join(d, 'missing.wav')), /missing\.wav: file not found/);
});

test('FLAC STREAMINFO and Ogg Vorbis headers give rate, channels and length', () => {
  const d = tempDir();
  const si = Buffer.alloc(34);
  // 44100 Hz (20 bits), 2 channels (3 bits: 1), 16 bits (5 bits: 15), total 123456 (36 bits)
  const rate = 44100, ch = 2, bps = 16, total = 123456;
  si[10] = rate >> 12; si[11] = (rate >> 4) & 0xff; si[12] = ((rate & 0xf) << 4) | ((ch - 1) << 1) | ((bps - 1) >> 4);
  si[13] = (((bps - 1) & 0xf) << 4) | Math.floor(total / 2 ** 32);
  si.writeUInt32BE(total >>> 0, 14);
  const flac = Buffer.concat([Buffer.from('fLaC'), Buffer.from([0x80, 0, 0, 34]), si, Buffer.alloc(20)]);
  assert.deepEqual(readAudioHeader(put(d, 'a.flac', flac)), { container: 'flac', codec: 'flac', sampleRate: 44100, channels: 2, frames: 123456, note: undefined });

  const page = (granule: number, body: Buffer) => {
    const h = Buffer.alloc(27 + 1);
    h.write('OggS', 0, 'latin1'); h.writeBigInt64LE(BigInt(granule), 6); h[26] = 1; h[27] = body.length;
    return Buffer.concat([h, body]);
  };
  const id = Buffer.alloc(30);
  id[0] = 1; id.write('vorbis', 1, 'latin1'); id[11] = 1; id.writeUInt32LE(32000, 12);
  const ogg = Buffer.concat([page(0, id), page(-1, Buffer.alloc(50)), page(96000, Buffer.alloc(50))]);
  assert.deepEqual(readAudioHeader(put(d, 'a.ogg', ogg)), { container: 'ogg', codec: 'vorbis', sampleRate: 32000, channels: 1, frames: 96000 });
});

const AUDIO_FIX = 'test/fixtures/audio';
test("real FLAC/Ogg files (the audio stage's fixtures): header lengths equal the decoders'", { skip: !existsSync(join(AUDIO_FIX, 'tone.flac')) && 'audio fixtures absent' }, async () => {
  for (const f of ['tone.flac', 'tone.ogg']) {
    const h = readAudioHeader(join(AUDIO_FIX, f));
    const a = await readAudio(join(AUDIO_FIX, f));
    assert.deepEqual([h.sampleRate, h.frames], [a.sampleRate, a.samples.length], f);
  }
  const mp3 = readAudioHeader(join(AUDIO_FIX, 'tone.mp3'));
  assert.deepEqual([mp3.container, mp3.sampleRate, mp3.frames], ['mp3', 22050, undefined]);
});
